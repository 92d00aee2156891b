package io.planbilling.shared.openapi;

import io.planbilling.shared.ApiProblem;
import io.planbilling.shared.ErrorCodes;
import io.planbilling.shared.web.ProblemResponses;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The OpenAPI document: the bearer scheme (Swagger UI's "Authorize"), the problem-details schema, the errors every
 * operation shares (400, 401, 403, 429 with {@code Retry-After}, 500), the {@code Idempotency-Key} header on every
 * POST, and each operation's own {@link ApiProblem}s, all with example bodies.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String BEARER = "bearerAuth";
    private static final String PROBLEM = "Problem";
    private static final String PROBLEM_JSON = "application/problem+json";

    @Bean
    OpenAPI billingOpenApi() {
        return new OpenAPI()
                .info(new Info().title("plan-billing API").version("v1").description("""
                        Sells, binds, meters, renews and refunds cloud network plans: traffic packages and \
                        bandwidth plans. Authenticate with `Authorization: Bearer <api key>`; the operator key \
                        manages accounts and posts usage, an account key calls everything else for its account."""))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").description("An operator key or an account API key"))
                        .addSchemas(PROBLEM, problemSchema()))
                .addSecurityItem(new SecurityRequirement().addList(BEARER))
                // relative: the origin (and its TLS) that served this document, never a guessed http:// URL
                .addServersItem(new Server().url("/").description("The deployment that served this document")
                        .extensions(new LinkedHashMap<>(Map.of("x-internal", false))));
    }

    /**
     * Bounds the parsing itself enforces, made explicit for clients and API linters: an {@code int32} or
     * {@code int64} is refused outside its type's range (400), a UUID is at most 36 characters, an ISO-8601
     * instant at most 100, and a page holds at most 200 items.
     */
    @Bean
    OpenApiCustomizer enforcedBounds() {
        return openApi -> {
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
        };
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
        // the longest instant ISO-8601 parsing accepts ("+1000000000-12-31T23:59:59.999999999+18:00[<longest tz id>]")
        // is 76 characters
        if (hasType(schema, "string") && "date-time".equals(format) && schema.getMaxLength() == null) {
            schema.setMaxLength(100);
        }
        if (schema.getProperties() != null) {
            ((Map<String, Schema>) schema.getProperties()).values().forEach(OpenApiConfiguration::bound);
        }
        bound(schema.getItems());
        if (schema.getAdditionalProperties() instanceof Schema additional) {
            bound(additional);
        }
    }

    @Bean
    OperationCustomizer problemDocumentation() {
        return (operation, handler) -> {
            ApiResponses responses = operation.getResponses();
            boolean post = AnnotatedElementUtils.hasAnnotation(handler.getMethod(), PostMapping.class);
            boolean hasBody = operation.getRequestBody() != null;
            boolean hasParameters = operation.getParameters() != null && !operation.getParameters().isEmpty();
            addProblem(responses, 400, ErrorCodes.VALIDATION_FAILED,
                    "The request is invalid: name must not be blank.");
            if (hasBody) {
                addProblem(responses, 400, ErrorCodes.MALFORMED_REQUEST, "The request body is not valid JSON.");
            }
            addProblem(responses, 401, ErrorCodes.UNAUTHENTICATED,
                    "A valid API key is required: send Authorization: Bearer <key>.");
            addProblem(responses, 403, ErrorCodes.FORBIDDEN, "This API key's role may not call this endpoint.");
            if (hasParameters) {
                addProblem(responses, 404, ErrorCodes.NOT_FOUND, "The resource does not exist.");
            }
            if (post) {
                operation.addParametersItem(new HeaderParameter().name("Idempotency-Key").required(false)
                        .description("1–255 printable ASCII characters; a retry with the same key and request "
                                + "replays the first successful response for at least 24 h.")
                        .schema(new StringSchema().minLength(1).maxLength(255).pattern("^[!-~]{1,255}$")));
                addProblem(responses, 409, ErrorCodes.IDEMPOTENCY_KEY_IN_PROGRESS,
                        "A request with this Idempotency-Key is still being processed; retry shortly.");
                addProblem(responses, 422, ErrorCodes.IDEMPOTENCY_KEY_REUSED,
                        "This Idempotency-Key was used for a different request (method, path or body).");
            }
            addProblem(responses, 429, "RATE_LIMITED",
                    "This API key sent more than 50 requests per second (burst 100); retry after 1 s.");
            responses.get("429").addHeaderObject("Retry-After", new Header()
                    .description("Whole seconds until the key may send again")
                    .schema(new IntegerSchema().format("int32").minimum(BigDecimal.ONE)
                            .maximum(BigDecimal.valueOf(Integer.MAX_VALUE))));
            addProblem(responses, 500, ErrorCodes.INTERNAL_ERROR,
                    "The service failed to process the request; it has been logged.");
            for (ApiProblem problem : AnnotatedElementUtils.findMergedRepeatableAnnotations(handler.getMethod(),
                    ApiProblem.class)) {
                addProblem(responses, problem.status(), problem.code(), problem.detail());
            }
            return operation;
        };
    }

    private static void addProblem(ApiResponses responses, int status, String code, String detail) {
        String key = String.valueOf(status);
        ApiResponse response = responses.computeIfAbsent(key, k -> new ApiResponse().description(code));
        if (response.getContent() == null) {
            response.setContent(new Content());
        }
        MediaType media = response.getContent().computeIfAbsent(PROBLEM_JSON,
                k -> new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
        if (media.getExamples() == null || !media.getExamples().containsKey(code)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", ProblemResponses.typeOf(code).toString());
            body.put("title", ProblemResponses.title(code));
            body.put("status", status);
            body.put("detail", detail);
            body.put("instance", "/api/v1/...");
            body.put("code", code);
            if (ErrorCodes.VALIDATION_FAILED.equals(code)) {
                body.put("errors", List.of(Map.of("field", "name", "message", "must not be blank")));
            }
            media.addExamples(code, new Example().summary(code).value(body));
            if (!response.getDescription().contains(code)) {
                response.setDescription(response.getDescription() + ", " + code);
            }
        }
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        Schema<?> error = new ObjectSchema()
                .addProperty("field", new StringSchema().example("deviceIds"))
                .addProperty("message", new StringSchema().example("at most 1 device"));
        return new ObjectSchema()
                .description("RFC 9457 problem details with a stable machine-readable code")
                .addProperty("type", new StringSchema().format("uri"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema())
                .addProperty("code", new StringSchema().example("VALIDATION_FAILED"))
                .addProperty("errors", new ArraySchema().items(error));
    }
}
