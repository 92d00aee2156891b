package io.planbilling.bandwidthplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Fixtures of the bandwidth plan tests: networks, phones and plans made through the API.
 */
final class BandwidthFixtures {

    static final String REGION = "cn-shanghai";

    private final TestApi api;

    BandwidthFixtures(TestApi api) {
        this.api = api;
    }

    UUID network(TestAccount account) {
        return network(account, REGION);
    }

    UUID network(TestAccount account, String region) {
        Response created = api.post("/api/v1/office-networks", account.apiKey(),
                Map.of("name", "office " + UUID.randomUUID(), "region", region));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.id();
    }

    UUID phone(TestAccount account, UUID network) {
        Response created = api.post("/api/v1/cloud-phones", account.apiKey(),
                Map.of("name", "phone " + UUID.randomUUID(), "officeNetworkId", network));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.id();
    }

    static Map<String, Object> subscription(String unit, int count, int peak) {
        Map<String, Object> body = new HashMap<>();
        body.put("region", REGION);
        body.put("paymentType", "SUBSCRIPTION");
        body.put("duration", Map.of("unit", unit, "count", count));
        body.put("peakBandwidthMbps", peak);
        return body;
    }

    static Map<String, Object> payAsYouGo(String chargeType, int peak) {
        Map<String, Object> body = new HashMap<>();
        body.put("region", REGION);
        body.put("paymentType", "PAY_AS_YOU_GO");
        body.put("chargeType", chargeType);
        body.put("peakBandwidthMbps", peak);
        return body;
    }

    static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        Map<String, Object> copy = new HashMap<>(body);
        copy.put(field, value);
        return copy;
    }

    Response purchase(TestAccount account, Map<String, Object> body) {
        return api.post("/api/v1/bandwidth-plans", account.apiKey(), body);
    }

    UUID buy(TestAccount account, Map<String, Object> body) {
        Response bought = purchase(account, body);
        assertThat(bought.status()).as("%s", bought).isEqualTo(201);
        return bought.id();
    }

    Response plan(TestAccount account, UUID planId) {
        return api.get("/api/v1/bandwidth-plans/" + planId, account.apiKey());
    }

    Response associate(TestAccount account, UUID planId, UUID network) {
        return api.put("/api/v1/bandwidth-plans/" + planId + "/office-network", account.apiKey(),
                Map.of("officeNetworkId", network));
    }

    /** Waits (bounded) until the worker has applied the plan's association. */
    Response awaitInUse(TestAccount account, UUID planId) {
        return await("plan " + planId + " IN_USE").atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> plan(account, planId), plan -> "IN_USE".equals(plan.text("/status")));
    }

    /** Associates and waits until applied. */
    void associateInUse(TestAccount account, UUID planId, UUID network) {
        Response requested = associate(account, planId, network);
        assertThat(requested.status()).as("%s", requested).isEqualTo(202);
        awaitInUse(account, planId);
    }

    Instant now() {
        return Instant.parse(api.get("/api/v1/admin/clock", api.operator()).text("/now"));
    }

    Instant advance(Duration by) {
        Response moved = api.post("/api/v1/admin/clock", api.operator(), Map.of("advance", by.toString()));
        assertThat(moved.status()).as("%s", moved).isEqualTo(200);
        return Instant.parse(moved.text("/now"));
    }

    Instant set(Instant at) {
        Response moved = api.post("/api/v1/admin/clock", api.operator(), Map.of("set", at.toString()));
        assertThat(moved.status()).as("%s", moved).isEqualTo(200);
        return Instant.parse(moved.text("/now"));
    }

    Response runLifecycle() {
        Response run = api.runLifecycle();
        assertThat(run.status()).as("%s", run).isEqualTo(200);
        return run;
    }

    Response samples(List<Map<String, Object>> samples) {
        return api.post("/api/v1/bandwidth-samples", api.operator(), Map.of("samples", samples));
    }

    static Map<String, Object> sample(UUID network, Instant minute, long inbound, long outbound) {
        return Map.of("officeNetworkId", network, "minute", minute.toString(), "inboundBytes", inbound, "outboundBytes",
                outbound);
    }

}
