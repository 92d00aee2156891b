package io.planbilling.trafficpackage;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

@ApiTest
class TrafficOpenApiTest {

    @Autowired
    TestApi api;

    private JsonNode operation(String path, String method) {
        JsonNode operation = api.get("/v3/api-docs", null).body().get("paths").path(path).path(method);
        assertThat(operation.isMissingNode()).as(method + " " + path).isFalse();
        return operation;
    }

    @Test
    void purchaseDocumentsRequestResponseAndEveryProductError() {
        JsonNode purchase = operation("/api/v1/traffic-packages", "post");

        assertThat(purchase.at("/requestBody/content/application~1json/examples/with a device/value").isMissingNode())
            .isFalse();
        assertThat(purchase.at("/responses/201/content").toString()).contains("DEVICE_2_FLOW_50G");
        JsonNode problems = purchase.at("/responses");
        assertThat(problems.at("/402/content/application~1problem+json/examples/INSUFFICIENT_BALANCE").isMissingNode())
            .isFalse();
        assertThat(problems.at("/409/content/application~1problem+json/examples/DEVICE_ALREADY_BOUND").isMissingNode())
            .isFalse();
        assertThat(problems.at("/422/content/application~1problem+json/examples/DEVICE_LIMIT_EXCEEDED").isMissingNode())
            .isFalse();
        assertThat(problems.at("/422/content/application~1problem+json/examples/UNKNOWN_DEVICE").isMissingNode())
            .isFalse();
    }

    @Test
    void everyTrafficEndpointIsDocumentedWithAnExampleResponse() {
        String[][] operations = { { "/api/v1/traffic-packages/catalog", "get", "200" },
                { "/api/v1/traffic-packages", "get", "200" }, { "/api/v1/traffic-packages/{id}", "get", "200" },
                { "/api/v1/traffic-packages/{id}", "patch", "200" },
                { "/api/v1/traffic-packages/{id}/bindings", "post", "200" },
                { "/api/v1/traffic-packages/{id}/tier-change", "post", "200" },
                { "/api/v1/traffic-packages/{id}/tier-change", "delete", "200" },
                { "/api/v1/traffic-packages/{id}/renewal", "post", "201" },
                { "/api/v1/traffic-packages/{id}/unsubscribe", "post", "200" }, { "/api/v1/devices", "post", "201" },
                { "/api/v1/devices", "get", "200" }, { "/api/v1/devices/{id}", "get", "200" },
                { "/api/v1/devices/{id}", "patch", "200" }, { "/api/v1/devices/{id}/usage", "get", "200" } };
        for (String[] expected : operations) {
            JsonNode operation = operation(expected[0], expected[1]);
            String name = expected[1] + " " + expected[0];
            assertThat(operation.path("summary").asString()).as(name).isNotBlank();
            assertThat(operation.at("/responses/" + expected[2] + "/content").toString()).as(name).contains("examples");
        }
        assertThat(operation("/api/v1/traffic-packages/{id}", "delete").at("/responses/409/content").toString())
            .contains("PACKAGE_STILL_ACTIVE");
        assertThat(operation("/api/v1/traffic-packages/{id}/renewal", "post").at("/responses/409/content").toString())
            .contains("PACKAGE_STILL_ACTIVE", "ALREADY_RENEWED");
    }

}
