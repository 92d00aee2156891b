package io.planbilling.events;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validates events against what the OpenAPI document promises a webhook endpoint: the
 * request body of the event's type in the {@code webhooks} section (OpenAPI 3.1) or the
 * {@code x-webhooks} extension (OpenAPI 3.0, which has no such section), with every
 * {@code $ref} resolved inside the document, in the JSON Schema dialect of the document's
 * version ({@code nullable: true} in 3.0, {@code "null"} types in 3.1).
 */
final class WebhookSchemas {

    private static final String DOCUMENT = "https://plan-billing.invalid/v3/api-docs";

    private final JsonNode document;

    private final String section;

    private final SchemaRegistry registry;

    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    WebhookSchemas(JsonNode document) {
        boolean v30 = document.path("openapi").asString().startsWith("3.0");
        this.document = v30 ? withNullAllowed(document) : document;
        this.section = v30 ? EventDocumentation.WEBHOOKS_EXTENSION : "webhooks";
        String text = this.document.toString();
        this.registry = SchemaRegistry.withDefaultDialect(v30 ? Dialects.getOpenApi30() : Dialects.getOpenApi31(),
                builder -> builder.schemas(Map.of(DOCUMENT, text)));
    }

    /**
     * OpenAPI 3.0's {@code nullable: true} means "null is allowed as well", whatever else
     * the schema says; the validator honours it only beside a {@code type}, not on a
     * schema that is an {@code allOf} of a reference (the form 3.0 uses for a nullable
     * reference). So each schema with {@code nullable: true} is read as exactly that:
     * {@code anyOf: [the schema without it, {enum: [null]}]}.
     */
    private static JsonNode withNullAllowed(JsonNode document) {
        ObjectNode copy = (ObjectNode) document.deepCopy();
        allowNull(copy.path("components").path("schemas"));
        allowNull(copy.path(EventDocumentation.WEBHOOKS_EXTENSION));
        return copy;
    }

    private static void allowNull(JsonNode node) {
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                allowNull(array.get(i));
                if (nullable(array.get(i))) {
                    array.set(i, nullOr((ObjectNode) array.get(i)));
                }
            }
        }
        else if (node instanceof ObjectNode object) {
            for (String name : List.copyOf(object.propertyNames())) {
                JsonNode child = object.get(name);
                allowNull(child);
                if (nullable(child)) {
                    object.set(name, nullOr((ObjectNode) child));
                }
            }
        }
    }

    private static boolean nullable(JsonNode node) {
        return node instanceof ObjectNode && node.path("nullable").isBoolean() && node.path("nullable").asBoolean();
    }

    private static ObjectNode nullOr(ObjectNode schema) {
        ObjectNode plain = schema.deepCopy();
        plain.remove("nullable");
        ObjectNode either = JsonNodeFactory.instance.objectNode();
        ArrayNode anyOf = either.putArray("anyOf");
        anyOf.add(plain);
        anyOf.addObject().putArray("enum").addNull();
        return either;
    }

    /** The document's webhook entries, by event type. */
    JsonNode webhooks() {
        return document.path(section);
    }

    /**
     * What is wrong with {@code event} by the schema of its type's webhook; empty when it
     * conforms.
     */
    List<String> violations(JsonNode event) {
        String type = event.path("type").asString();
        if (!webhooks().has(type)) {
            return List.of("the document has no webhook for " + type);
        }
        Schema schema = schemas.computeIfAbsent(type, t -> registry.getSchema(SchemaLocation
            .of(DOCUMENT + "#/" + section + "/" + t + "/post/requestBody/content/application~1json/schema")));
        return schema.validate(event).stream().map(Error::toString).toList();
    }

}
