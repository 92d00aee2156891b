package io.planbilling.platform.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.shared.ErrorCode;
import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

@ApiTest
class OpenApiDocumentTest {

    @Autowired
    TestApi api;

    private JsonNode document() {
        return api.get("/v3/api-docs", null).body();
    }

    /**
     * Writes the document to {@code target/openapi/openapi.json}, where CI's OpenAPI lint
     * ({@code .ci/lint-openapi}, Spectral with the OWASP API security ruleset) reads it
     * after {@code ./mvnw verify}.
     */
    @Test
    void writesTheDocumentForTheSecurityLint() throws IOException {
        TestApi.Response response = api.get("/v3/api-docs", null);
        Path file = Path.of("target", "openapi", "openapi.json");

        Files.createDirectories(file.getParent());
        Files.writeString(file, response.body().toPrettyString());

        assertThat(response.status()).isEqualTo(200);
        assertThat(api.parse(Files.readString(file)).path("openapi").asString()).startsWith("3.0.");
    }

    @Test
    void declaresTheBearerSchemeForEveryOperation() {
        JsonNode document = document();

        assertThat(document.at("/components/securitySchemes/bearerAuth/type").asString()).isEqualTo("http");
        assertThat(document.at("/components/securitySchemes/bearerAuth/scheme").asString()).isEqualTo("bearer");
        assertThat(document.at("/security/0").has("bearerAuth")).isTrue();
    }

