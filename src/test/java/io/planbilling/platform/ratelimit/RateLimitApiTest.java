package io.planbilling.platform.ratelimit;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.Prometheus;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * A tiny limit (burst 3, one request per second) so that the fourth quick request of a
 * key is refused.
 */
@ApiTest
@TestPropertySource(properties = { "billing.rate-limit.requests-per-second=1", "billing.rate-limit.burst=3" })
class RateLimitApiTest {

    @Autowired
    TestApi api;

    @Test
    void anAccountKeyOverItsLimitIsRefusedWithRetryAfterAndNothingChanges() throws InterruptedException {
        TestAccount account = api.createAccount("limited");
        for (int i = 0; i < 3; i++) {
            assertThat(api.get("/api/v1/devices", account.apiKey()).status()).isEqualTo(200);
        }

        double limitedBefore = Prometheus.scrape(api)
            .value("billing_requests_rate_limited_total", Map.of("code", "RATE_LIMITED"));
        Response refused = assertProblem(api.post("/api/v1/devices", account.apiKey(), Map.of("name", "one too many")),
                429, "RATE_LIMITED");

        assertThat(Integer.parseInt(refused.header("Retry-After").orElseThrow())).isBetween(1, 2);
        assertThat(Prometheus.scrape(api).value("billing_requests_rate_limited_total", Map.of("code", "RATE_LIMITED")))
            .as("counted")
            .isEqualTo(limitedBefore + 1);
        TestAccount other = api.createAccount("not limited");
        assertThat(api.get("/api/v1/devices", other.apiKey()).status()).as("buckets are per key").isEqualTo(200);
        // waiting out the refill is the behaviour under test; polling for it would spend
        // the token it waits for
        Thread.sleep(1_100); // one token back
        Response devices = api.get("/api/v1/devices", account.apiKey());
        assertThat(devices.status()).isEqualTo(200);
        assertThat(devices.body().at("/page/totalElements").asLong()).as("the refused POST created nothing").isZero();
    }

    @Test
    void theOperatorIsNotLimitedByDefault() {
        for (int i = 0; i < 10; i++) {
            assertThat(api.get("/api/v1/accounts", TestApi.OPERATOR_KEY).status()).isEqualTo(200);
        }
    }

}
