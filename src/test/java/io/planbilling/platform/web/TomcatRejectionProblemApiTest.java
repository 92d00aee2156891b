package io.planbilling.platform.web;

import static io.planbilling.testing.ProblemAssert.assertProblem;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Requests Tomcat refuses before the application sees them still get a problem body
 * (found by the fuzz test).
 */
@ApiTest
class TomcatRejectionProblemApiTest {

    @Autowired
    TestApi api;

    @Test
    void answersAnOversizeRequestLineWithAProblemNotAnHtmlPage() {
        String size = "x".repeat(20_000);

        TestApi.Response response = api.get("/api/v1/account/ledger?size=" + size, api.operator());

        assertProblem(response, 400, "MALFORMED_REQUEST");
    }

}