    @Test
    void everyOperationHasASummaryATagAndProblemExamples() {
        JsonNode paths = document().get("paths");
        int operations = 0;
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                operations++;
                String name = operation.getKey().toUpperCase() + " " + path.getKey();
                JsonNode op = operation.getValue();
                assertThat(op.path("summary").asString()).as(name).isNotBlank();
                assertThat(op.path("tags").size()).as(name).isPositive();
                JsonNode unauthenticated = op.at("/responses/401/content/application~1problem+json");
                assertThat(unauthenticated.at("/examples/UNAUTHENTICATED/value/code").asString()).as(name)
                    .isEqualTo("UNAUTHENTICATED");
                assertThat(unauthenticated.at("/schema/$ref").asString()).as(name).endsWith("/Problem");
            }
        }
        assertThat(operations).isGreaterThanOrEqualTo(10);
    }

    @Test
    void isOpenApi30() {
        assertThat(document().path("openapi").asString()).startsWith("3.0.");
    }

    /**
     * The operationIds other tools build against: human, stable, unique, none of
     * springdoc's {@code _1} suffixes.
     */
    @Test
    void everyOperationHasAUniqueHumanOperationId() {
        List<String> ids = new ArrayList<>();
        forEachOperation((name, operation) -> ids.add(operation.path("operationId").asString()));

        assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).matches("[a-z][A-Za-z]+"));
        assertThat(ids).containsExactlyInAnyOrder("createAccount", "listAccounts", "getAccount", "creditAccount",
                "rotateApiKey", "listAccountLedger", "getOwnAccount", "listOwnLedger", "getBill", "listEvents",
                "getAlertSettings", "replaceAlertSettings", "createWebhookEndpoint", "listWebhookEndpoints",
                "getWebhookEndpoint", "updateWebhookEndpoint", "deleteWebhookEndpoint", "rotateWebhookSecret",
                "listWebhookDeliveries", "redeliverWebhook", "createSpeedLimitRule", "listSpeedLimitRules",
                "getSpeedLimitRule", "updateSpeedLimitRule", "replaceSpeedLimitRulePhones", "deleteSpeedLimitRule",
                "ingestBandwidthSamples", "getBandwidthCatalog", "purchaseBandwidthPlan", "listBandwidthPlans",
                "getBandwidthPlan", "associateOfficeNetwork", "dissociateOfficeNetwork", "changePeakBandwidth",
                "renewBandwidthPlan", "unsubscribeBandwidthPlan", "deleteBandwidthPlan", "getBandwidthMonitoring",
                "createOfficeNetwork", "listOfficeNetworks", "getOfficeNetwork", "createCloudPhone", "listCloudPhones",
                "getCloudPhone", "runLifecycle", "getClock", "moveClock", "ingestTrafficUsage", "getTrafficCatalog",
                "purchaseTrafficPackage", "listTrafficPackages", "getTrafficPackage", "bindDevices",
                "updateTrafficPackage", "changeTier", "cancelTierChange", "renewTrafficPackage",
                "unsubscribeTrafficPackage", "deleteTrafficPackage", "createDevice", "listDevices", "getDevice",
                "updateDevice", "getDeviceUsage");
    }

    /**
     * Every response is a documented status (no catch-all {@code default}); every problem
     * example is what the catalogue says about its code (status, title, type URI) under
     * that code's status; the Problem schema's {@code code} enum is the catalogue; every
     * code but METHOD_NOT_ALLOWED (which answers only requests no operation matches) is
     * documented on some operation.
     */
    @Test
    void problemsAreDocumentedFromTheCatalogue() {
        JsonNode document = document();
        Set<String> documented = new TreeSet<>();
        forEachOperation((name, operation) -> operation.path("responses").properties().forEach(response -> {
            assertThat(response.getKey()).as(name).matches("[1-5][0-9][0-9]");
            response.getValue().at("/content/application~1problem+json/examples").properties().forEach(example -> {
                JsonNode body = example.getValue().path("value");
                ErrorCode code = ErrorCode.valueOf(body.path("code").asString());
                assertThat(response.getKey()).as("%s %s", name, code).isEqualTo(String.valueOf(code.status()));
                assertThat(body.path("status").asInt()).as("%s %s", name, code).isEqualTo(code.status());
                assertThat(body.path("title").asString()).isEqualTo(code.title());
                assertThat(body.path("type").asString()).isEqualTo(code.type().toString());
                assertThat(body.path("code").asString()).isEqualTo(code.name());
                documented.add(code.name());
            });
        }));
        List<String> enumerated = new ArrayList<>();
        document.at("/components/schemas/Problem/properties/code/enum")
            .forEach(code -> enumerated.add(code.asString()));

        assertThat(enumerated).containsExactlyElementsOf(Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
        assertThat(documented).containsAll(Arrays.stream(ErrorCode.values())
            .filter(code -> code != ErrorCode.METHOD_NOT_ALLOWED)
            .map(Enum::name)
            .toList());
        assertThat(document.at("/components/schemas/Problem/required").toString()).contains("type", "title", "status",
                "detail", "code", "requestId");
    }

    /**
     * What the Java types say about null: a view's @Nullable component is nullable, the
     * others are not.
     */
    @Test
    void nullabilityFollowsTheJavaTypes() {
        JsonNode schemas = document().at("/components/schemas");

        assertThat(schemas.at("/DeviceView/properties/packageId/nullable").asBoolean()).isTrue();
        assertThat(schemas.at("/DeviceView/properties/name/nullable").asBoolean()).isFalse();
        assertThat(schemas.at("/DeviceView/required").toString()).contains("packageId", "name");
        assertThat(schemas.at("/TrafficPackageView/properties/pendingChange/nullable").asBoolean()).isTrue();
        assertThat(schemas.at("/TrafficPackageView/properties/pendingChange/allOf/0/$ref").asString())
            .endsWith("/PendingChange");
        // a request's @Nullable field is optional and may be null; its @NotNull one is
        // required
        assertThat(schemas.at("/CreateDeviceRequest/required").toString()).contains("name")
            .doesNotContain("overagePolicy");
        assertThat(schemas.at("/CreateDeviceRequest/properties/overagePolicy/nullable").asBoolean()).isTrue();
        // read loosely for error reporting, required by the API all the same
        assertThat(schemas.at("/UsageRecordInput/required").toString()).contains("id", "deviceId", "bytes");
    }

    /**
     * 201 for creates with the new resource's Location where it can be read; 202 for what
     * happens later.
     */
    @Test
    void documentsTheSuccessStatusesTheOperationsAnswer() {
        JsonNode paths = document().get("paths");

        assertThat(paths.at("/~1api~1v1~1accounts/post/responses/201/headers/Location/required").asBoolean()).isTrue();
        assertThat(paths.at("/~1api~1v1~1devices/post/responses/201/headers/Location").isObject()).isTrue();
        assertThat(paths.at("/~1api~1v1~1accounts~1{id}~1credits/post/responses/201/headers/Location").isMissingNode())
            .isTrue();
        assertThat(paths.at("/~1api~1v1~1webhook-endpoints/post/responses").has("201")).isTrue();
        assertThat(paths.at("/~1api~1v1~1webhook-endpoints~1{id}~1deliveries~1{deliveryId}~1redelivery/post/responses")
            .has("202")).isTrue();
        assertThat(paths.at("/~1api~1v1~1bandwidth-plans~1{planId}~1speed-limit-rules~1{ruleId}/delete/responses")
            .has("204")).isTrue();
        assertThat(paths
            .at("/~1api~1v1~1traffic-packages~1{id}~1tier-change/post/responses/200/content/application~1json/schema/oneOf")
            .size()).isEqualTo(2);
    }

    private void forEachOperation(java.util.function.BiConsumer<String, JsonNode> action) {
        for (Map.Entry<String, JsonNode> path : document().get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                action.accept(operation.getKey().toUpperCase() + " " + path.getKey(), operation.getValue());
            }
        }
    }

    @Test
    void documentsIdempotencyOnPostsAndProductErrors() {
        JsonNode credits = document().at("/paths/~1api~1v1~1accounts~1{id}~1credits/post");

        Iterator<JsonNode> parameters = credits.get("parameters").values().iterator();
        boolean idempotencyKey = false;
        while (parameters.hasNext()) {
            idempotencyKey |= parameters.next().path("name").asString().equals("Idempotency-Key");
        }
        assertThat(idempotencyKey).isTrue();
        assertThat(
                credits.at("/responses/409/content/application~1problem+json/examples/DUPLICATE_REFERENCE/value/status")
                    .asInt())
            .isEqualTo(409);
        assertThat(credits.at("/responses/422/content/application~1problem+json/examples/IDEMPOTENCY_KEY_REUSED")
            .isMissingNode()).isFalse();
    }

}
