package io.planbilling.platform.web;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ApiTest
@ExtendWith(OutputCaptureExtension.class)
class RequestIdApiTest {

    @Autowired
    TestApi api;

    @Test
    void aCallersRequestIdIsEchoed() {
        TestAccount account = api.createAccount("request id");

        Response response = api.request("GET", "/api/v1/account")
            .header("Authorization", "Bearer " + account.apiKey())
            .header("X-Request-Id", "console-7f3a:42")
            .send();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("X-Request-Id")).contains("console-7f3a:42");
    }

    @Test
    void withoutOneOrWithAnUnusableOneTheServiceMakesOne() {
        Response none = api.get("/actuator/health", null);
        Response hostile = api.request("GET", "/actuator/health").header("X-Request-Id", "a b\tc<script>").send();
        Response tooLong = api.request("GET", "/actuator/health").header("X-Request-Id", "x".repeat(129)).send();

        for (Response response : new Response[] { none, hostile, tooLong }) {
            String id = response.header("X-Request-Id").orElseThrow();
            assertThat(UUID.fromString(id)).as(id).isNotNull();
        }
        assertThat(none.header("X-Request-Id")).isNotEqualTo(tooLong.header("X-Request-Id"));
    }

    @Test
    void problemsCarryTheRequestIdBesideTheHeader() {
        TestAccount account = api.createAccount("request id problems");
        Response refused = assertProblem(api.request("GET", "/api/v1/account").header("X-Request-Id", "req-401").send(),
                401, "UNAUTHENTICATED");
        Response missing = assertProblem(api.request("GET", "/api/v1/no-such-route")
            .header("Authorization", "Bearer " + account.apiKey())
            .header("X-Request-Id", "req-404")
            .send(), 404, "NOT_FOUND");

        assertThat(refused.header("X-Request-Id")).contains("req-401");
        assertThat(refused.text("/requestId")).isEqualTo("req-401");
        assertThat(missing.text("/requestId")).isEqualTo("req-404");
    }

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
