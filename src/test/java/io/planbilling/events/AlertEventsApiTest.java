package io.planbilling.events;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.Feed;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The alert kinds as integrators consume them (docs/alerts.md): the feed filtered by kind
 * for a notification pane, with the feed's own cursor semantics, and a webhook endpoint
 * subscribed to the alert kinds alone receiving each of them, signed and as its schema in
 * the document says.
 */
@ApiTest
class AlertEventsApiTest {

    private static final long GB = 1024L * 1024 * 1024;

    private static final List<String> ALERT_KINDS = List.of("traffic_package.usage_threshold_reached",
            "traffic_package.expiring", "bandwidth_plan.expiring", "account.balance_low", "account.balance_recovered",
            "account.postpaid_threshold_reached");

    @Autowired
    TestApi api;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theFeedFiltersByKindWithTheSameCursorSemantics() {
        TestAccount account = api.createAccount("feed filter", "0");
        for (int i = 0; i < 3; i++) {
            api.credit(account.id(), "40.00");
            Response bought = api.post("/api/v1/traffic-packages", account.apiKey(), Map.of("type", "DEVICE_1_FLOW_20G",
                    "region", "GUANGZHOU", "deviceIds", List.of(), "autoRenew", false));
            assertThat(bought.status()).as("%s", bought).isEqualTo(201);
        }
        List<JsonNode> all = new Feed(api, jdbc).events(account.apiKey());

        List<String> credits = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        boolean more = true;
        while (more) {
            Response page = api.get(
                    "/api/v1/events?types=credit.created&limit=1" + (cursor.isEmpty() ? "" : "&after=" + cursor),
                    account.apiKey());
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            page.body().get("data").forEach(e -> credits.add(e.get("id").asString()));
            cursor = page.text("/nextCursor");
            more = page.body().get("hasMore").asBoolean();
            pages++;
        }

        assertThat(credits)
            .containsExactlyElementsOf(all.stream()
                .filter(e -> e.get("type").asString().equals("credit.created"))
                .map(e -> e.get("id").asString())
                .toList())
            .hasSize(3);
        assertThat(pages).isEqualTo(3);
        Response empty = api.get("/api/v1/events?types=credit.created&after=" + cursor, account.apiKey());
        assertThat(empty.body().get("data")).isEmpty();
        assertThat(empty.text("/nextCursor")).as("an empty page keeps the cursor").isEqualTo(cursor);
        // several kinds, in feed order; the same as the whole feed without the others
        assertThat(
                Feed.types(new Feed(api, jdbc).events(account.apiKey(), "traffic_package.purchased", "credit.created")))
            .containsExactly("credit.created", "traffic_package.purchased", "credit.created",
                    "traffic_package.purchased", "credit.created", "traffic_package.purchased");
    }

    @Test
    void unknownKindsAreRefusedNamingTheAllowedOnes() {
        TestAccount account = api.createAccount("feed filter refused");

        Response unknown = api.get("/api/v1/events?types=credit.created,account.balance_lowish", account.apiKey());

        assertProblem(unknown, 400, "VALIDATION_FAILED");
        JsonNode error = unknown.body().get("errors").get(0);
        assertThat(error.get("field").asString()).isEqualTo("types[1]");
        assertThat(error.get("message").asString()).startsWith("must be one of traffic_package.purchased, ")
            .contains("account.balance_low", "account.postpaid_threshold_reached", "webhook_endpoint.disabled");
        String many = String.join(",", Collections.nCopies(51, "credit.created"));
        assertProblem(api.get("/api/v1/events?types=" + many, account.apiKey()), 400, "VALIDATION_FAILED");
    }

