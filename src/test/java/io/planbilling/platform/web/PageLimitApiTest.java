package io.planbilling.platform.web;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The last page the paging bounds allow reaches the database's row offset without
 * overflowing it (the fuzz test found {@code GET /accounts?page=758385211} answering
 * 500); a page beyond the bounds is refused by the web layer ({@code AccountWebTest}).
 */
@ApiTest
class PageLimitApiTest {

    @Autowired
    TestApi api;

    @Test
    void answersTheLastAllowedPageOfTheLargestSizeWithAnEmptyList() {
        TestApi.Response response = api.get("/api/v1/accounts?page=10000000&size=200", api.operator());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().at("/content").size()).isZero();
    }

}
