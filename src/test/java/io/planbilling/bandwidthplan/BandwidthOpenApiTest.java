package io.planbilling.bandwidthplan;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

@ApiTest
class BandwidthOpenApiTest {

    @Autowired
    TestApi api;

    private JsonNode operation(String path, String method) {
        return api.get("/v3/api-docs", null).body().get("paths").get(path).get(method);
    }

    private static List<String> examples(JsonNode operation, int status) {
        List<String> codes = new ArrayList<>();
        operation.at("/responses/" + status + "/content/application~1problem+json/examples")
            .propertyNames()
            .forEach(codes::add);
        return codes;
    }

    @Test
    void documentsThePurchaseWithItsPreviewAndEveryProductError() {
        JsonNode purchase = operation("/api/v1/bandwidth-plans", "post");

        assertThat(purchase.get("summary").asString()).isEqualTo("Buy a bandwidth plan");
        assertThat(purchase.at("/responses/201/content/application~1json/schema/$ref").asString())
            .endsWith("/BandwidthPlanView");
        assertThat(purchase.at("/responses/200/content/application~1json/schema/$ref").asString())
            .endsWith("/BandwidthPlanQuote");
        assertThat(examples(purchase, 402)).contains("INSUFFICIENT_BALANCE");
        assertThat(examples(purchase, 409)).contains("IP_POOL_EXHAUSTED", "NETWORK_ALREADY_ASSOCIATED");
        assertThat(examples(purchase, 422)).contains("PARAMETER_NOT_ALLOWED", "AUTO_RENEW_NOT_ALLOWED",
                "REGION_MISMATCH");
        assertThat(purchase.get("parameters").toString()).contains("Idempotency-Key", "preview");
    }

    @Test
    void documentsTheAsynchronousAssociationAndTheRuleErrors() {
        JsonNode associate = operation("/api/v1/bandwidth-plans/{id}/office-network", "put");
        JsonNode rules = operation("/api/v1/bandwidth-plans/{planId}/speed-limit-rules", "post");
        JsonNode peak = operation("/api/v1/bandwidth-plans/{id}/peak-bandwidth", "post");

        assertThat(associate.at("/responses/202/content/application~1json/schema/$ref").asString())
            .endsWith("/BandwidthPlanView");
        assertThat(examples(associate, 409)).contains("PLAN_ALREADY_ASSOCIATED", "NETWORK_ALREADY_ASSOCIATED");
        assertThat(examples(rules, 409)).contains("PLAN_NOT_ASSOCIATED", "PHONE_ALREADY_LIMITED", "RULE_NAME_TAKEN");
        assertThat(examples(rules, 422)).contains("PHONE_NOT_IN_NETWORK", "LIMIT_EXCEEDS_PEAK");
        assertThat(examples(peak, 409)).contains("RULE_EXCEEDS_PEAK");
        assertThat(examples(operation("/api/v1/bandwidth-samples", "post"), 400)).contains("VALIDATION_FAILED");
    }

    @Test
    void planDurationsReadAsUnitAndCountOnly() {
        JsonNode schema = api.get("/v3/api-docs", null).body().at("/components/schemas/PlanDuration/properties");

        List<String> properties = new ArrayList<>();
        schema.propertyNames().forEach(properties::add);
        assertThat(properties).containsExactlyInAnyOrder("unit", "count");
    }

}
