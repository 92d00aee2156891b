package io.planbilling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.planbilling.testing.ApiTest;
import io.planbilling.testing.OpenApiContract;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The real flows, through <em>every</em> operation of the OpenAPI document: an operator
 * opens and funds an account; the account registers a webhook, buys, binds, changes, uses
 * up, renews, unsubscribes and deletes traffic packages; builds an office network with
 * phones, buys a bandwidth plan, associates it, limits phones, changes its peak, renews
 * it, reads its monitoring, dissociates and unsubscribes it, and deletes a pay-as-you-go
 * plan; the operator runs the lifecycle job and reads the clock. Every answer goes
 * through {@link TestApi}'s contract check, and the test fails naming any operation of
 * {@code /v3/api-docs} it did not get a 2xx from, so a new endpoint cannot escape the
 * check.
 */
@ApiTest
class ContractFlowApiTest {

    private static final long GB = 1024L * 1024 * 1024;

    @Autowired
    TestApi api;

    private Set<String> exercised;

    private HttpServer receiver;

    @BeforeEach
    void startRecordingAndAReceiver() throws IOException {
        exercised = api.recordOperations();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        api.stopRecording(exercised);
        receiver.stop(0);
    }

    @Test
    void everyOperationOfTheDocumentAnswersAsDocumentedInTheRealFlows() {
        TestAccount account = operatorOpensAnAccount();
        String key = account.apiKey();
        ownAccount(key);
        UUID endpoint = webhooks(key);
        trafficPackages(key);
        bandwidthPlans(key);
        operatorTools();
        webhookDeliveries(key, endpoint);
        assertThat(ok(api.delete("/api/v1/webhook-endpoints/" + endpoint, key), 204)).isNotNull();

        Set<String> missing = new TreeSet<>();
        for (OpenApiContract.Operation operation : api.contract().operations()) {
            if (!exercised.contains(operation.id())) {
                missing.add(operation.toString());
            }
        }
        assertThat(missing).as("operations of /v3/api-docs the flow did not exercise (add them to this test)")
            .isEmpty();
    }

    private TestAccount operatorOpensAnAccount() {
        String op = api.operator();
        Response created = ok(api.post("/api/v1/accounts", op, Map.of("name", "Contract flow")), 201);
        UUID id = created.id();
        ok(api.get("/api/v1/accounts?size=5", op), 200);
        ok(api.get("/api/v1/accounts/" + id, op), 200);
        ok(api.request("POST", "/api/v1/accounts/" + id + "/credits")
            .key(op)
            .idempotencyKey("flow-" + id)
            .json(Map.of("amount", TestApi.money("5000.00"), "reference", "flow-" + id))
            .send(), 201);
        Response rotated = ok(api.post("/api/v1/accounts/" + id + "/api-keys", op, Map.of()), 201);
        ok(api.get("/api/v1/accounts/" + id + "/ledger", op), 200);
        return new TestAccount(id, rotated.text("/apiKey"));
    }

    private void ownAccount(String key) {
        ok(api.get("/api/v1/account", key), 200);
        ok(api.get("/api/v1/account/ledger?page=0&size=10", key), 200);
        YearMonth month = YearMonth.from(now().atZone(ZoneId.of("Asia/Shanghai")));
        ok(api.get("/api/v1/bills?month=" + month, key), 200);
        ok(api.get("/api/v1/events?limit=10", key), 200);
        ok(api.get("/api/v1/events?limit=10&types=credit.created,account.balance_low", key), 200);
        ok(api.get("/api/v1/alert-settings", key), 200);
        Map<String, Object> alerts = new java.util.HashMap<>();
        alerts.put("trafficUsageThresholds", List.of(50, 80, 100));
        alerts.put("expiryReminderDays", List.of(7, 1));
        alerts.put("lowBalanceThreshold", TestApi.money("100.00"));
        alerts.put("postpaidMonthlyThreshold", null);
        ok(api.put("/api/v1/alert-settings", key, alerts), 200);
    }