    @Test
    void anEndpointSubscribedToTheAlertKindsReceivesEachOfThem() {
        try (Receiver receiver = new Receiver()) {
            TestAccount account = api.createAccount("alert webhooks", "5000.00");
            Response endpoint = api.post("/api/v1/webhook-endpoints", account.apiKey(),
                    Map.of("url", receiver.url(), "eventTypes", ALERT_KINDS));
            assertThat(endpoint.status()).as("%s", endpoint).isEqualTo(201);
            receiver.secrets(endpoint.text("/secret"));
            Map<String, Object> settings = new HashMap<>();
            settings.put("trafficUsageThresholds", List.of(50));
            settings.put("expiryReminderDays", List.of(7));
            settings.put("lowBalanceThreshold", TestApi.money("4000.00"));
            settings.put("postpaidMonthlyThreshold", TestApi.money("1.00"));
            assertThat(api.put("/api/v1/alert-settings", account.apiKey(), settings).status()).isEqualTo(200);

            UUID device = created(api.post("/api/v1/devices", account.apiKey(), Map.of("name", "alerted")));
            UUID payg = created(api.post("/api/v1/devices", account.apiKey(), Map.of("name", "postpaid")));
            UUID pkg = created(api.post("/api/v1/traffic-packages", account.apiKey(), Map.of("type",
                    "DEVICE_1_FLOW_20G", "region", "GUANGZHOU", "deviceIds", List.of(device), "autoRenew", false)));
            UUID plan = created(
                    api.post("/api/v1/bandwidth-plans", account.apiKey(), Map.of("region", "cn-shanghai", "paymentType",
                            "SUBSCRIPTION", "duration", Map.of("unit", "YEAR", "count", 1), "peakBandwidthMbps", 4))); // 1000.00:
                                                                                                                       // 3970.00
                                                                                                                       // left,
                                                                                                                       // below
                                                                                                                       // 4000.00
            api.credit(account.id(), "100.00"); // 4070.00: recovered
            Instant now = Instant.parse(api.get("/api/v1/admin/clock", api.operator()).text("/now"));
            assertThat(api
                .post("/api/v1/traffic-usage", api.operator(),
                        Map.of("records",
                                List.of(Map.of("id", "alert-" + UUID.randomUUID(), "deviceId", device.toString(),
                                        "region", "GUANGZHOU", "bytes", 10 * GB, "occurredAt", now.toString()),
                                        Map.of("id", "alert-" + UUID.randomUUID(), "deviceId", payg.toString(),
                                                "region", "GUANGZHOU", "bytes", GB, "occurredAt", now.toString()))))
                .status()).isEqualTo(200);
            // the year's subscription ends long after the package: only the package's
            // reminder is due
            Instant packageEnd = Instant
                .parse(api.get("/api/v1/traffic-packages/" + pkg, account.apiKey()).text("/validUntil"));
            assertThat(api
                .post("/api/v1/admin/clock", api.operator(),
                        Map.of("set", packageEnd.minus(Duration.ofDays(7)).toString()))
                .status()).isEqualTo(200);
            assertThat(api.post("/api/v1/admin/lifecycle/run", api.operator(), Map.of()).status()).isEqualTo(200);
            Instant planEnd = Instant
                .parse(api.get("/api/v1/bandwidth-plans/" + plan, account.apiKey()).text("/expiresAt"));
            assertThat(api
                .post("/api/v1/admin/clock", api.operator(),
                        Map.of("set", planEnd.minus(Duration.ofDays(7)).toString()))
                .status()).isEqualTo(200);
            assertThat(api.post("/api/v1/admin/lifecycle/run", api.operator(), Map.of()).status()).isEqualTo(200);

            // low again, then recovered after the alert was turned off: its threshold is
            // null
            for (int i = 0; i < 3; i++) {
                created(api.post("/api/v1/traffic-packages", account.apiKey(), Map.of("type", "DEVICE_1_FLOW_20G",
                        "region", "GUANGZHOU", "deviceIds", List.of(), "autoRenew", false)));
            } // 3980.00: below 4000.00
            settings.put("lowBalanceThreshold", null);
            assertThat(api.put("/api/v1/alert-settings", account.apiKey(), settings).status()).isEqualTo(200);
            api.credit(account.id(), "1.00");

            List<JsonNode> alerts = new Feed(api, jdbc).events(account.apiKey(), ALERT_KINDS.toArray(String[]::new));
            assertThat(Feed.types(alerts)).containsExactly("account.balance_low", "account.balance_recovered",
                    "traffic_package.usage_threshold_reached", "account.postpaid_threshold_reached",
                    "traffic_package.expiring", "bandwidth_plan.expiring", "account.balance_low",
                    "account.balance_recovered");
            assertThat(alerts.get(7).at("/data/threshold").isNull()).isTrue();
            List<String> ids = alerts.stream().map(e -> e.get("id").asString()).toList();
            await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(
                        receiver.received().stream().filter(r -> r.status() == 200).map(Receiver.Received::eventId))
                    .containsAll(ids));
            assertThat(receiver.received()).allMatch(Receiver.Received::signatureValid)
                .allMatch(r -> ALERT_KINDS.contains(r.type()));
            WebhookSchemas schemas = new WebhookSchemas(api.get("/v3/api-docs", null).body());
            for (JsonNode alert : alerts) {
                assertThat(schemas.violations(alert)).as("%s", alert).isEmpty();
            }
            assertThat(api.delete("/api/v1/webhook-endpoints/" + endpoint.id(), account.apiKey()).status())
                .isEqualTo(204);
        }
    }

    private static UUID created(Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response.id();
    }

}
