package io.planbilling.lifecycle;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planbilling.testing.Prometheus;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The service as deployed: no test clock, the lifecycle job scheduled (its exclusive
 * steps under its database lock), and the throttle of failed authentication at its
 * defaults (20 failures, then 10 a minute). The test client's loopback address is
 * declared a trusted proxy so that the throttle tests can speak for distinct clients
 * through {@code X-Forwarded-For}, leaving every other test of this context unthrottled.
 * The context is closed after the class, so that its scheduled runs (every 0.2 s, on the
 * database every test shares) stop before other tests run the lifecycle job themselves
 * and assert on what it did.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "billing.security.operator-api-key=" + TestApi.OPERATOR_KEY,
                "billing.security.trusted-proxies=127.0.0.0/8, ::1", "billing.lifecycle.interval=PT0.2S" })
@Import(TestApi.class)
@DirtiesContext
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
    void theScheduledRunExpiresWhatIsDueAsTheLifecycleJobAndTakesTheDatabaseLockForItsExclusiveSteps() {
        OffsetDateTime testStarted = jdbc.sql("SELECT clock_timestamp()").query(OffsetDateTime.class).single();
        TestAccount account = api.createAccount("scheduled expiry", "100.00");
        Response bought = api.post("/api/v1/traffic-packages", account.apiKey(),
                Map.of("type", "DEVICE_1_FLOW_20G", "region", "GUANGZHOU", "deviceIds", List.of(), "autoRenew", false));
        assertThat(bought.status()).as("%s", bought).isEqualTo(201);
        UUID packageId = bought.id();
        // its validity ended yesterday: only a lifecycle run expires it, and no test of
        // this class runs one by hand
        jdbc.sql("UPDATE traffic_packages SET valid_from = now() - interval '2 days',"
                + " valid_until = now() - interval '1 day' WHERE id = :id")
            .param("id", packageId)
            .update();

        Map<String, Object> expiry = await("the due package expired by a lifecycle run").atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> expiryOf(packageId), Optional::isPresent)
            .orElseThrow();

        // a manual run is the operator's request (actor "operator"); only the scheduled
        // run acts as the job itself
        assertThat(expiry).as("the audit row of the expiry").containsEntry("actor", "job:lifecycle");
        assertThat((String) expiry.get("request_id")).as("the scheduled run's id").startsWith("lifecycle-");
        Optional<OffsetDateTime> lockedAt = jdbc.sql("SELECT locked_at FROM shedlock WHERE name = :name")
            .param("name", LifecycleRunner.LOCK)
            .query(OffsetDateTime.class)
            .optional();
        // the expiry is shared and runs without the lock; the idempotency-key purge runs
        // alone, under it
        assertThat(lockedAt).as("the shedlock lock taken since the test started")
            .hasValueSatisfying(at -> assertThat(at).isAfter(testStarted));
    }

    private Optional<Map<String, Object>> expiryOf(UUID packageId) {
        return jdbc
            .sql("SELECT actor, request_id FROM audit_log WHERE table_name = 'traffic_packages'"
                    + " AND resource_id = :id AND operation = 'UPDATE' AND row_data ->> 'status' = 'EXPIRED'")
            .param("id", packageId.toString())
            .query()
            .listOfRows()
            .stream()
            .findFirst();
    }

    @Test
    void aBurstOfBadKeysFromOneAddressIsThrottledBeforeAnyLookupWhateverKeyComesNext() {
        String attacker = "203.0.113.66";
        for (int i = 0; i < DEFAULT_BURST; i++) {
            assertProblem(from(attacker, "GET", "/api/v1/account", "pb_guess-" + i), 401, "UNAUTHENTICATED");
        }

        double throttledBefore = Prometheus.scrape(api)
            .value("billing_requests_rate_limited_total", Map.of("code", "AUTHENTICATION_THROTTLED"));
        Response throttled = assertProblem(from(attacker, "GET", "/api/v1/account", "pb_guess-next"), 429,
                "AUTHENTICATION_THROTTLED");

        // 10 failures a minute come back: the next one in about 6 s
        assertThat(Integer.parseInt(throttled.header("Retry-After").orElseThrow())).isBetween(1, 6);
        assertThat(Prometheus.scrape(api)
            .value("billing_requests_rate_limited_total", Map.of("code", "AUTHENTICATION_THROTTLED"))).as("counted")
            .isEqualTo(throttledBefore + 1);
        assertProblem(from(attacker, "GET", "/api/v1/accounts", api.operator()), 429, "AUTHENTICATION_THROTTLED");
        assertProblem(from(attacker, "GET", "/api/v1/accounts", null), 429, "AUTHENTICATION_THROTTLED");
        assertThat(from(attacker, "GET", "/actuator/health", null).status()).as("health stays public").isEqualTo(200);
        assertThat(from(attacker, "GET", "/v3/api-docs", null).status()).as("documentation too").isEqualTo(200);
        assertThat(from("203.0.113.67", "GET", "/api/v1/accounts", api.operator()).status())
            .as("another client is not affected")
            .isEqualTo(200);
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