    private UUID webhooks(String key) {
        Response created = ok(api.post("/api/v1/webhook-endpoints", key,
                Map.of("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", "eventTypes",
                        List.of("credit.created", "traffic_package.purchased"))),
                201);
        UUID id = created.id();
        ok(api.get("/api/v1/webhook-endpoints", key), 200);
        ok(api.get("/api/v1/webhook-endpoints/" + id, key), 200);
        // a few types only: the flow leaves the shared dispatcher little to send for it
        ok(api.patch("/api/v1/webhook-endpoints/" + id, key,
                Map.of("eventTypes", List.of("credit.created", "traffic_package.purchased", "traffic_package.bound"))),
                200);
        ok(api.post("/api/v1/webhook-endpoints/" + id + "/secret-rotation", key, Map.of("overlap", "PT1H")), 200);
        return id;
    }

    private void trafficPackages(String key) {
        UUID first = ok(api.post("/api/v1/devices", key, Map.of("name", "edge-01")), 201).id();
        UUID second = ok(api.post("/api/v1/devices", key, Map.of("name", "edge-02", "overagePolicy", "CUT_OFF")), 201)
            .id();
        ok(api.get("/api/v1/devices?bound=false", key), 200);
        ok(api.get("/api/v1/devices/" + first, key), 200);
        ok(api.patch("/api/v1/devices/" + first, key, Map.of("name", "edge-01b")), 200);
        ok(api.get("/api/v1/traffic-packages/catalog", key), 200);

        Map<String, Object> purchase = Map.of("type", "DEVICE_2_FLOW_50G", "region", "GUANGZHOU", "deviceIds",
                List.of(first), "autoRenew", true);
        ok(api.post("/api/v1/traffic-packages?preview=true", key, purchase), 200);
        UUID pkg = ok(api.post("/api/v1/traffic-packages", key, purchase), 201).id();
        ok(api.get("/api/v1/traffic-packages?status=ACTIVE", key), 200);
        ok(api.get("/api/v1/traffic-packages/" + pkg, key), 200);
        ok(api.post("/api/v1/traffic-packages/" + pkg + "/bindings", key, Map.of("deviceIds", List.of(second))), 200);
        ok(api.patch("/api/v1/traffic-packages/" + pkg, key, Map.of("autoRenew", false)), 200);
        ok(api.post("/api/v1/traffic-packages/" + pkg + "/tier-change?preview=true", key,
                Map.of("type", "DEVICE_3_FLOW_100G")), 200);
        ok(api.post("/api/v1/traffic-packages/" + pkg + "/tier-change", key,
                Map.of("type", "DEVICE_1_FLOW_20G", "deviceIds", List.of(first))), 200);
        ok(api.delete("/api/v1/traffic-packages/" + pkg + "/tier-change", key), 200);

        // the operator's pipeline reports the whole 50 GB: the package is spent and can
        // be renewed
        Instant at = now();
        ok(api.post("/api/v1/traffic-usage", api.operator(),
                Map.of("records", List.of(Map.of("id", "flow-" + UUID.randomUUID(), "deviceId", first.toString(),
                        "region", "GUANGZHOU", "bytes", 50 * GB, "occurredAt", at.toString())))),
                200);
        ok(api.get("/api/v1/devices/" + first + "/usage?from=" + at.minusSeconds(3600) + "&to=" + now().plusSeconds(1),
                key), 200);
        ok(api.post("/api/v1/traffic-packages/" + pkg + "/renewal?preview=true", key, Map.of()), 200);
        UUID successor = ok(api.post("/api/v1/traffic-packages/" + pkg + "/renewal", key, Map.of()), 201).id();
        ok(api.post("/api/v1/traffic-packages/" + successor + "/unsubscribe?preview=true", key, Map.of()), 200);
        ok(api.post("/api/v1/traffic-packages/" + successor + "/unsubscribe", key, Map.of()), 200);
        ok(api.delete("/api/v1/traffic-packages/" + pkg, key), 204);
    }

