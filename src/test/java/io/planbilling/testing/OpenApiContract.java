package io.planbilling.testing;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The service's own OpenAPI 3.0 document ({@code /v3/api-docs}) as a contract every HTTP
 * test response is checked against ({@link TestApi.Request#send()}): the response's
 * status must be documented for the operation that the request's method and path match,
 * the headers documented as required must be there, and a JSON body must validate against
 * the schema documented for that status and content type.
 *
 * <p>
 * Schemas are validated with networknt's json-schema-validator and its OpenAPI 3.0
 * dialect, {@code $ref}s resolved against the document's components (each registered as a
 * resource of its own). OpenAPI 3.0's {@code nullable: true} ("null is allowed besides
 * what the rest of the schema allows") is handed to the validator in its JSON Schema
 * form, {@code anyOf: [{type: null}, …]}, which also covers the {@code {nullable: true,
 * allOf: [{$ref}]}} form of a nullable reference.
 */
public final class OpenApiContract {

    /**
     * Where each component schema is registered with the validator, one small resource
     * each.
     */
    private static final String COMPONENTS = "https://plan-billing.test/components/schemas/";

    private static final String RESPONSES = "https://plan-billing.test/responses/";

    /** One operation of the document. */
    public record Operation(String id, String method, String path, JsonNode spec, Pattern pattern, int literals) {

        @Override
        public String toString() {
            return id + " (" + method + " " + path + ")";
        }
    }

    private final JsonMapper json = JsonMapper.builder().build();

    private final List<Operation> operations = new ArrayList<>();

    /**
     * The response schema of each operation, status and media type, by where it was put
     * in the document.
     */
    private final ObjectNode checked;

    private final SchemaRegistry registry;

    /**
     * Built on first use: a schema costs a look-up in the whole document for each of its
     * references.
     */
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    public OpenApiContract(String document) {
        ObjectNode tree = (ObjectNode) json.readTree(document);
        // examples are annotations the validator does not need, and most of the
        // document's size
        withoutExamples(tree);
        checked = json.createObjectNode();
        tree.get("paths").properties().forEach(path -> path.getValue().properties().forEach(entry -> {
            String method = entry.getKey().toUpperCase(Locale.ROOT);
            JsonNode spec = entry.getValue();
            String id = spec.path("operationId").asString();
            operations.add(new Operation(id, method, path.getKey(), spec, pattern(path.getKey()),
                    path.getKey().replaceAll("\\{[^}]+}", "").length()));
            spec.path("responses")
                .properties()
                .forEach(response -> response.getValue().path("content").properties().forEach(media -> {
                    if (media.getValue().has("schema")) {
                        checked.set(key(id, response.getKey(), media.getKey()), media.getValue().get("schema"));
                    }
                }));
        }));
        // a literal segment wins over a template: /traffic-packages/catalog before
        // /traffic-packages/{id}
        operations.sort(Comparator.comparingInt(Operation::literals).reversed());
        nullableAsJsonSchema(tree);
        nullableAsJsonSchema(checked);
        absoluteReferences(tree);
        absoluteReferences(checked);
        Map<String, String> resources = new LinkedHashMap<>();
        tree.path("components")
            .path("schemas")
            .properties()
            .forEach(schema -> resources.put(COMPONENTS + schema.getKey(), json.writeValueAsString(schema.getValue())));
        registry = SchemaRegistry.withDialect(Dialects.getOpenApi30(), builder -> builder.schemas(resources));
    }

    private @Nullable Schema schema(String key) {
        JsonNode node = checked.get(key);
        if (node == null) {
            return null;
        }
        return schemas.computeIfAbsent(key, k -> registry.getSchema(SchemaLocation.of(RESPONSES + k), node));
    }

    public List<Operation> operations() {
        return List.copyOf(operations);
    }

    /**
     * The operation a request's method and path (without the query) belong to, if the
     * document has one.
     */
    public Optional<Operation> match(String method, String path) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        return operations.stream()
            .filter(operation -> operation.method().equals(method) && operation.pattern().matcher(bare).matches())
            .findFirst();
    }

    /**
     * What is wrong with {@code response} as an answer of {@code operation}: nothing when
     * the list is empty.
     */
    public List<String> violations(Operation operation, TestApi.Response response) {
        List<String> violations = new ArrayList<>();
        String status = String.valueOf(response.status());
        JsonNode responses = operation.spec().path("responses");
        JsonNode documented = responses.has(status) ? responses.get(status) : responses.path(status.charAt(0) + "XX");
        if (documented.isMissingNode()) {
            violations.add("status " + status + " is not documented (documented: "
                    + String.join(", ", responses.propertyNames()) + ")");
            return violations;
        }
        documented.path("headers").properties().forEach(header -> {
            if (header.getValue().path("required").asBoolean() && response.header(header.getKey()).isEmpty()) {
                violations.add("required header " + header.getKey() + " is missing");
            }
        });
        JsonNode content = documented.path("content");
        boolean hasBody = response.raw() != null && !response.raw().isEmpty();
        if (!hasBody) {
            if (content.size() > 0) {
                violations.add("no body, but " + String.join(", ", content.propertyNames()) + " is documented");
            }
            return violations;
        }
        String mediaType = response.contentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!content.has(mediaType)) {
            violations.add("content type " + mediaType + " is not documented (documented: "
                    + (content.size() == 0 ? "no body" : String.join(", ", content.propertyNames())) + ")");
            return violations;
        }
        Schema schema = schema(key(operation.id(), status, mediaType));
        if (schema == null) {
            return violations;
        }
        if (response.body() == null) {
            violations.add("the body is not JSON");
            return violations;
        }
        for (Error error : schema.validate(response.raw(), InputFormat.JSON)) {
            violations.add(error.getInstanceLocation() + ": " + error.getMessage());
        }
        return violations;
    }

    private static String key(String operationId, String status, String mediaType) {
        return (operationId + "_" + status + "_" + mediaType).replaceAll("[^A-Za-z0-9_]", "_");
    }

    private static Pattern pattern(String template) {
        StringBuilder regex = new StringBuilder();
        for (String part : template.split("(?=\\{)|(?<=})")) {
            regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    /** {@code #/components/schemas/X} → the resource X is registered as. */
    private static void absoluteReferences(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isString() && ref.asString().startsWith("#/components/schemas/")) {
                object.put("$ref", COMPONENTS + ref.asString().substring("#/components/schemas/".length()));
            }
            object.properties().forEach(child -> absoluteReferences(child.getValue()));
        }
        else if (node instanceof ArrayNode array) {
            array.forEach(OpenApiContract::absoluteReferences);
        }
    }

    private static void withoutExamples(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("examples");
            object.remove("example");
            object.properties().forEach(child -> withoutExamples(child.getValue()));
        }
        else if (node instanceof ArrayNode array) {
            array.forEach(OpenApiContract::withoutExamples);
        }
    }

    /**
     * {@code {nullable: true, …}} → {@code {anyOf: [{type: null}, {…}]}}, everywhere
     * below {@code node}.
     */
    private void nullableAsJsonSchema(JsonNode node) {
        if (node instanceof ArrayNode array) {
            array.forEach(this::nullableAsJsonSchema);
            return;
        }
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        object.properties().forEach(child -> nullableAsJsonSchema(child.getValue()));
        if (object.path("nullable").asBoolean(false)) {
            ObjectNode rest = object.deepCopy();
            rest.remove("nullable");
            object.removeAll();
            ArrayNode anyOf = object.putArray("anyOf");
            anyOf.addObject().put("type", "null");
            anyOf.add(rest);
        }
    }

}
