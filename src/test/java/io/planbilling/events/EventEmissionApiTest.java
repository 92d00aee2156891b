package io.planbilling.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Every event kind of issue 7 is emitted in the transaction of its change and appears in the account's feed, with a
 * payload a consumer can act on without calling back; a refused or previewed request emits nothing.
 */
@ApiTest
class EventEmissionApiTest {

    private static final long GB = 1024L * 1024 * 1024;

    @Autowired
    TestApi api;

    private final List<Receiver> receivers = new ArrayList<>();
    private final Map<UUID, Receiver> receiverOf = new java.util.HashMap<>();

    @AfterEach
    void closeReceivers() {
        receivers.forEach(Receiver::close);
    }

    /** An account with a webhook endpoint for every event type, so every event is also delivered. */
    private TestAccount account(String name, String balance) {
        TestAccount account = api.createAccount(name);
        Receiver receiver = new Receiver();
        receivers.add(receiver);
        Response endpoint = api.post("/api/v1/webhook-endpoints", account.apiKey(), Map.of("url", receiver.url(),
                "eventTypes", List.of("*")));
        assertThat(endpoint.status()).as("%s", endpoint).isEqualTo(201);
        receiver.secrets(endpoint.text("/secret"));
        receiverOf.put(account.id(), receiver);
        if (!balance.equals("0")) {
            api.credit(account.id(), balance);
        }
        return account;
    }

    @Test
    void trafficPackageEventsFromPurchaseToFailedRenewal() {
        TestAccount account = account("events traffic", "100.00");
        UUID device = created(api.post("/api/v1/devices", account.apiKey(), Map.of("name", "d1")));
        UUID second = created(api.post("/api/v1/devices", account.apiKey(), Map.of("name", "d2")));
        UUID first = created(api.post("/api/v1/traffic-packages", account.apiKey(), Map.of("type",
                "DEVICE_2_FLOW_50G", "region", "GUANGZHOU", "deviceIds", List.of(device), "autoRenew", false)));
        api.post("/api/v1/traffic-packages/" + first + "/bindings", account.apiKey(), Map.of("deviceIds", List.of(second)));

        List<JsonNode> events = feed(account);

        assertThat(types(events)).containsExactly("credit.created", "traffic_package.purchased",
                "traffic_package.bound");
        JsonNode purchased = events.get(1);
        assertThat(purchased.get("resourceType").asString()).isEqualTo("TRAFFIC_PACKAGE");
        assertThat(purchased.get("resourceId").asString()).isEqualTo(first.toString());
        assertThat(purchased.get("accountId").asString()).isEqualTo(account.id().toString());
        assertThat(purchased.at("/data/deviceIds/0").asString()).isEqualTo(device.toString());
        assertThat(purchased.at("/data/price/amount").asString()).isEqualTo("70.00");
        assertThat(purchased.at("/data/price/currency").asString()).isEqualTo("CNY");
        assertThat(purchased.at("/data/capacityBytes").asLong()).isEqualTo(50 * GB);
        assertThat(purchased.get("version").asInt()).isEqualTo(1);
        JsonNode bound = events.get(2);
        assertThat(bound.at("/data/boundDeviceIds").toString()).isEqualTo("[\"" + second + "\"]");
        assertThat(bound.at("/data/deviceIds")).hasSize(2);
    }

    @Test
    void exhaustionRenewalRenewalFailureAndPayAsYouGoCharges() {
        TestAccount account = account("events exhaustion", "30.00");
        UUID device = created(api.post("/api/v1/devices", account.apiKey(), Map.of("name", "metered")));
        UUID first = created(api.post("/api/v1/traffic-packages", account.apiKey(), Map.of("type",
                "DEVICE_1_FLOW_20G", "region", "GUANGZHOU", "deviceIds", List.of(device), "autoRenew", true)));
        api.credit(account.id(), "30.00");

        usage(device, 25 * GB);
        usage(device, 20 * GB);

        List<JsonNode> events = feed(account);
        assertThat(types(events)).containsExactly("credit.created", "traffic_package.purchased", "credit.created",
                "traffic_package.exhausted", "traffic_package.renewed", "traffic_package.exhausted",
                "traffic_package.renewal_failed", "charge.accrued");
        JsonNode renewed = events.get(4);
        assertThat(renewed.at("/data/predecessorId").asString()).isEqualTo(first.toString());
        assertThat(renewed.at("/data/usedBytes").asLong()).isEqualTo(5 * GB);
        assertThat(events.get(3).at("/data/status").asString()).isEqualTo("EXHAUSTED");
        JsonNode failed = events.get(6);
        assertThat(failed.at("/data/renewalFailure").asString()).isEqualTo("INSUFFICIENT_BALANCE");
        JsonNode charge = events.get(7);
        assertThat(charge.at("/data/kind").asString()).isEqualTo("PAYG_TRAFFIC");
        assertThat(charge.at("/data/resourceId").asString()).isEqualTo(device.toString());
        assertThat(charge.at("/data/quantity").asLong()).isEqualTo(5 * GB);
        assertThat(charge.at("/data/unitPrice/amount").asString()).isEqualTo("1.20");
        assertThat(charge.at("/data/amount/amount").asString()).isEqualTo("6.00");
        assertThat(charge.get("actor").asString()).isEqualTo("operator");
    }