    private void bandwidthPlans(String key) {
        ok(api.get("/api/v1/bandwidth-plans/catalog", key), 200);
        UUID network = ok(
                api.post("/api/v1/office-networks", key, Map.of("name", "Shanghai office", "region", "cn-shanghai")),
                201)
            .id();
        ok(api.get("/api/v1/office-networks", key), 200);
        ok(api.get("/api/v1/office-networks/" + network, key), 200);
        UUID phone = ok(api.post("/api/v1/cloud-phones", key, Map.of("name", "phone-01", "officeNetworkId", network)),
                201)
            .id();
        ok(api.get("/api/v1/cloud-phones?officeNetworkId=" + network, key), 200);
        ok(api.get("/api/v1/cloud-phones/" + phone, key), 200);

        Map<String, Object> subscription = Map.of("region", "cn-shanghai", "paymentType", "SUBSCRIPTION", "duration",
                Map.of("unit", "MONTH", "count", 1), "peakBandwidthMbps", 10);
        ok(api.post("/api/v1/bandwidth-plans?preview=true", key, subscription), 200);
        UUID plan = ok(api.post("/api/v1/bandwidth-plans", key, subscription), 201).id();
        ok(api.get("/api/v1/bandwidth-plans?status=NOT_ASSOCIATED", key), 200);
        ok(api.put("/api/v1/bandwidth-plans/" + plan + "/office-network", key, Map.of("officeNetworkId", network)),
                202);
        await().atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> "IN_USE".equals(ok(api.get("/api/v1/bandwidth-plans/" + plan, key), 200).text("/status")));

        String rules = "/api/v1/bandwidth-plans/" + plan + "/speed-limit-rules";
        UUID rule = ok(api.post(rules, key,
                Map.of("name", "design team", "upstreamMbps", 5, "downstreamMbps", 8, "cloudPhoneIds", List.of(phone))),
                201)
            .id();
        ok(api.get(rules, key), 200);
        ok(api.get(rules + "/" + rule, key), 200);
        ok(api.patch(rules + "/" + rule, key, Map.of("name", "design")), 200);
        ok(api.put(rules + "/" + rule + "/cloud-phones", key, Map.of("cloudPhoneIds", List.of())), 200);
        ok(api.delete(rules + "/" + rule, key), 204);

        ok(api.post("/api/v1/bandwidth-plans/" + plan + "/peak-bandwidth?preview=true", key,
                Map.of("peakBandwidthMbps", 20)), 200);
        ok(api.post("/api/v1/bandwidth-plans/" + plan + "/peak-bandwidth", key, Map.of("peakBandwidthMbps", 20)), 200);
        ok(api.post("/api/v1/bandwidth-plans/" + plan + "/renewals", key,
                Map.of("duration", Map.of("unit", "MONTH", "count", 1))), 200);
        Instant minute = now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1));
        ok(api.post("/api/v1/bandwidth-samples", api.operator(),
                Map.of("samples", List.of(Map.of("officeNetworkId", network.toString(), "minute", minute.toString(),
                        "inboundBytes", 75_000_000, "outboundBytes", 12_000_000)))),
                200);
        ok(api.get("/api/v1/bandwidth-plans/" + plan + "/monitoring?period=1h", key), 200);
        ok(api.delete("/api/v1/bandwidth-plans/" + plan + "/office-network", key), 200);
        ok(api.post("/api/v1/bandwidth-plans/" + plan + "/unsubscribe?preview=true", key, Map.of()), 200);
        ok(api.post("/api/v1/bandwidth-plans/" + plan + "/unsubscribe", key, Map.of()), 200);

        UUID payAsYouGo = ok(api.post("/api/v1/bandwidth-plans", key, Map.of("region", "cn-shanghai", "paymentType",
                "PAY_AS_YOU_GO", "chargeType", "PAY_BY_BANDWIDTH", "peakBandwidthMbps", 5)), 201)
            .id();
        ok(api.delete("/api/v1/bandwidth-plans/" + payAsYouGo, key), 204);
    }

    private void operatorTools() {
        ok(api.post("/api/v1/admin/lifecycle/run", api.operator(), Map.of()), 200);
        ok(api.get("/api/v1/admin/clock", api.operator()), 200);
        // one second: the shared test clock stays about where the other tests expect it
        ok(api.post("/api/v1/admin/clock", api.operator(), Map.of("advance", "PT1S")), 200);
    }

    private void webhookDeliveries(String key, UUID endpoint) {
        String deliveries = "/api/v1/webhook-endpoints/" + endpoint + "/deliveries";
        await().atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> ok(api.get(deliveries, key), 200).body().path("content").size() > 0);
        String delivery = ok(api.get(deliveries, key), 200).text("/content/0/id");
        ok(api.post(deliveries + "/" + delivery + "/redelivery", key, Map.of()), 202);
    }

    private Instant now() {
        return Instant.parse(api.get("/api/v1/admin/clock", api.operator()).text("/now"));
    }

    private static Response ok(Response response, int status) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        return response;
    }

}
