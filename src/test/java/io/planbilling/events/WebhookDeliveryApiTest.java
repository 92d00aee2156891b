package io.planbilling.events;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Webhooks end to end against real receivers on loopback (see {@link Receiver}), with the
 * test settings of {@code @ApiTest}: first retry after 0.3 s, doubling to at most 2 s, 8
 * attempts, 20 % jitter, an endpoint disabled after 6 consecutive failures, 1 s request
 * timeout. Racing dispatchers, leases and per-resource order are proven on the SQL itself
 * ({@code WebhookDeliverySqlTest}).
 */
@ApiTest
class WebhookDeliveryApiTest {

    private static final long FIRST_RETRY_MILLIS = 300;

    @Autowired
    TestApi api;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @Test
    void everyEventArrivesSignedInOrderPerResourceAndFailuresAreRetriedAsConfigured() throws Exception {
        try (Receiver receiver = new Receiver()) {
            TestAccount account = api.createAccount("webhooks recover");
            JsonNode endpoint = register(account, receiver.url(), List.of("*"));
            receiver.secrets(endpoint.get("secret").asString()).policy(n -> n <= 4 ? 500 : 200);

            api.credit(account.id(), "200.00");
            UUID device = api.post("/api/v1/devices", account.apiKey(), Map.of("name", "hooked")).id();
            UUID second = api.post("/api/v1/devices", account.apiKey(), Map.of("name", "hooked too")).id();
            UUID pkg = api
                .post("/api/v1/traffic-packages", account.apiKey(), Map.of("type", "DEVICE_2_FLOW_50G", "region",
                        "GUANGZHOU", "deviceIds", List.of(device), "autoRenew", false))
                .id();
            api.post("/api/v1/traffic-packages/" + pkg + "/bindings", account.apiKey(),
                    Map.of("deviceIds", List.of(second)));
            api.credit(account.id(), "1.00");
            List<JsonNode> feed = feed(account);
            assertThat(feed).hasSize(4);

            await(() -> succeeded(receiver).keySet().containsAll(ids(feed)), "every event delivered");

            List<Receiver.Received> all = receiver.received();
            assertThat(all).allMatch(Receiver.Received::signatureValid);
            assertThat(all.stream().filter(r -> r.status() == 500)).hasSize(4);
            assertThat(succeeded(receiver).keySet()).containsExactlyInAnyOrderElementsOf(ids(feed));
            // in order per resource: the package's purchase before its binding
            List<String> packageEvents = all.stream()
                .filter(r -> r.resourceId().equals(pkg.toString()))
                .filter(r -> r.status() == 200)
                .map(Receiver.Received::type)
                .toList();
            assertThat(packageEvents).containsExactly("traffic_package.purchased", "traffic_package.bound");
            // retries spaced as configured: the n-th retry of an event waits at least 0.3
            // s × 2^(n-1), less jitter
            Map<String, List<Receiver.Received>> byEvent = all.stream()
                .collect(Collectors.groupingBy(Receiver.Received::eventId, LinkedHashMap::new, Collectors.toList()));
            int retries = 0;
            for (List<Receiver.Received> attempts : byEvent.values()) {
                for (int n = 1; n < attempts.size(); n++) {
                    long gapMillis = (attempts.get(n).atNanos() - attempts.get(n - 1).atNanos()) / 1_000_000;
                    long planned = FIRST_RETRY_MILLIS << (n - 1);
                    assertThat(gapMillis).as("retry %d of %s", n, attempts.get(0).type())
                        .isGreaterThanOrEqualTo(planned * 80 / 100);
                    retries++;
                }
            }
            assertThat(retries).isEqualTo(4);
        }
    }

