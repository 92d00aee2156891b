package io.planbilling.events;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import java.util.ArrayList;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The event catalogue in the OpenAPI document (docs/events.md): every event type as an
 * entry of the document's {@code webhooks} section ({@link EventWebhooks}) with the
 * schema of its payload ({@link EventPayloadSchemas}). OpenAPI 3.0 has no
 * {@code webhooks} section, so a 3.0 document carries the same entries under the
 * {@code x-webhooks} extension. The feed's operation is typed alike: an
 * {@code EventView}'s {@code data} is an object, and its {@code types} filter takes the
 * event kinds.
 */
@Configuration(proxyBeanMethods = false)
class EventDocumentation {

    static final String WEBHOOKS_EXTENSION = "x-webhooks";

    @Bean
    OpenApiCustomizer eventCatalogue() {
        return openApi -> {
            boolean v31 = openApi.getSpecVersion() == SpecVersion.V31;
            Components components = openApi.getComponents();
            EventPayloadSchemas.addTo(components, v31);
            eventData(components);

            feedFilter(openApi);

            Map<String, PathItem> webhooks = EventWebhooks.all();
            if (v31) {
                webhooks.forEach(openApi::addWebhooks);
            }
            // OpenAPI 3.0 has no webhooks section; x-webhooks is the extension its tools
            // read (a 3.1 document carries both)
            openApi.addExtension(WEBHOOKS_EXTENSION, webhooks);
        };
    }

    /** The feed's {@code types} filter takes the event kinds, and only them. */
    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static void feedFilter(OpenAPI openApi) {
        PathItem feed = openApi.getPaths() == null ? null : openApi.getPaths().get("/api/v1/events");
        if (feed == null || feed.getGet() == null || feed.getGet().getParameters() == null) {
            return;
        }
        feed.getGet()
            .getParameters()
            .stream()
            .filter(parameter -> "types".equals(parameter.getName()))
            .map(parameter -> parameter.getSchema() == null ? null : parameter.getSchema().getItems())
            .filter(java.util.Objects::nonNull)
            .forEach(items -> ((Schema) items).setEnum(new ArrayList<>(EventTypes.ALL_TYPES)));
    }

    /**
     * The feed's EventView: {@code data} is an object whose shape the event's type gives.
     */
    private static void eventData(Components components) {
        Schema<?> event = components.getSchemas().get("EventView");
        if (event != null && event.getProperties() != null) {
            Schema<?> data = event.getProperties().get("data");
            String description = data == null ? null : data.getDescription();
            event.getProperties().put("data", new ObjectSchema().description(description));
            components.getSchemas().remove("JsonNode");
        }
    }

}
