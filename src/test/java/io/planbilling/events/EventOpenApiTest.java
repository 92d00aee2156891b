package io.planbilling.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The event catalogue is in the OpenAPI document: payload schemas, and every event type
 * under {@code x-webhooks}.
 */
@ApiTest
class EventOpenApiTest {

    @Autowired
    TestApi api;

    @Test
    void everyEventTypeIsAWebhookWithItsSignatureHeaderAndPayloadSchema() {
        JsonNode document = api.get("/v3/api-docs", null).body();

        JsonNode webhooks = new WebhookSchemas(document).webhooks();
        assertThat(webhooks.propertyNames()).containsExactlyInAnyOrderElementsOf(EventTypes.ALL_TYPES);
        for (String type : EventTypes.ALL_TYPES) {
            JsonNode post = webhooks.get(type).get("post");
            assertThat(post.get("parameters").toString()).contains("Billing-Signature", "Billing-Event-Id");
            JsonNode event = post.at("/requestBody/content/application~1json/schema/allOf");
            assertThat(event.get(0).get("$ref").asString()).isEqualTo("#/components/schemas/EventView");
            assertThat(event.get(1).at("/properties/type/enum/0").asString()).isEqualTo(type);
            String data = event.get(1).at("/properties/data/$ref").asString();
            assertThat(document.at("/components/schemas/" + data.substring(data.lastIndexOf('/') + 1)).isObject())
                .as("%s of %s", data, type)
                .isTrue();
        }
        assertThat(document.at("/components/schemas/TrafficPackageEventData/allOf/0/$ref").asString())
            .as("the data of a package event is the API's view of the package")
            .isEqualTo("#/components/schemas/TrafficPackageView");
        assertThat(document.at("/components/schemas/EventView/properties/data").toString()).as("EventView.data")
            .contains("object");
        assertThat(document.at("/paths/~1api~1v1~1events/get").isObject()).isTrue();
    }

}