    @Test
    void expiryFromTheLifecycleJobAndARefundFromAnUnsubscribe() {
        TestAccount account = account("events expiry", "200.00");
        UUID expiring = created(api.post("/api/v1/traffic-packages", account.apiKey(), Map.of("type",
                "DEVICE_1_FLOW_20G", "region", "GUANGZHOU", "deviceIds", List.of(), "autoRenew", false)));
        advance(Duration.ofDays(32));
        run();
        UUID unsubscribed = created(api.post("/api/v1/traffic-packages", account.apiKey(), Map.of("type",
                "DEVICE_1_FLOW_20G", "region", "GUANGZHOU", "deviceIds", List.of(), "autoRenew", false)));
        Response refunded = api.post("/api/v1/traffic-packages/" + unsubscribed + "/unsubscribe", account.apiKey(),
                Map.of());
        assertThat(refunded.status()).as("%s", refunded).isEqualTo(200);

        List<JsonNode> events = feed(account);

        assertThat(types(events)).containsExactly("credit.created", "traffic_package.purchased",
                "traffic_package.expired", "traffic_package.purchased", "refund.created");
        assertThat(events.get(2).get("resourceId").asString()).isEqualTo(expiring.toString());
        assertThat(events.get(2).get("actor").asString()).isEqualTo("operator");
        JsonNode refund = events.get(4);
        assertThat(refund.at("/data/kind").asString()).isEqualTo("REFUND");
        assertThat(refund.at("/data/resourceId").asString()).isEqualTo(unsubscribed.toString());
        assertThat(refund.at("/data/amount/amount").asString()).isNotBlank();
    }

