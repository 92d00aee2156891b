package io.planbilling.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planbilling.shared.EventType;
import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every event kind is recorded by the real operation that makes its change, in that
 * change's transaction, and appears in the account's feed and at its webhook endpoint
 * with data that conforms to the kind's schema in the OpenAPI document's webhooks (the
 * API's own view of the resource); a refused or previewed request emits nothing
 * (docs/events.md).
 */
@ApiTest
class EventEmissionApiTest {

    private static final long GB = 1024L * 1024 * 1024;

    @Autowired
    TestApi api;

    @Autowired
    JdbcTemplate jdbc;

    private final List<Receiver> receivers = new ArrayList<>();

    private final Map<UUID, Receiver> receiverOf = new HashMap<>();

    private final Map<String, String> endpoints = new HashMap<>();

    private WebhookSchemas schemas;

    /**
     * Removes this test's endpoints before their receivers go: later tests move the
     * shared clock and run the lifecycle job, and the events that makes for these
     * accounts must not queue deliveries to closed receivers.
     */
    @AfterEach
    void removeEndpointsAndCloseReceivers() {
        endpoints.forEach((path, key) -> api.delete(path, key));
        receivers.forEach(Receiver::close);
    }

    /**
     * An account with a webhook endpoint for every event type, so every event is also
     * delivered.
     */
    private TestAccount account(String name, String balance) {
        TestAccount account = api.createAccount(name);
        Receiver receiver = receiver();
        Response endpoint = api.post("/api/v1/webhook-endpoints", account.apiKey(),
                Map.of("url", receiver.url(), "eventTypes", List.of("*")));
        assertThat(endpoint.status()).as("%s", endpoint).isEqualTo(201);
        receiver.secrets(endpoint.text("/secret"));
        receiverOf.put(account.id(), receiver);
        endpoints.put("/api/v1/webhook-endpoints/" + endpoint.id(), account.apiKey());
        if (!balance.equals("0")) {
            api.credit(account.id(), balance);
        }
        return account;
    }

    private Receiver receiver() {
        Receiver receiver = new Receiver();
        receivers.add(receiver);
        return receiver;
    }

    /**
     * Each kind from the operation that makes it: the kind is in the feed for the
     * resource the operation changed.
     */
    @ParameterizedTest
    @EnumSource(EventType.class)
    void eachKindIsRecordedByItsOperation(EventType kind) {
        // enough for every operation, except for the renewal that is to fail: one
        // package's price
        TestAccount account = account("events " + kind.wireName(),
                kind == EventType.TRAFFIC_PACKAGE_RENEWAL_FAILED ? "30.00" : "5000.00");
        UUID resource = switch (kind) {
            case TRAFFIC_PACKAGE_PURCHASED -> trafficPackage(account, "DEVICE_1_FLOW_20G", false, List.of());
            case TRAFFIC_PACKAGE_BOUND -> {
                UUID pkg = trafficPackage(account, "DEVICE_2_FLOW_50G", false, List.of());
                ok(api.post("/api/v1/traffic-packages/" + pkg + "/bindings", account.apiKey(),
                        Map.of("deviceIds", List.of(device(account)))));
                yield pkg;
            }
            case TRAFFIC_PACKAGE_EXHAUSTED -> {
                UUID device = device(account);
                UUID pkg = trafficPackage(account, "DEVICE_1_FLOW_20G", false, List.of(device));
                usage(device, 20 * GB);
                yield pkg;
            }
            case TRAFFIC_PACKAGE_EXPIRED -> {
                UUID pkg = trafficPackage(account, "DEVICE_1_FLOW_20G", false, List.of());
                advance(Duration.ofDays(32));
                runLifecycle();
                yield pkg;
            }
            case TRAFFIC_PACKAGE_RENEWED -> {
                UUID device = device(account);
                UUID pkg = trafficPackage(account, "DEVICE_1_FLOW_20G", false, List.of(device));
                usage(device, 20 * GB);
                Response renewed = api.post("/api/v1/traffic-packages/" + pkg + "/renewal", account.apiKey(), Map.of());
                assertThat(renewed.status()).as("%s", renewed).isBetween(200, 201);
                yield renewed.id();
            }
            case TRAFFIC_PACKAGE_RENEWAL_FAILED -> {
                UUID device = device(account);
                UUID pkg = trafficPackage(account, "DEVICE_1_FLOW_20G", true, List.of(device));
                usage(device, 20 * GB);
                yield pkg;
            }
            case BANDWIDTH_PLAN_PURCHASED -> subscription(account, "MONTH", false);
            case BANDWIDTH_PLAN_ASSOCIATED -> {
                UUID plan = subscription(account, "MONTH", false);
                associate(account, plan, network(account));
                yield plan;
            }
            case BANDWIDTH_PLAN_DISSOCIATED -> {
                UUID plan = subscription(account, "MONTH", false);
                associate(account, plan, network(account));
                ok(api.delete("/api/v1/bandwidth-plans/" + plan + "/office-network", account.apiKey()));
                yield plan;
            }
            case BANDWIDTH_PLAN_CHANGED -> {
                UUID plan = subscription(account, "MONTH", false);
                ok(api.post("/api/v1/bandwidth-plans/" + plan + "/peak-bandwidth", account.apiKey(),
                        Map.of("peakBandwidthMbps", 20)));
                yield plan;
            }
            case BANDWIDTH_PLAN_RENEWED -> {
                UUID plan = subscription(account, "MONTH", false);
                ok(api.post("/api/v1/bandwidth-plans/" + plan + "/renewals", account.apiKey(),
                        Map.of("duration", Map.of("unit", "MONTH", "count", 1))));
                yield plan;
            }
            case BANDWIDTH_PLAN_EXPIRED -> {
                UUID plan = subscription(account, "WEEK", false);
                advance(Duration.ofDays(8));
                runLifecycle();
                yield plan;
            }
            case BANDWIDTH_PLAN_UNSUBSCRIBED -> {
                UUID plan = subscription(account, "MONTH", false);
                ok(api.post("/api/v1/bandwidth-plans/" + plan + "/unsubscribe", account.apiKey(), Map.of()));
                yield plan;
            }
            case BANDWIDTH_PLAN_DELETED -> {
                UUID plan = payAsYouGo(account);
                assertThat(api.delete("/api/v1/bandwidth-plans/" + plan, account.apiKey()).status()).isEqualTo(204);
                yield plan;
            }
            case CREDIT_CREATED -> UUID.fromString(api.credit(account.id(), "12.34").text("/id"));
            case REFUND_CREATED -> {
                UUID pkg = trafficPackage(account, "DEVICE_1_FLOW_20G", false, List.of());
                ok(api.post("/api/v1/traffic-packages/" + pkg + "/unsubscribe", account.apiKey(), Map.of()));
                yield UUID.fromString(api.get("/api/v1/account/ledger", account.apiKey()).text("/content/0/id"));
            }
            case CHARGE_ACCRUED -> {
                UUID device = device(account);
                usage(device, GB / 2);
                yield device;
            }
            case TRAFFIC_PACKAGE_USAGE_THRESHOLD_REACHED -> {
                UUID device = device(account);
                UUID pkg = trafficPackage(account, "DEVICE_1_FLOW_20G", false, List.of(device));
                usage(device, 16 * GB);
                yield pkg;
            }
            case TRAFFIC_PACKAGE_EXPIRING -> {
                UUID pkg = trafficPackage(account, "DEVICE_1_FLOW_20G", false, List.of());
                setClock(Instant.parse(api.get("/api/v1/traffic-packages/" + pkg, account.apiKey()).text("/validUntil"))
                    .minus(Duration.ofDays(7)));
                runLifecycle();
                yield pkg;
            }
            case BANDWIDTH_PLAN_EXPIRING -> {
                UUID plan = subscription(account, "MONTH", false);
                setClock(Instant.parse(api.get("/api/v1/bandwidth-plans/" + plan, account.apiKey()).text("/expiresAt"))
                    .minus(Duration.ofDays(7)));
                runLifecycle();
                yield plan;
            }
            case ACCOUNT_BALANCE_LOW -> {
                alertSettings(account, "4990.00", null);
                trafficPackage(account, "DEVICE_1_FLOW_20G", false, List.of());
                yield account.id();
            }
            case ACCOUNT_BALANCE_RECOVERED -> {
                alertSettings(account, "4990.00", null);
                trafficPackage(account, "DEVICE_1_FLOW_20G", false, List.of());
                api.credit(account.id(), "100.00");
                yield account.id();
            }
            case ACCOUNT_POSTPAID_THRESHOLD_REACHED -> {
                alertSettings(account, null, "1.00");
                usage(device(account), GB);
                yield account.id();
            }
            case WEBHOOK_ENDPOINT_DISABLED -> {
                Receiver failing = receiver().policy(n -> 503);
                Response endpoint = api.post("/api/v1/webhook-endpoints", account.apiKey(),
                        Map.of("url", failing.url(), "eventTypes", List.of("credit.created")));
                failing.secrets(endpoint.text("/secret"));
                String path = "/api/v1/webhook-endpoints/" + endpoint.id();
                for (int i = 0; i < 3; i++) {
                    api.credit(account.id(), "1.00");
                }
                await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !api.get(path, account.apiKey()).body().get("enabled").asBoolean());
                yield endpoint.id();
            }
        };

        List<JsonNode> events = feed(account);

        assertThat(events).as("%s of %s", kind.wireName(), resource).anySatisfy(event -> {
            assertThat(event.get("type").asString()).isEqualTo(kind.wireName());
            assertThat(event.get("resourceId").asString()).isEqualTo(resource.toString());
        });
    }

    @Test
    void trafficPackageDataIsTheApiViewOfThePackage() {
        TestAccount account = account("events traffic", "100.00");
        UUID device = device(account);
        UUID second = device(account);
        UUID first = trafficPackage(account, "DEVICE_2_FLOW_50G", false, List.of(device));
        ok(api.post("/api/v1/traffic-packages/" + first + "/bindings", account.apiKey(),
                Map.of("deviceIds", List.of(second))));
        JsonNode view = api.get("/api/v1/traffic-packages/" + first, account.apiKey()).body();

        List<JsonNode> events = feed(account);

        assertThat(types(events)).containsExactly("credit.created", "traffic_package.purchased",
                "traffic_package.bound");
        JsonNode purchased = events.get(1);
        assertThat(purchased.get("version").asInt()).isEqualTo(2);
        assertThat(purchased.get("resourceType").asString()).isEqualTo("TRAFFIC_PACKAGE");
        assertThat(purchased.get("accountId").asString()).isEqualTo(account.id().toString());
        assertThat(purchased.at("/data/price/amount").asString()).isEqualTo("70.00");
        assertThat(purchased.at("/data/price/currency").asString()).isEqualTo("CNY");
        assertThat(purchased.at("/data/capacityBytes").asLong()).isEqualTo(50 * GB);
        assertThat(purchased.at("/data/deviceIds").toString()).isEqualTo("[\"" + device + "\"]");
        JsonNode bound = events.get(2);
        assertThat(bound.at("/data/boundDeviceIds").toString()).isEqualTo("[\"" + second + "\"]");
        // the bound event's data is the package as the API reads it, field for field,
        // plus what the change bound
        ObjectNode boundView = (ObjectNode) bound.get("data").deepCopy();
        boundView.remove("boundDeviceIds");
        assertThat(boundView).isEqualTo(view);
        assertThat(bound.get("data").has("pendingChange")).as("the full view, pendingChange included").isTrue();
        assertThat(bound.get("data").has("successorId")).isTrue();
    }

    @Test
    void exhaustionRenewalRenewalFailureAndPayAsYouGoChargesInTheBillsUnits() {
        TestAccount account = account("events exhaustion", "30.00");
        UUID device = device(account);
        UUID first = trafficPackage(account, "DEVICE_1_FLOW_20G", true, List.of(device));
        api.credit(account.id(), "30.00");

        usage(device, 25 * GB);
        usage(device, 20 * GB);

        List<JsonNode> events = feed(account);
        // the default usage thresholds (80 and 100 percent) are reached by each batch,
        // after the exhaustion it
        // records (docs/alerts.md)
        assertThat(types(events)).containsExactly("credit.created", "traffic_package.purchased", "credit.created",
                "traffic_package.exhausted", "traffic_package.renewed", "traffic_package.usage_threshold_reached",
                "traffic_package.usage_threshold_reached", "traffic_package.exhausted",
                "traffic_package.renewal_failed", "traffic_package.usage_threshold_reached",
                "traffic_package.usage_threshold_reached", "charge.accrued");
        JsonNode exhausted = events.get(3);
        assertThat(exhausted.at("/data/status").asString()).isEqualTo("EXHAUSTED");
        assertThat(events.get(5).at("/data/threshold").asInt()).isEqualTo(80);
        assertThat(events.get(6).at("/data/threshold").asInt()).isEqualTo(100);
        assertThat(events.get(6).at("/data/thresholdsReached").toString()).isEqualTo("[80,100]");
        JsonNode renewed = events.get(4);
        assertThat(exhausted.at("/data/successorId").asString()).as("as its transaction left it")
            .isEqualTo(renewed.get("resourceId").asString());
        assertThat(renewed.at("/data/predecessorId").asString()).isEqualTo(first.toString());
        assertThat(renewed.at("/data/usedBytes").asLong()).as("the carried-over traffic, at commit").isEqualTo(5 * GB);
        JsonNode failed = events.get(8);
        assertThat(failed.at("/data/renewalFailure").asString()).isEqualTo("INSUFFICIENT_BALANCE");
        JsonNode charge = events.get(11);
        assertThat(charge.get("resourceType").asString()).isEqualTo("TRAFFIC_DEVICE");
        assertThat(charge.get("resourceId").asString()).isEqualTo(device.toString());
        assertThat(charge.at("/data/kind").asString()).isEqualTo("PAYG_TRAFFIC");
        assertThat(charge.at("/data/quantity").asString()).isEqualTo("5");
        assertThat(charge.at("/data/unit").asString()).isEqualTo("GB");
        assertThat(charge.at("/data/unitPrice/amount").asString()).isEqualTo("1.20");
        assertThat(charge.at("/data/amount/amount").asString()).isEqualTo("6.00");
        assertThat(charge.at("/data/recordIds")).hasSize(1);
        assertThat(charge.get("actor").asString()).isEqualTo("operator");
    }

    @Test
    void aChargeStatesTheExactQuantityAndItsAmountRoundedOnceHalfEven() {
        TestAccount account = account("events rounding", "0");
        UUID device = device(account);

        // 0.390625 GB at SILICON_VALLEY's 1.60 per GB is 0.625: rounded once, half-even,
        // 0.62 (half-up says 0.63)
        usage(device, 419_430_400L, "SILICON_VALLEY");

        JsonNode charge = feed(account).stream()
            .filter(e -> e.get("type").asString().equals("charge.accrued"))
            .findFirst()
            .orElseThrow();
        assertThat(charge.at("/data/quantity").asString()).isEqualTo("0.390625");
        assertThat(charge.at("/data/unitPrice/amount").asString()).isEqualTo("1.60");
        assertThat(charge.at("/data/amount/amount").asString()).isEqualTo("0.62");
    }

    @Test
    void bandwidthPlanEventsCarryTheApiViewAndTheFieldsOfTheChange() {
        TestAccount account = account("events bandwidth", "5000.00");
        UUID network = network(account);
        UUID plan = subscription(account, "MONTH", false);
        associate(account, plan, network);
        ok(api.post("/api/v1/bandwidth-plans/" + plan + "/peak-bandwidth", account.apiKey(),
                Map.of("peakBandwidthMbps", 20)));
        String expiry = api.get("/api/v1/bandwidth-plans/" + plan, account.apiKey()).text("/expiresAt");
        ok(api.post("/api/v1/bandwidth-plans/" + plan + "/renewals", account.apiKey(),
                Map.of("duration", Map.of("unit", "MONTH", "count", 1))));
        ok(api.delete("/api/v1/bandwidth-plans/" + plan + "/office-network", account.apiKey()));
        ok(api.post("/api/v1/bandwidth-plans/" + plan + "/unsubscribe", account.apiKey(), Map.of()));

        List<JsonNode> events = feed(account);

        assertThat(types(events)).containsExactly("credit.created", "bandwidth_plan.purchased",
                "bandwidth_plan.associated", "bandwidth_plan.changed", "bandwidth_plan.renewed",
                "bandwidth_plan.dissociated", "bandwidth_plan.unsubscribed", "refund.created");
        assertThat(events.get(1).at("/data/ipAddress").asString()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        assertThat(events.get(1).at("/data/price/amount").asString()).isEqualTo("250.00");
        assertThat(events.get(2).get("actor").asString()).isEqualTo("job:association-worker");
        assertThat(events.get(2).at("/data/officeNetwork/id").asString()).isEqualTo(network.toString());
        assertThat(events.get(2).at("/data/officeNetwork/name").asString()).isEqualTo("events office");
        assertThat(events.get(3).at("/data/peakBandwidthMbps").asInt()).isEqualTo(20);
        assertThat(events.get(3).at("/data/previousPeakBandwidthMbps").asInt()).isEqualTo(10);
        assertThat(Instant.parse(events.get(4).at("/data/previousExpiresAt").asString()))
            .isEqualTo(Instant.parse(expiry));
        assertThat(events.get(5).at("/data/previousOfficeNetworkId").asString()).isEqualTo(network.toString());
        assertThat(events.get(6).at("/data/status").asString()).isEqualTo("UNSUBSCRIBED");
        assertThat(events.get(6).at("/data/ipAddress").isNull()).as("released once ended, as the API shows it")
            .isTrue();
    }

    @Test
    void hourlyChargesOfAPayAsYouGoPlanAreInMbpsHours() {
        TestAccount account = account("events hourly", "0");
        UUID payg = payAsYouGo(account);
        advance(Duration.ofHours(3));
        runLifecycle();

        List<JsonNode> charges = feed(account).stream()
            .filter(e -> e.get("type").asString().equals("charge.accrued"))
            .toList();

        assertThat(charges).hasSizeGreaterThanOrEqualTo(3);
        assertThat(charges).allSatisfy(c -> {
            assertThat(c.get("resourceType").asString()).isEqualTo("BANDWIDTH_PLAN");
            assertThat(c.get("resourceId").asString()).isEqualTo(payg.toString());
            assertThat(c.at("/data/kind").asString()).isEqualTo("BANDWIDTH_HOURS");
            assertThat(c.at("/data/unit").asString()).isEqualTo("MBPS_HOUR");
            assertThat(c.at("/data/quantity").asString()).isEqualTo("10");
            assertThat(c.at("/data/amount/amount").asString()).isEqualTo("0.50");
        });
        assertThat(charges.stream().map(c -> c.at("/data/hourStart").asString()).distinct()).hasSameSizeAs(charges);
        // stops its billing: later tests move the shared clock by days
        assertThat(api.delete("/api/v1/bandwidth-plans/" + payg, account.apiKey()).status()).isEqualTo(204);
    }

    @Test
    void occurredAtIsTheServiceClockTheTestClockIncluded() {
        TestAccount account = account("events clock", "0");
        advance(Duration.ofDays(3));
        Instant before = Instant.parse(api.get("/api/v1/admin/clock", api.operator()).text("/now"));
        api.credit(account.id(), "1.00");
        Instant after = Instant.parse(api.get("/api/v1/admin/clock", api.operator()).text("/now"));

        List<JsonNode> events = feed(account);

        assertThat(Instant.parse(events.get(events.size() - 1).get("occurredAt").asString())).isBetween(before, after);
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
        UUID pkg = trafficPackage(account, "DEVICE_1_FLOW_20G", false, List.of());
        assertThat(api.post("/api/v1/traffic-packages/" + pkg + "/unsubscribe?preview=true", account.apiKey(), Map.of())
            .status()).isEqualTo(200);

        assertThat(types(feed(account))).containsExactly("credit.created", "credit.created",
                "traffic_package.purchased");
    }

    /**
     * The account's whole feed; every event also reached the account's endpoint, signed,
     * in feed order per resource, and conforms to its type's webhook schema in the
     * OpenAPI document.
     */
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
                assertConformToTheirSchemas(events);
                assertDelivered(receiverOf.get(account.id()), events);
                return events;
            }
        }
        throw new AssertionError("the feed did not end");
    }

    private void assertConformToTheirSchemas(List<JsonNode> events) {
        if (schemas == null) {
            schemas = new WebhookSchemas(api.get("/v3/api-docs", null).body());
        }
        for (JsonNode event : events) {
            assertThat(schemas.violations(event)).as("%s", event).isEmpty();
        }
    }

    /**
     * Every event of the feed also reached the account's endpoint, signed, in feed order
     * per resource.
     */
    private static void assertDelivered(Receiver receiver, List<JsonNode> events) {
        List<String> expected = events.stream().map(e -> e.get("id").asString()).toList();
        await().atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .untilAsserted(() -> assertThat(delivered(receiver)).as("webhook deliveries of %s", types(events))
                .containsAll(expected));
        assertThat(receiver.received()).allMatch(Receiver.Received::signatureValid);
        for (JsonNode event : events) {
            String resource = event.get("resourceId").asString();
            List<String> feedOrder = events.stream()
                .filter(e -> e.get("resourceId").asString().equals(resource))
                .map(e -> e.get("id").asString())
                .toList();
            List<String> deliveryOrder = receiver.received()
                .stream()
                .filter(r -> r.resourceId().equals(resource))
                .map(Receiver.Received::eventId)
                .distinct()
                .toList();
            assertThat(deliveryOrder).as("deliveries of %s", resource).containsExactlyElementsOf(feedOrder);
        }
    }

    private static List<String> delivered(Receiver receiver) {
        return receiver.received().stream().filter(r -> r.status() == 200).map(Receiver.Received::eventId).toList();
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.get("type").asString()).toList();
    }

    private UUID device(TestAccount account) {
        return created(api.post("/api/v1/devices", account.apiKey(), Map.of("name", "d-" + UUID.randomUUID())));
    }

    private UUID trafficPackage(TestAccount account, String type, boolean autoRenew, List<UUID> devices) {
        return created(api.post("/api/v1/traffic-packages", account.apiKey(),
                Map.of("type", type, "region", "GUANGZHOU", "deviceIds", devices, "autoRenew", autoRenew)));
    }

    private UUID network(TestAccount account) {
        return created(api.post("/api/v1/office-networks", account.apiKey(),
                Map.of("name", "events office", "region", "cn-shanghai")));
    }

    private UUID subscription(TestAccount account, String unit, boolean autoRenew) {
        return created(api.post("/api/v1/bandwidth-plans", account.apiKey(),
                Map.of("region", "cn-shanghai", "paymentType", "SUBSCRIPTION", "duration",
                        Map.of("unit", unit, "count", 1), "peakBandwidthMbps", 10, "autoRenew", autoRenew)));
    }

    private UUID payAsYouGo(TestAccount account) {
        return created(api.post("/api/v1/bandwidth-plans", account.apiKey(), Map.of("region", "cn-shanghai",
                "paymentType", "PAY_AS_YOU_GO", "chargeType", "PAY_BY_BANDWIDTH", "peakBandwidthMbps", 10)));
    }

    private void usage(UUID device, long bytes) {
        usage(device, bytes, "GUANGZHOU");
    }

    private void usage(UUID device, long bytes, String region) {
        Instant now = Instant.parse(api.get("/api/v1/admin/clock", api.operator()).text("/now"));
        Response posted = api.post("/api/v1/traffic-usage", api.operator(),
                Map.of("records", List.of(Map.of("id", "ev-" + UUID.randomUUID(), "deviceId", device, "region", region,
                        "bytes", bytes, "occurredAt", now.toString()))));
        assertThat(posted.status()).as("%s", posted).isEqualTo(200);
    }

    private void alertSettings(TestAccount account, String lowBalance, String postpaidMonthly) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("trafficUsageThresholds", List.of(80, 100));
        settings.put("expiryReminderDays", List.of(7, 3, 1));
        settings.put("lowBalanceThreshold", lowBalance == null ? null : TestApi.money(lowBalance));
        settings.put("postpaidMonthlyThreshold", postpaidMonthly == null ? null : TestApi.money(postpaidMonthly));
        ok(api.put("/api/v1/alert-settings", account.apiKey(), settings));
    }

    private void setClock(Instant at) {
        ok(api.post("/api/v1/admin/clock", api.operator(), Map.of("set", at.toString())));
    }

    private void advance(Duration by) {
        ok(api.post("/api/v1/admin/clock", api.operator(), Map.of("advance", by.toString())));
    }

    private void runLifecycle() {
        ok(api.post("/api/v1/admin/lifecycle/run", api.operator(), Map.of()));
    }

    private void associate(TestAccount account, UUID plan, UUID network) {
        Response requested = api.put("/api/v1/bandwidth-plans/" + plan + "/office-network", account.apiKey(),
                Map.of("officeNetworkId", network));
        assertThat(requested.status()).as("%s", requested).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> "IN_USE".equals(api.get("/api/v1/bandwidth-plans/" + plan, account.apiKey()).text("/status")));
    }

    private static void ok(Response response) {
        assertThat(response.status()).as("%s", response).isBetween(200, 204);
    }

    private static UUID created(Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response.id();
    }

}
