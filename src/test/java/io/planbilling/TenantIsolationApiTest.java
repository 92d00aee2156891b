package io.planbilling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Tenant isolation (docs/api-guide.md: "a resource of another account is
 * indistinguishable from a missing one → 404"), on every account-scoped operation that
 * takes an id, over HTTP: an intruding account calls each of them with the victim's ids
 * and gets 404 {@code NOT_FOUND}; ids of the victim's resources inside a body or a filter
 * are answered exactly as unknown ids are; the intruder's lists never show the victim's
 * resources; and afterwards every resource of the victim, its balance and its ledger are
 * exactly as before. The operation list is checked against the service's own OpenAPI
 * document, so a new account-scoped operation with an id fails this test until it is
 * covered.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationApiTest {

    private static final String V1 = "/api/v1";

    @Autowired
    TestApi api;

    private TestAccount victim;

    private TestAccount intruder;

    private Map<String, UUID> ids;

    /**
     * A call the intruder makes; {@code template} is the path as the OpenAPI document
     * spells it.
     */
    private record Call(String method, String template, Function<Map<String, UUID>, String> path, Object body) {
    }

    @BeforeAll
    void victimAndIntruder() {
        victim = api.createAccount("tenant victim", "2000.00");
        intruder = api.createAccount("tenant intruder", "2000.00");
        ids = new LinkedHashMap<>();
        // a webhook endpoint first, so the victim's events below give it deliveries (to a
        // closed loopback port)
        ids.put("endpoint", created(api.post(V1 + "/webhook-endpoints", victim.apiKey(),
                Map.of("url", "http://127.0.0.1:9/victim-hook", "eventTypes", List.of("*")))));
        ids.put("device", created(api.post(V1 + "/devices", victim.apiKey(), Map.of("name", "victim device"))));
        ids.put("package",
                created(api.post(V1 + "/traffic-packages", victim.apiKey(), Map.of("type", "DEVICE_2_FLOW_50G",
                        "region", "GUANGZHOU", "deviceIds", List.of(ids.get("device")), "autoRenew", false))));
        ids.put("network", created(api.post(V1 + "/office-networks", victim.apiKey(),
                Map.of("name", "victim office", "region", "cn-shanghai"))));
        ids.put("phone", created(api.post(V1 + "/cloud-phones", victim.apiKey(),
                Map.of("name", "victim phone", "officeNetworkId", ids.get("network")))));
        ids.put("plan",
                created(api.post(V1 + "/bandwidth-plans", victim.apiKey(),
                        Map.of("region", "cn-shanghai", "paymentType", "SUBSCRIPTION", "duration",
                                Map.of("unit", "MONTH", "count", 1), "peakBandwidthMbps", 10))));
        associate(victim, ids.get("plan"), ids.get("network"));
        ids.put("rule",
                created(api.post(V1 + "/bandwidth-plans/" + ids.get("plan") + "/speed-limit-rules", victim.apiKey(),
                        Map.of("name", "victim rule", "upstreamMbps", 5, "downstreamMbps", 5, "cloudPhoneIds",
                                List.of(ids.get("phone"))))));
        // the intruder's own plan, to aim at the victim's rule through a plan the
        // intruder does own
        ids.put("ownPlan", created(api.post(V1 + "/bandwidth-plans", intruder.apiKey(), Map.of("region", "cn-shanghai",
                "paymentType", "PAY_AS_YOU_GO", "chargeType", "PAY_BY_BANDWIDTH", "peakBandwidthMbps", 10))));
        UUID intruderNetwork = created(api.post(V1 + "/office-networks", intruder.apiKey(),
                Map.of("name", "intruder office", "region", "cn-shanghai")));
        associate(intruder, ids.get("ownPlan"), intruderNetwork);
        ids.put("delivery",
                UUID.fromString(
                        api.get(V1 + "/webhook-endpoints/" + ids.get("endpoint") + "/deliveries", victim.apiKey())
                            .body()
                            .get("content")
                            .get(0)
                            .get("id")
                            .asString()));
        ids.put("ownDevice", created(api.post(V1 + "/devices", intruder.apiKey(), Map.of("name", "intruder's"))));
    }

    /**
     * Associates a plan with a network and waits (bounded) until the association worker
     * has applied it.
     */
    private void associate(TestAccount account, UUID plan, UUID network) {
        Response requested = api.put(V1 + "/bandwidth-plans/" + plan + "/office-network", account.apiKey(),
                Map.of("officeNetworkId", network));
        assertThat(requested.status()).as("%s", requested).isEqualTo(202);
        await("plan " + plan + " IN_USE").atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> api.get(V1 + "/bandwidth-plans/" + plan, account.apiKey()).text("/status"), "IN_USE"::equals);
    }

    private List<Call> idCalls() {
        Instant now = Instant.parse(api.get(V1 + "/admin/clock", api.operator()).text("/now"));
        String usage = "?from=" + now.minusSeconds(86_400) + "&to=" + now;
        List<Call> calls = new ArrayList<>();
        calls.add(new Call("GET", "/devices/{id}", i -> "/devices/" + i.get("device"), null));
        calls.add(new Call("PATCH", "/devices/{id}", i -> "/devices/" + i.get("device"), Map.of("name", "taken")));
        calls.add(new Call("GET", "/devices/{id}/usage", i -> "/devices/" + i.get("device") + "/usage" + usage, null));
        calls.add(new Call("GET", "/traffic-packages/{id}", i -> "/traffic-packages/" + i.get("package"), null));
        calls.add(new Call("PATCH", "/traffic-packages/{id}", i -> "/traffic-packages/" + i.get("package"),
                Map.of("autoRenew", true)));
        calls.add(new Call("POST", "/traffic-packages/{id}/bindings",
                i -> "/traffic-packages/" + i.get("package") + "/bindings",
                Map.of("deviceIds", List.of(ids.get("ownDevice")))));
        calls.add(new Call("POST", "/traffic-packages/{id}/tier-change",
                i -> "/traffic-packages/" + i.get("package") + "/tier-change", Map.of("type", "DEVICE_3_FLOW_100G")));
        calls.add(new Call("DELETE", "/traffic-packages/{id}/tier-change",
                i -> "/traffic-packages/" + i.get("package") + "/tier-change", null));
        calls.add(new Call("POST", "/traffic-packages/{id}/renewal",
                i -> "/traffic-packages/" + i.get("package") + "/renewal", null));
        calls.add(new Call("POST", "/traffic-packages/{id}/unsubscribe",
                i -> "/traffic-packages/" + i.get("package") + "/unsubscribe", null));
        calls.add(new Call("DELETE", "/traffic-packages/{id}", i -> "/traffic-packages/" + i.get("package"), null));
        calls.add(new Call("GET", "/office-networks/{id}", i -> "/office-networks/" + i.get("network"), null));
        calls.add(new Call("GET", "/cloud-phones/{id}", i -> "/cloud-phones/" + i.get("phone"), null));
        calls.add(new Call("GET", "/bandwidth-plans/{id}", i -> "/bandwidth-plans/" + i.get("plan"), null));
        calls.add(new Call("PUT", "/bandwidth-plans/{id}/office-network",
                i -> "/bandwidth-plans/" + i.get("plan") + "/office-network",
                Map.of("officeNetworkId", ids.get("network"))));
        calls.add(new Call("DELETE", "/bandwidth-plans/{id}/office-network",
                i -> "/bandwidth-plans/" + i.get("plan") + "/office-network", null));
        calls.add(new Call("POST", "/bandwidth-plans/{id}/peak-bandwidth",
                i -> "/bandwidth-plans/" + i.get("plan") + "/peak-bandwidth", Map.of("peakBandwidthMbps", 20)));
        calls.add(new Call("POST", "/bandwidth-plans/{id}/renewals",
                i -> "/bandwidth-plans/" + i.get("plan") + "/renewals",
                Map.of("duration", Map.of("unit", "MONTH", "count", 1))));
        calls.add(new Call("POST", "/bandwidth-plans/{id}/unsubscribe",
                i -> "/bandwidth-plans/" + i.get("plan") + "/unsubscribe", null));
        calls.add(new Call("DELETE", "/bandwidth-plans/{id}", i -> "/bandwidth-plans/" + i.get("plan"), null));
        calls.add(new Call("GET", "/bandwidth-plans/{id}/monitoring",
                i -> "/bandwidth-plans/" + i.get("plan") + "/monitoring?period=1h", null));
        String endpoint = "/webhook-endpoints/{id}";
        calls.add(new Call("GET", endpoint, i -> "/webhook-endpoints/" + i.get("endpoint"), null));
        calls.add(new Call("PATCH", endpoint, i -> "/webhook-endpoints/" + i.get("endpoint"),
                Map.of("url", "https://intruder.example/hook")));
        calls.add(new Call("DELETE", endpoint, i -> "/webhook-endpoints/" + i.get("endpoint"), null));
        calls.add(new Call("POST", endpoint + "/secret-rotation",
                i -> "/webhook-endpoints/" + i.get("endpoint") + "/secret-rotation", Map.of("overlap", "PT1H")));
        calls.add(new Call("GET", endpoint + "/deliveries",
                i -> "/webhook-endpoints/" + i.get("endpoint") + "/deliveries", null));
        calls.add(new Call("POST", endpoint + "/deliveries/{deliveryId}/redelivery",
                i -> "/webhook-endpoints/" + i.get("endpoint") + "/deliveries/" + i.get("delivery") + "/redelivery",
                null));
        for (String planKey : List.of("plan", "ownPlan")) {
            Function<Map<String, UUID>, String> rules = i -> "/bandwidth-plans/" + i.get(planKey)
                    + "/speed-limit-rules";
            Function<Map<String, UUID>, String> rule = i -> rules.apply(i) + "/" + i.get("rule");
            String template = "/bandwidth-plans/{planId}/speed-limit-rules";
            if (planKey.equals("plan")) {
                calls.add(new Call("GET", template, rules, null));
                calls.add(new Call("POST", template, rules, Map.of("name", "intruder rule", "upstreamMbps", 5,
                        "downstreamMbps", 5, "cloudPhoneIds", List.of())));
            }
            calls.add(new Call("GET", template + "/{ruleId}", rule, null));
            calls.add(new Call("PATCH", template + "/{ruleId}", rule, Map.of("name", "taken")));
            calls.add(new Call("PUT", template + "/{ruleId}/cloud-phones", i -> rule.apply(i) + "/cloud-phones",
                    Map.of("cloudPhoneIds", List.of())));
            calls.add(new Call("DELETE", template + "/{ruleId}", rule, null));
        }
        return calls;
    }

    @Test
    void everyOperationOnAnotherAccountsIdIsNotFoundAndChangesNothing() {
        Map<String, String> before = victimState();

        for (Call call : idCalls()) {
            Response response = send(call, intruder);
            assertThat(response.status()).as("%s %s → %s", call.method(), call.template(), response).isEqualTo(404);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.code()).isEqualTo("NOT_FOUND");
            // and a preview of a money-moving call is no way around it
            if (call.method().equals("POST") && call.body() != null || call.template().endsWith("unsubscribe")
                    || call.template().endsWith("renewal")) {
                Response preview = send(new Call(call.method(), call.template(),
                        i -> call.path().apply(i) + "?preview=true", call.body()), intruder);
                assertThat(preview.status()).as("preview %s → %s", call.template(), preview).isEqualTo(404);
            }
        }

        assertThat(victimState()).isEqualTo(before);
        JsonNode endpoint = api.get(V1 + "/webhook-endpoints/" + ids.get("endpoint"), victim.apiKey()).body();
        assertThat(endpoint.get("url").asString()).isEqualTo("http://127.0.0.1:9/victim-hook");
        assertThat(endpoint.get("previousSecretExpiresAt").isNull()).as("never rotated").isTrue();
    }

    /**
     * The same calls with the victim's own key succeed or fail on product rules, never
     * 404: the ids are right.
     */
    @Test
    void theSameIdsAreFoundByTheirOwner() {
        for (Call call : idCalls()) {
            if (!call.method().equals("GET") || call.path().apply(ids).contains(ids.get("ownPlan").toString())) {
                continue;
            }
            Response response = send(call, victim);
            assertThat(response.status()).as("%s %s → %s", call.method(), call.template(), response).isEqualTo(200);
        }
    }

    @Test
    void everyAccountScopedOperationWithAnIdIsCovered() {
        JsonNode paths = api.get("/v3/api-docs", null).body().get("paths");
        Set<String> documented = new TreeSet<>();
        for (String path : paths.propertyNames()) {
            String relative = path.substring(V1.length());
            boolean operatorOnly = relative.startsWith("/accounts") || relative.startsWith("/admin")
                    || relative.startsWith("/traffic-usage") || relative.startsWith("/bandwidth-samples");
            if (operatorOnly || !relative.contains("{")) {
                continue;
            }
            for (String method : paths.get(path).propertyNames()) {
                documented.add(method.toUpperCase() + " " + relative);
            }
        }
        Set<String> covered = new TreeSet<>();
        idCalls().forEach(call -> covered.add(call.method() + " " + call.template()));

        assertThat(covered).containsAll(documented);
        assertThat(documented).isNotEmpty();
    }

    @Test
    void anotherAccountsIdsInABodyOrAFilterAreAnsweredAsUnknownIds() {
        Map<String, String> before = victimState();
        UUID ownDevice = created(api.post(V1 + "/devices", intruder.apiKey(), Map.of("name", "intruder device")));
        UUID ownPackage = created(api.post(V1 + "/traffic-packages", intruder.apiKey(), Map.of("type",
                "DEVICE_2_FLOW_50G", "region", "GUANGZHOU", "deviceIds", List.of(ownDevice), "autoRenew", false)));
        UUID unassociatedPlan = created(
                api.post(V1 + "/bandwidth-plans", intruder.apiKey(), Map.of("region", "cn-shanghai", "paymentType",
                        "PAY_AS_YOU_GO", "chargeType", "PAY_BY_BANDWIDTH", "peakBandwidthMbps", 10)));
        UUID ownPlan = ids.get("ownPlan");
        List<Function<UUID, Response>> references = List.of(
                id -> api.post(V1 + "/traffic-packages", intruder.apiKey(),
                        Map.of("type", "DEVICE_1_FLOW_20G", "region", "GUANGZHOU", "deviceIds", List.of(id),
                                "autoRenew", false)),
                id -> api.post(V1 + "/traffic-packages/" + ownPackage + "/bindings", intruder.apiKey(),
                        Map.of("deviceIds", List.of(id))),
                id -> api.post(V1 + "/cloud-phones", intruder.apiKey(),
                        Map.of("name", "intruder phone", "officeNetworkId", id)),
                id -> api.put(V1 + "/bandwidth-plans/" + unassociatedPlan + "/office-network", intruder.apiKey(),
                        Map.of("officeNetworkId", id)),
                id -> api.post(V1 + "/bandwidth-plans/" + ownPlan + "/speed-limit-rules", intruder.apiKey(),
                        Map.of("name", "r", "upstreamMbps", 5, "downstreamMbps", 5, "cloudPhoneIds", List.of(id))),
                id -> api.get(V1 + "/traffic-packages?deviceId=" + id, intruder.apiKey()),
                id -> api.get(V1 + "/cloud-phones?officeNetworkId=" + id, intruder.apiKey()));
        List<String> victimIds = List.of("device", "device", "network", "network", "phone", "device", "network");

        for (int i = 0; i < references.size(); i++) {
            Response unknown = references.get(i).apply(UUID.randomUUID());
            Response foreign = references.get(i).apply(ids.get(victimIds.get(i)));

            assertThat(foreign.status()).as("reference %d: %s vs unknown %s", i, foreign, unknown)
                .isEqualTo(unknown.status());
            assertThat(foreign.code()).as("reference %d", i).isEqualTo(unknown.code());
            assertThat(foreign.status()).as("reference %d: %s", i, foreign).isIn(200, 404, 422);
            if (foreign.status() == 200) {
                assertThat(foreign.body().get("content")).as("reference %d", i).isEmpty();
            }
        }
        assertThat(victimState()).isEqualTo(before);
    }

    @Test
    void anIntrudersListsNeverShowTheVictimsResources() {
        List<String> lists = List.of("/devices", "/devices?bound=false", "/traffic-packages", "/office-networks",
                "/cloud-phones", "/bandwidth-plans", "/account/ledger", "/webhook-endpoints", "/events?limit=1000",
                "/bills?month=" + java.time.YearMonth.now());
        for (String list : lists) {
            Response response = api.get(V1 + list + (list.contains("?") ? "&" : "?") + "size=200", intruder.apiKey());
            assertThat(response.status()).as("%s → %s", list, response).isEqualTo(200);
            ids.forEach((kind, id) -> {
                if (!kind.startsWith("own")) {
                    assertThat(response.raw()).as("%s shows the victim's %s", list, kind).doesNotContain(id.toString());
                }
            });
        }
    }

    /** Everything the victim can see of itself, as the victim sees it. */
    private Map<String, String> victimState() {
        Map<String, String> state = new LinkedHashMap<>();
        for (String path : List.of("/account", "/account/ledger?size=200", "/devices/" + ids.get("device"),
                "/traffic-packages/" + ids.get("package"), "/office-networks/" + ids.get("network"),
                "/cloud-phones/" + ids.get("phone"), "/bandwidth-plans/" + ids.get("plan"),
                "/bandwidth-plans/" + ids.get("plan") + "/speed-limit-rules", "/traffic-packages?size=200",
                "/bandwidth-plans?size=200", "/devices?size=200", "/cloud-phones?size=200")) {
            Response response = api.get(V1 + path, victim.apiKey());
            assertThat(response.status()).as("%s → %s", path, response).isEqualTo(200);
            state.put(path, response.raw());
        }
        return state;
    }

    private Response send(Call call, TestAccount caller) {
        TestApi.Request request = api.request(call.method(), V1 + call.path().apply(ids)).key(caller.apiKey());
        if (call.body() != null) {
            request.json(call.body());
        }
        return request.send();
    }

    private static UUID created(Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response.id();
    }

}