    @Test
    void bandwidthPlanEventsThroughItsWholeLife() {
        TestAccount account = account("events bandwidth", "5000.00");
        UUID network = created(api.post("/api/v1/office-networks", account.apiKey(),
                Map.of("name", "events office", "region", "cn-shanghai")));
        UUID plan = created(api.post("/api/v1/bandwidth-plans", account.apiKey(), Map.of("region", "cn-shanghai",
                "paymentType", "SUBSCRIPTION", "duration", Map.of("unit", "MONTH", "count", 1),
                "peakBandwidthMbps", 10, "autoRenew", false)));
        associate(account, plan, network);
        ok(api.post("/api/v1/bandwidth-plans/" + plan + "/peak-bandwidth", account.apiKey(),
                Map.of("peakBandwidthMbps", 20)));
        ok(api.post("/api/v1/bandwidth-plans/" + plan + "/renewals", account.apiKey(),
                Map.of("duration", Map.of("unit", "MONTH", "count", 1))));
        ok(api.delete("/api/v1/bandwidth-plans/" + plan + "/office-network", account.apiKey()));
        ok(api.post("/api/v1/bandwidth-plans/" + plan + "/unsubscribe", account.apiKey(), Map.of()));

        List<JsonNode> events = feed(account);

        assertThat(types(events)).containsExactly("credit.created", "bandwidth_plan.purchased",
                "bandwidth_plan.associated", "bandwidth_plan.changed", "bandwidth_plan.renewed",
                "bandwidth_plan.dissociated", "bandwidth_plan.unsubscribed", "refund.created");
        assertThat(events.get(2).get("actor").asString()).isEqualTo("job:association-worker");
        assertThat(events.get(2).at("/data/officeNetworkId").asString()).isEqualTo(network.toString());
        assertThat(events.get(3).at("/data/peakBandwidthMbps").asInt()).isEqualTo(20);
        assertThat(events.get(3).at("/data/previousPeakBandwidthMbps").asInt()).isEqualTo(10);
        assertThat(events.get(5).at("/data/previousOfficeNetworkId").asString()).isEqualTo(network.toString());
        assertThat(events.get(1).at("/data/ipAddress").asString()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void expiryHourlyChargesAndDeletionOfBandwidthPlans() {
        TestAccount account = account("events bandwidth expiry", "5000.00");
        UUID subscription = created(api.post("/api/v1/bandwidth-plans", account.apiKey(), Map.of("region",
                "cn-shanghai", "paymentType", "SUBSCRIPTION", "duration", Map.of("unit", "WEEK", "count", 1),
                "peakBandwidthMbps", 10, "autoRenew", false)));
        UUID payg = created(api.post("/api/v1/bandwidth-plans", account.apiKey(), Map.of("region", "cn-shanghai",
                "paymentType", "PAY_AS_YOU_GO", "chargeType", "PAY_BY_BANDWIDTH", "peakBandwidthMbps", 10)));
        advance(Duration.ofDays(8));
        run();
        assertThat(api.delete("/api/v1/bandwidth-plans/" + payg, account.apiKey()).status()).isEqualTo(204);

        List<JsonNode> events = feed(account);

        assertThat(types(events)).startsWith("credit.created", "bandwidth_plan.purchased", "bandwidth_plan.purchased");
        assertThat(events).filteredOn(e -> e.get("type").asString().equals("bandwidth_plan.expired"))
                .singleElement().satisfies(e -> assertThat(e.get("resourceId").asString()).isEqualTo(subscription.toString()));
        List<JsonNode> charges = events.stream().filter(e -> e.get("type").asString().equals("charge.accrued")).toList();
        assertThat(charges).hasSizeGreaterThanOrEqualTo(8 * 24);
        assertThat(charges).allSatisfy(c -> {
            assertThat(c.get("resourceId").asString()).isEqualTo(payg.toString());
            assertThat(c.at("/data/kind").asString()).isEqualTo("BANDWIDTH_HOURS");
            assertThat(c.at("/data/amount/amount").asString()).isEqualTo("0.50");
        });
        assertThat(charges.stream().map(c -> c.at("/data/hourStart").asString()).distinct()).hasSameSizeAs(charges);
        assertThat(types(events)).last().isEqualTo("bandwidth_plan.deleted");
    }

    @Test
    void aRefusedOrPreviewedRequestEmitsNothing() {
        TestAccount account = account("events refused", "10.00");
        Map<String, Object> purchase = Map.of("type", "DEVICE_1_FLOW_20G", "region", "GUANGZHOU", "deviceIds",
                List.of(), "autoRenew", false);

        assertThat(api.post("/api/v1/traffic-packages", account.apiKey(), purchase).status()).isEqualTo(402);
        api.credit(account.id(), "50.00");
        assertThat(api.post("/api/v1/traffic-packages?preview=true", account.apiKey(), purchase).status())
                .isEqualTo(200);

        assertThat(types(feed(account))).containsExactly("credit.created", "credit.created");
    }

    private List<JsonNode> feed(TestAccount account) {
        FeedHorizon.passNow(jdbc);
        List<JsonNode> events = new ArrayList<>();
        String cursor = "";
        for (int guard = 0; guard < 100; guard++) {
            Response page = api.get("/api/v1/events?limit=200" + (cursor.isEmpty() ? "" : "&after=" + cursor),
                    account.apiKey());
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            page.body().get("data").forEach(events::add);
            cursor = page.text("/nextCursor");
            if (!page.body().get("hasMore").asBoolean()) {
                assertDelivered(receiverOf.get(account.id()), events);
                return events;
            }
        }
        throw new AssertionError("the feed did not end");
    }

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    /** Every event of the feed also reached the account's endpoint, signed, in feed order per resource. */
    private void assertDelivered(Receiver receiver, List<JsonNode> events) {
        List<String> expected = events.stream().map(e -> e.get("id").asString()).toList();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!delivered(receiver).containsAll(expected)) {
            assertThat(System.nanoTime() - deadline).as("webhook deliveries of %s", types(events)).isNegative();
            sleep(50);
        }
        assertThat(receiver.received()).allMatch(Receiver.Received::signatureValid);
        for (JsonNode event : events) {
            String resource = event.get("resourceId").asString();
            List<String> feedOrder = events.stream().filter(e -> e.get("resourceId").asString().equals(resource))
                    .map(e -> e.get("id").asString()).toList();
            List<String> deliveryOrder = receiver.received().stream().filter(r -> r.resourceId().equals(resource))
                    .map(Receiver.Received::eventId).distinct().toList();
            assertThat(deliveryOrder).as("deliveries of %s", resource).containsExactlyElementsOf(feedOrder);
        }
    }

    private static List<String> delivered(Receiver receiver) {
        return receiver.received().stream().filter(r -> r.status() == 200).map(Receiver.Received::eventId).toList();
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.get("type").asString()).toList();
    }

    private void usage(UUID device, long bytes) {
        Instant now = Instant.parse(api.get("/api/v1/admin/clock", api.operator()).text("/now"));
        Response posted = api.post("/api/v1/traffic-usage", api.operator(), Map.of("records", List.of(Map.of("id",
                "ev-" + UUID.randomUUID(), "deviceId", device, "region", "GUANGZHOU", "bytes", bytes, "occurredAt",
                now.toString()))));
        assertThat(posted.status()).as("%s", posted).isEqualTo(200);
    }

    private void advance(Duration by) {
        ok(api.post("/api/v1/admin/clock", api.operator(), Map.of("advance", by.toString())));
    }

    private void run() {
        ok(api.post("/api/v1/admin/lifecycle/run", api.operator(), Map.of()));
    }

    private void associate(TestAccount account, UUID plan, UUID network) {
        Response requested = api.put("/api/v1/bandwidth-plans/" + plan + "/office-network", account.apiKey(),
                Map.of("officeNetworkId", network));
        assertThat(requested.status()).as("%s", requested).isEqualTo(202);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!"IN_USE".equals(api.get("/api/v1/bandwidth-plans/" + plan, account.apiKey()).text("/status"))) {
            assertThat(System.nanoTime() - deadline).as("never IN_USE").isNegative();
            sleep(100);
        }
    }

    private static void ok(Response response) {
        assertThat(response.status()).as("%s", response).isBetween(200, 204);
    }

    private static UUID created(Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response.id();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
