package io.planbilling.platform.web;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A page number so large that {@code page × size} overflows the query's row offset is a
 * validation error, not a 500 (found by the fuzz test:
 * {@code GET /accounts?page=758385211}).
 */
@ApiTest
class PageLimitApiTest {

    @Autowired
    TestApi api;

    @Test
    void refusesAPageBeyondTheLimitAsInvalid() {
        TestApi.Response response = api.get("/api/v1/accounts?page=758385211", api.operator());

        assertProblem(response, 400, "VALIDATION_FAILED");
        assertThat(response.text("/errors/0/field")).isEqualTo("page");
    }

    @Test
    void answersTheLastAllowedPageOfTheLargestSizeWithAnEmptyList() {
        TestApi.Response response = api.get("/api/v1/accounts?page=10000000&size=200", api.operator());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().at("/content").size()).isZero();
    }

}