    @Test
    void anEndpointThatKeepsFailingIsDisabledWithAnEvent() throws Exception {
        try (Receiver receiver = new Receiver()) {
            TestAccount account = api.createAccount("webhooks failing");
            JsonNode endpoint = register(account, receiver.url(), List.of("credit.created"));
            receiver.secrets(endpoint.get("secret").asString()).policy(n -> 503);
            String path = "/api/v1/webhook-endpoints/" + endpoint.get("id").asString();

            for (int i = 0; i < 3; i++) {
                api.credit(account.id(), "1.00");
            }
            await(() -> !api.get(path, account.apiKey()).body().get("enabled").asBoolean(), "endpoint disabled");

            JsonNode disabled = api.get(path, account.apiKey()).body();
            assertThat(disabled.get("disabledReason").asString()).isEqualTo("TOO_MANY_FAILURES");
            assertThat(disabled.get("consecutiveFailures").asInt()).isEqualTo(6);
            int attempts = receiver.received().size();
            assertThat(attempts).isEqualTo(6);
            Awaitility.await("nothing is sent to a disabled endpoint")
                .during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(3))
                .until(() -> receiver.received().size() == attempts);
            List<JsonNode> feed = feed(account);
            assertThat(feed).last().satisfies(event -> {
                assertThat(event.get("type").asString()).isEqualTo("webhook_endpoint.disabled");
                assertThat(event.get("resourceId").asString()).isEqualTo(endpoint.get("id").asString());
                assertThat(event.at("/data/lastStatusCode").asInt()).isEqualTo(503);
            });

            receiver.policy(n -> 200);
            assertThat(api.patch(path, account.apiKey(), Map.of("enabled", true))
                .body()
                .get("consecutiveFailures")
                .asInt()).isZero();
            await(() -> succeeded(receiver).size() == 3, "pending deliveries resume once enabled again");
        }
    }

    @Test
    void aRotatedSecretIsAcceptedDuringTheOverlapAndAloneAfterIt() throws Exception {
        try (Receiver oldOnly = new Receiver(); Receiver newOnly = new Receiver()) {
            TestAccount account = api.createAccount("webhooks rotation");
            JsonNode first = register(account, oldOnly.url(), List.of("credit.created"));
            String path = "/api/v1/webhook-endpoints/" + first.get("id").asString();
            oldOnly.secrets(first.get("secret").asString());

            Response rotated = api.post(path + "/secret-rotation", account.apiKey(), Map.of("overlap", "PT1H"));
            assertThat(rotated.status()).as("%s", rotated).isEqualTo(200);
            String secondSecret = rotated.text("/secret");
            assertThat(secondSecret).startsWith("whsec_").isNotEqualTo(first.get("secret").asString());
            assertThat(rotated.text("/previousSecretExpiresAt")).isNotNull();
            api.credit(account.id(), "1.00");
            await(() -> succeeded(oldOnly).size() == 1, "delivery during the overlap");
            assertThat(oldOnly.received().get(0).signatureHeader()).matches("t=\\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}");

            api.patch(path, account.apiKey(), Map.of("url", newOnly.url()));
            String thirdSecret = api.post(path + "/secret-rotation", account.apiKey(), Map.of("overlap", "PT0S"))
                .text("/secret");
            newOnly.secrets(first.get("secret").asString(), secondSecret);
            api.credit(account.id(), "2.00");
            await(() -> !newOnly.received().isEmpty(), "delivery after the overlap");
            assertThat(newOnly.received().get(0).signatureValid()).as("older secrets no longer sign").isFalse();
            assertThat(newOnly.received().get(0).signatureHeader()).matches("t=\\d+,v1=[0-9a-f]{64}");
            newOnly.secrets(thirdSecret);
            await(() -> succeeded(newOnly).size() == 1, "the new secret alone");
        }
    }

    @Test
    void theDeliveryLogShowsEveryAttemptAndARedeliveryArrivesAgain() throws Exception {
        try (Receiver receiver = new Receiver()) {
            TestAccount account = api.createAccount("webhooks log");
            JsonNode endpoint = register(account, receiver.url(), List.of("credit.created"));
            String path = "/api/v1/webhook-endpoints/" + endpoint.get("id").asString();
            // the first attempt outlasts the 1 s request timeout; the second is answered
            // 200
            receiver.secrets(endpoint.get("secret").asString()).delay(n -> n == 1 ? 1500 : 0).policy(n -> 200);
            api.credit(account.id(), "1.00");
            await(() -> "SUCCEEDED".equals(delivery(account, path).get("status").asString()), "delivered");

            JsonNode delivery = delivery(account, path);
            assertThat(delivery.get("eventType").asString()).isEqualTo("credit.created");
            JsonNode attempts = delivery.get("attempts");
            assertThat(attempts).hasSize(2);
            assertThat(attempts.get(0).get("statusCode").isNull()).isTrue();
            assertThat(attempts.get(0).get("error").asString()).isEqualTo("timeout");
            assertThat(attempts.get(0).get("durationMs").asInt()).isBetween(900, 3000);
            assertThat(attempts.get(1).get("statusCode").asInt()).isEqualTo(200);

            // the receiver answers the timed-out first attempt too, once its delay is
            // over: 2 answers before the
            // redelivery, 3 after it (waiting for "2" after redelivering raced with the
            // late first answer)
            await(() -> answered(receiver) == 2, "the timed-out attempt answered late");
            Response redelivered = api.post(path + "/deliveries/" + delivery.get("id").asString() + "/redelivery",
                    account.apiKey(), Map.of());
            assertThat(redelivered.status()).isEqualTo(202);
            await(() -> answered(receiver) == 3, "redelivered");
            assertThat(succeeded(receiver)).containsOnlyKeys(delivery.get("eventId").asString());
            assertProblem(
                    api.post(path + "/deliveries/" + UUID.randomUUID() + "/redelivery", account.apiKey(), Map.of()),
                    404, "NOT_FOUND");
        }
    }

    @Test
    void endpointsAreValidated() {
        TestAccount account = api.createAccount("webhooks validation");
        assertProblem(api.post("/api/v1/webhook-endpoints", account.apiKey(),
                Map.of("url", "ftp://example.com/x", "eventTypes", List.of("*"))), 400, "VALIDATION_FAILED");
        assertProblem(
                api.post("/api/v1/webhook-endpoints", account.apiKey(),
                        Map.of("url", "https://example.com/x", "eventTypes", List.of("no.such_type"))),
                400, "VALIDATION_FAILED");
        assertProblem(
                api.post("/api/v1/webhook-endpoints", account.apiKey(),
                        Map.of("url", "https://user:pw@example.com/x", "eventTypes", List.of("*"))),
                400, "VALIDATION_FAILED");
        assertProblem(api.post("/api/v1/webhook-endpoints", api.operator(),
                Map.of("url", "https://example.com/x", "eventTypes", List.of("*"))), 403, "FORBIDDEN");
        String path = "/api/v1/webhook-endpoints/"
                + register(account, "https://example.com/hook", List.of("*")).get("id").asString();
        assertProblem(api.post(path + "/secret-rotation", account.apiKey(), Map.of("overlap", "P8D")), 400,
                "VALIDATION_FAILED");
        assertProblem(api.post(path + "/secret-rotation", account.apiKey(), Map.of("overlap", "a day")), 400,
                "VALIDATION_FAILED");
        api.post(path + "/secret-rotation", account.apiKey(), Map.of("overlap", "PT1H"));
        assertThat(jdbc.queryForList(
                "SELECT row_data::text FROM audit_log WHERE table_name = 'webhook_endpoints'" + " AND resource_id = ?",
                String.class, path.substring(path.lastIndexOf('/') + 1)))
            .as("the audit trail of an endpoint never holds its secrets")
            .hasSize(2)
            .allSatisfy(row -> assertThat(row).doesNotContain("whsec_").contains("https://example.com/hook"));
        assertThat(api.delete(path, account.apiKey()).status()).isEqualTo(204);
        assertProblem(api.get(path, account.apiKey()), 404, "NOT_FOUND");
    }

    private JsonNode register(TestAccount account, String url, List<String> types) {
        Response created = api.post("/api/v1/webhook-endpoints", account.apiKey(),
                Map.of("url", url, "eventTypes", types));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.text("/secret")).startsWith("whsec_");
        return created.body();
    }

    private JsonNode delivery(TestAccount account, String path) {
        return api.get(path + "/deliveries", account.apiKey()).body().get("content").get(0);
    }

    private List<JsonNode> feed(TestAccount account) {
        FeedHorizon.passNow(jdbc);
        List<JsonNode> events = new ArrayList<>();
        api.get("/api/v1/events?limit=1000", account.apiKey()).body().get("data").forEach(events::add);
        return events;
    }

    private static Set<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.get("id").asString()).collect(Collectors.toSet());
    }

    private static int answered(Receiver receiver) {
        return succeeded(receiver).values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Event id → how many times it was answered 200. */
    private static Map<String, Integer> succeeded(Receiver receiver) {
        return receiver.received()
            .stream()
            .filter(r -> r.status() == 200)
            .collect(Collectors.toMap(Receiver.Received::eventId, r -> 1, Integer::sum));
    }

    private static void await(BooleanSupplier condition, String what) {
        Awaitility.await(what)
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(condition::getAsBoolean);
    }

}
