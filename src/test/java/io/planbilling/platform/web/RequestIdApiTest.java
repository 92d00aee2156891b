package io.planbilling.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The request id in the log lines of a request on the real service (the logging pattern
 * is the service's configuration). Which ids are kept and which replaced is unit-tested
 * ({@code RequestIdFilterTest}); the id in problem bodies is proven by the web slices.
 */
@ApiTest
@ExtendWith(OutputCaptureExtension.class)
class RequestIdApiTest {

    @Autowired
    TestApi api;

    @Test
    void theRequestsLogLinesCarryIt(CapturedOutput output) {
        Response run = api.request("POST", "/api/v1/admin/lifecycle/run")
            .header("Authorization", "Bearer " + TestApi.OPERATOR_KEY)
            .header("X-Request-Id", "lifecycle-trace-1")
            .send();

        assertThat(run.status()).isEqualTo(200);
        assertThat(output.getOut().lines().filter(line -> line.contains("Manual lifecycle run")))
            .anySatisfy(line -> assertThat(line).contains("[lifecycle-trace-1]"));
    }

}
