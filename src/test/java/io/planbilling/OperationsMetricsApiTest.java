package io.planbilling;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.planbilling.testing.ApiTest;
import io.planbilling.testing.Prometheus;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The operator's {@code /actuator/prometheus} lists the service's own meters
 * (docs/operations.md), each moving when its path is exercised. Deltas are read around
 * each action; background work of other tests (webhook deliveries) can only add to the
 * webhook counters, so those are compared with at least.
 */
@ApiTest
class OperationsMetricsApiTest {

    private static final long GB = 1024L * 1024 * 1024;

    @Autowired
    TestApi api;

    @Test
    void theOperatorScrapesPrometheusAndAnAccountKeyMayNot() {
        TestAccount account = api.createAccount("no scrape");

        Response scrape = api.get("/actuator/prometheus", api.operator());

        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.contentType()).startsWith("text/plain");
        assertThat(scrape.raw()).contains("jvm_memory_used_bytes", "billing_requests_refused_total");
        assertProblem(api.get("/actuator/prometheus", account.apiKey()), 403, "FORBIDDEN");
        assertProblem(api.get("/actuator/prometheus", null), 401, "UNAUTHENTICATED");
    }

    @Test
    void usageRecordsAndTheirBatchesAreCountedByOutcome() {
        TestAccount account = api.createAccount("metered usage");
        UUID device = api.post("/api/v1/devices", account.apiKey(), Map.of("name", "metered")).id();
        String id = "metrics-" + UUID.randomUUID();
        Prometheus before = Prometheus.scrape(api);

        usage(Map.of("records", List.of(record(id, device), record(id + "-2", device))), 200);
        usage(Map.of("records", List.of(record(id, device))), 200);
        usage(Map.of("records", List.of(Map.of("id", id + "-bad"))), 400);

        Prometheus after = Prometheus.scrape(api);
        assertThat(delta(before, after, "billing_usage_records_total", Map.of("outcome", "applied"))).isEqualTo(2);
        assertThat(delta(before, after, "billing_usage_records_total", Map.of("outcome", "duplicate"))).isEqualTo(1);
        assertThat(delta(before, after, "billing_usage_batch_seconds_count", Map.of("outcome", "accepted")))
            .isEqualTo(2);
        assertThat(delta(before, after, "billing_usage_batch_seconds_count", Map.of("outcome", "rejected")))
            .isEqualTo(1);
        assertThat(after.value("billing_usage_batch_seconds_sum", Map.of("outcome", "accepted"))).isPositive();
        // posted one after the other, each had nobody to share a transaction with; the
        // refused one never got that far
        assertThat(
                delta(before, after, "billing_ingestion_requests_total", Map.of("stream", "usage", "outcome", "alone")))
            .isEqualTo(2);
        assertThat(delta(before, after, "billing_ingestion_requests_total",
                Map.of("stream", "usage", "outcome", "grouped")))
            .isZero();
    }

    @Test
    void bandwidthSamplesAndTheirBatchesAreCountedByOutcome() {
        TestAccount account = api.createAccount("metered samples");
        UUID network = api
            .post("/api/v1/office-networks", account.apiKey(),
                    Map.of("name", "metered office", "region", "cn-hangzhou"))
            .id();
        Instant minute = Instant.parse(api.get("/api/v1/admin/clock", api.operator()).text("/now"))
            .truncatedTo(ChronoUnit.MINUTES)
            .minus(Duration.ofMinutes(10));
        Prometheus before = Prometheus.scrape(api);

        samples(List.of(sample(network, minute), sample(network, minute.plus(Duration.ofMinutes(1)))), 200);
        samples(List.of(sample(network, minute)), 200);
        samples(List.of(sample(UUID.randomUUID(), minute)), 400);

        Prometheus after = Prometheus.scrape(api);
        assertThat(delta(before, after, "billing_bandwidth_samples_total", Map.of("outcome", "inserted"))).isEqualTo(2);
        assertThat(delta(before, after, "billing_bandwidth_samples_total", Map.of("outcome", "replaced"))).isEqualTo(1);
        assertThat(delta(before, after, "billing_bandwidth_sample_batch_seconds_count", Map.of("outcome", "accepted")))
            .isEqualTo(2);
        assertThat(delta(before, after, "billing_bandwidth_sample_batch_seconds_count", Map.of("outcome", "rejected")))
            .isEqualTo(1);
    }

    @Test
    void everyLifecycleStepIsTimedAndWhatItDidIsCounted() {
        Prometheus before = Prometheus.scrape(api);

        Response run = api.post("/api/v1/admin/lifecycle/run", api.operator(), Map.of());

        assertThat(run.status()).as(run.toString()).isEqualTo(200);
        Prometheus after = Prometheus.scrape(api);
        assertThat(run.body().get("steps").size()).isPositive();
        for (JsonNode step : run.body().get("steps")) {
            String name = step.get("name").asString();
            String outcome = step.get("succeeded").asBoolean() ? "success" : "failure";
            assertThat(delta(before, after, "billing_lifecycle_step_seconds_count",
                    Map.of("step", name, "outcome", outcome)))
                .as("runs of %s", name)
                .isEqualTo(1);
            for (Map.Entry<String, JsonNode> count : step.get("counts").properties()) {
                assertThat(after.has("billing_lifecycle_items_total", Map.of("step", name, "item", count.getKey())))
                    .as("%s of %s", count.getKey(), name)
                    .isTrue();
                assertThat(delta(before, after, "billing_lifecycle_items_total",
                        Map.of("step", name, "item", count.getKey())))
                    .isEqualTo(count.getValue().asLong());
            }
        }
    }

    @Test
    void webhookDeliveriesAreCountedByOutcome() throws IOException {
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/ok", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.createContext("/down", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
            TestAccount delivered = api.createAccount("webhook delivered");
            TestAccount refused = api.createAccount("webhook refused");
            endpoint(delivered, base + "/ok");
            endpoint(refused, base + "/down");
            Prometheus before = Prometheus.scrape(api);

            api.credit(delivered.id(), "10.00");
            api.credit(refused.id(), "10.00");

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Prometheus now = Prometheus.scrape(api);
                assertThat(delta(before, now, "billing_webhooks_deliveries_total", Map.of("outcome", "delivered")))
                    .isGreaterThanOrEqualTo(1);
                assertThat(delta(before, now, "billing_webhooks_deliveries_total", Map.of("outcome", "retrying")))
                    .isGreaterThanOrEqualTo(1);
            });
        }
        finally {
            receiver.stop(0);
        }
    }

    @Test
    void idempotentReplaysAreCounted() {
        TestAccount account = api.createAccount("replayed");
        Prometheus before = Prometheus.scrape(api);

        for (int i = 0; i < 3; i++) {
            Response created = api.request("POST", "/api/v1/devices")
                .key(account.apiKey())
                .idempotencyKey("metrics-replay")
                .json(Map.of("name", "once"))
                .send();
            assertThat(created.status()).isEqualTo(201);
        }

        assertThat(delta(before, Prometheus.scrape(api), "billing_idempotency_replays_total", Map.of())).isEqualTo(2);
    }

    @Test
    void refusedRequestsAreCountedByStatus() {
        TestAccount account = api.createAccount("refused");
        Prometheus before = Prometheus.scrape(api);

        assertProblem(api.get("/api/v1/account", "pb_unknown"), 401, "UNAUTHENTICATED");
        assertProblem(api.get("/api/v1/account", null), 401, "UNAUTHENTICATED");
        assertProblem(api.get("/api/v1/accounts", account.apiKey()), 403, "FORBIDDEN");

        Prometheus after = Prometheus.scrape(api);
        assertThat(delta(before, after, "billing_requests_refused_total", Map.of("status", "401"))).isEqualTo(2);
        assertThat(delta(before, after, "billing_requests_refused_total", Map.of("status", "403"))).isEqualTo(1);
        assertThat(after.has("billing_requests_rate_limited_total", Map.of("code", "RATE_LIMITED"))).isTrue();
        assertThat(after.has("billing_requests_rate_limited_total", Map.of("code", "AUTHENTICATION_THROTTLED")))
            .isTrue();
    }

    private static double delta(Prometheus before, Prometheus after, String name, Map<String, String> labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    private void usage(Map<String, Object> body, int status) {
        Response posted = api.post("/api/v1/traffic-usage", api.operator(), body);
        assertThat(posted.status()).as(posted.toString()).isEqualTo(status);
    }

    private void samples(List<Map<String, Object>> samples, int status) {
        Response posted = api.post("/api/v1/bandwidth-samples", api.operator(), Map.of("samples", samples));
        assertThat(posted.status()).as(posted.toString()).isEqualTo(status);
    }

    private void endpoint(TestAccount account, String url) {
        Response created = api.post("/api/v1/webhook-endpoints", account.apiKey(),
                Map.of("url", url, "eventTypes", List.of("credit.created")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    private Map<String, Object> record(String id, UUID device) {
        return Map.of("id", id, "deviceId", device.toString(), "region", "GUANGZHOU", "bytes", GB, "occurredAt",
                api.get("/api/v1/admin/clock", api.operator()).text("/now"));
    }

    private static Map<String, Object> sample(UUID network, Instant minute) {
        return Map.of("officeNetworkId", network, "minute", minute.toString(), "inboundBytes", 1000L, "outboundBytes",
                10L);
    }

}
