package io.planbilling.lifecycle;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.Prometheus;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The service as deployed: no test clock, the lifecycle job scheduled under its database lock, and the throttle of
 * failed authentication at its defaults (20 failures, then 10 a minute). The test client's loopback address is
 * declared a trusted proxy so that the throttle tests can speak for distinct clients through
 * {@code X-Forwarded-For}, leaving every other test of this context unthrottled.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "billing.security.operator-api-key=" + TestApi.OPERATOR_KEY,
        "billing.security.trusted-proxies=127.0.0.0/8, ::1",
        "billing.lifecycle.interval=PT0.2S" })
@Import(TestApi.class)
class ProductionDefaultsTest {

    private static final int DEFAULT_BURST = 20;

    @Autowired
    TestApi api;

    @Autowired
    JdbcClient jdbc;

    @Test
    void theTestClockIsNeitherRoutedNorDocumented() {
        assertProblem(api.get("/api/v1/admin/clock", api.operator()), 404, "NOT_FOUND");
        assertProblem(api.post("/api/v1/admin/clock", api.operator(), Map.of("advance", "P1D")), 404, "NOT_FOUND");
        Response document = api.get("/v3/api-docs", null);
        assertThat(document.body().get("paths").has("/api/v1/admin/clock")).as("documented").isFalse();
        assertThat(document.body().get("paths").has("/api/v1/admin/lifecycle/run")).isTrue();
    }

    @Test
    void theLifecycleJobRunsOnScheduleUnderTheDatabaseLock() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        boolean locked = false;
        while (!locked && System.nanoTime() < deadline) {
            locked = jdbc.sql("SELECT count(*) FROM shedlock WHERE name = :name AND locked_at > now() - interval '1 minute'")
                    .param("name", LifecycleRunner.LOCK).query(Long.class).single() > 0;
            Thread.sleep(100);
        }

        assertThat(locked).as("a scheduled run took the shedlock lock").isTrue();
    }

    @Test
    void aBurstOfBadKeysFromOneAddressIsThrottledBeforeAnyLookupWhateverKeyComesNext() {
        String attacker = "203.0.113.66";
        for (int i = 0; i < DEFAULT_BURST; i++) {
            assertProblem(from(attacker, "GET", "/api/v1/account", "pb_guess-" + i), 401, "UNAUTHENTICATED");
        }

        double throttledBefore = Prometheus.scrape(api).value("billing_requests_rate_limited_total",
                Map.of("code", "AUTHENTICATION_THROTTLED"));
        Response throttled = assertProblem(from(attacker, "GET", "/api/v1/account", "pb_guess-next"), 429,
                "AUTHENTICATION_THROTTLED");

        // 10 failures a minute come back: the next one in about 6 s
        assertThat(Integer.parseInt(throttled.header("Retry-After").orElseThrow())).isBetween(1, 6);
        assertThat(Prometheus.scrape(api).value("billing_requests_rate_limited_total",
                Map.of("code", "AUTHENTICATION_THROTTLED"))).as("counted").isEqualTo(throttledBefore + 1);
        assertProblem(from(attacker, "GET", "/api/v1/accounts", api.operator()), 429, "AUTHENTICATION_THROTTLED");
        assertProblem(from(attacker, "GET", "/api/v1/accounts", null), 429, "AUTHENTICATION_THROTTLED");
        assertThat(from(attacker, "GET", "/actuator/health", null).status()).as("health stays public").isEqualTo(200);
        assertThat(from(attacker, "GET", "/v3/api-docs", null).status()).as("documentation too").isEqualTo(200);
        assertThat(from("203.0.113.67", "GET", "/api/v1/accounts", api.operator()).status())
                .as("another client is not affected").isEqualTo(200);
    }

    @Test
    void aGoodKeyDoesNotSpendTheFailuresOfItsAddress() {
        String client = "203.0.113.70";
        for (int i = 0; i < DEFAULT_BURST * 2; i++) {
            assertThat(from(client, "GET", "/api/v1/accounts", api.operator()).status()).isEqualTo(200);
        }
        for (int i = 0; i < DEFAULT_BURST; i++) {
            assertProblem(from(client, "GET", "/api/v1/accounts", "wrong-" + i), 401, "UNAUTHENTICATED");
        }
        assertProblem(from(client, "GET", "/api/v1/accounts", api.operator()), 429, "AUTHENTICATION_THROTTLED");
    }

    private Response from(String client, String method, String path, String key) {
        return api.request(method, path).key(key).header("X-Forwarded-For", client).send();
    }
}
