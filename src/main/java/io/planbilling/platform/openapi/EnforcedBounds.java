package io.planbilling.platform.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.math.BigDecimal;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Bounds the parsing itself enforces, made explicit for clients and API linters: an
 * {@code int32} or {@code int64} is refused outside its type's range (400), a UUID is at
 * most 36 characters, an ISO-8601 instant at most 100, and a page holds at most 200
 * items.
 */
class EnforcedBounds implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() != null && openApi.getComponents().getSchemas() != null) {
            openApi.getComponents().getSchemas().forEach((name, schema) -> {
                bound(schema);
                // a page holds at most PageQuery's largest size
                if (name.startsWith("PageView") && schema.getProperties() != null
                        && schema.getProperties().get("content") instanceof Schema<?> content) {
                    content.setMaxItems(200);
                }
            });
        }
        if (openApi.getPaths() != null) {
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                if (operation.getParameters() != null) {
                    operation.getParameters().forEach(parameter -> bound(parameter.getSchema()));
                }
            }));
        }
    }

    /** OpenAPI 3.1 schemas carry a set of types, 3.0 schemas one type. */
    @SuppressWarnings("rawtypes")
    private static boolean hasType(Schema schema, String type) {
        return type.equals(schema.getType()) || (schema.getTypes() != null && schema.getTypes().contains(type));
    }

    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static void bound(Schema schema) {
        if (schema == null) {
            return;
        }
        String format = schema.getFormat();
        if (hasType(schema, "integer") && ("int32".equals(format) || "int64".equals(format))) {
            boolean int32 = "int32".equals(format);
            if (schema.getMinimum() == null && schema.getExclusiveMinimumValue() == null) {
                schema.setMinimum(BigDecimal.valueOf(int32 ? Integer.MIN_VALUE : Long.MIN_VALUE));
            }
            if (schema.getMaximum() == null && schema.getExclusiveMaximumValue() == null) {
                schema.setMaximum(BigDecimal.valueOf(int32 ? Integer.MAX_VALUE : Long.MAX_VALUE));
            }
        }
        if (hasType(schema, "string") && "uuid".equals(format) && schema.getMaxLength() == null) {
            schema.setMaxLength(36);
        }
        // the longest instant ISO-8601 parsing accepts
        // ("+1000000000-12-31T23:59:59.999999999+18:00[<longest tz id>]")
        // is 76 characters
        if (hasType(schema, "string") && "date-time".equals(format) && schema.getMaxLength() == null) {
            schema.setMaxLength(100);
        }
        if (schema.getProperties() != null) {
            ((Map<String, Schema>) schema.getProperties()).values().forEach(EnforcedBounds::bound);
        }
        bound(schema.getItems());
        if (schema.getAdditionalProperties() instanceof Schema additional) {
            bound(additional);
        }
    }

}
