package io.planbilling.platform.openapi;

import io.planbilling.shared.ApiProblem;
import io.planbilling.shared.ErrorCode;
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
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.core.converter.ModelConverter;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI 3.0 document: the bearer scheme (Swagger UI's "Authorize"), the
 * problem-details schema, every error status each operation can answer (see
 * {@link #problemDocumentation()}) with examples from the {@link ErrorCode} catalogue,
 * the {@code Idempotency-Key} header on every POST, and {@code required}/{@code nullable}
 * derived from the Java types ({@link NullabilityModelConverter}).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String BEARER = "bearerAuth";

    private static final String PROBLEM = "Problem";

    private static final String PROBLEM_JSON = "application/problem+json";

    private static final String REQUEST_ID = "X-Request-Id";

    static {
        // a free-form JSON value (an event's data) is an object in the document, not the
        // JsonNode class's getters
        SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new ObjectSchema());
    }

    @Bean
    OpenAPI billingOpenApi() {
        return new OpenAPI().info(new Info().title("plan-billing API").version("v1").description("""
                Sells, binds, meters, renews and refunds cloud network plans: traffic packages and \
                bandwidth plans. Authenticate with `Authorization: Bearer <api key>`; the operator key \
                manages accounts and posts usage, an account key calls everything else for its account."""))
            .components(new Components()
                .addSecuritySchemes(BEARER,
                        new SecurityScheme().type(SecurityScheme.Type.HTTP)
                            .scheme("bearer")
                            .description("An operator key or an account API key"))
                .addSchemas(PROBLEM, problemSchema()))
            .addSecurityItem(new SecurityRequirement().addList(BEARER))
            // relative: the origin (and its TLS) that served this document, never a
            // guessed http:// URL
            .addServersItem(new Server().url("/")
                .description("The deployment that served this document")
                .extensions(new LinkedHashMap<>(Map.of("x-internal", false))));
    }

    /**
     * Bounds the parsing itself enforces, made explicit for clients and API linters: an
     * {@code int32} or {@code int64} is refused outside its type's range (400), a UUID is
     * at most 36 characters, an ISO-8601 instant at most 100, and a page holds at most
     * 200 items.
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
        // the longest instant ISO-8601 parsing accepts
        // ("+1000000000-12-31T23:59:59.999999999+18:00[<longest tz id>]")
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

    /**
     * The truth about {@code required} and {@code nullable}, from the Java types (see
     * {@link NullabilityModelConverter}).
     */
    @Bean
    ModelConverter nullabilityFromJavaTypes(ApplicationContext context) {
        return new NullabilityModelConverter(() -> context.getBeansOfType(RequestMappingHandlerMapping.class)
            .values()
            .stream()
            .flatMap(mapping -> mapping.getHandlerMethods().values().stream())
            .toList());
    }

    /**
     * Every status an operation can answer, each with the headers it carries and, for
     * errors, a problem example per code from the {@link ErrorCode} catalogue:
     * <ul>
     * <li>every operation: 400 {@code MALFORMED_REQUEST} (Tomcat refuses an unreadable
     * request before the application), 401, 403, 406 (the {@code Accept} check), 429, 500
     * and 503 (database unreachable);</li>
     * <li>with parameters, a body or an {@code Idempotency-Key}: 400
     * {@code VALIDATION_FAILED};</li>
     * <li>with an id in the path: 404;</li>
     * <li>writes: 409 {@code CONFLICT} and {@code CONCURRENT_UPDATE}; POSTs: the
     * idempotency 409 and 422 and 413 (the idempotency filter reads the body); with a
     * body: 413 and 415;</li>
     * <li>and the operation's own {@link ApiProblem}s.</li>
     * </ul>
     * There is no {@code default} response: a status not listed is a bug, which the HTTP
     * tests' contract check catches. Every response carries {@code X-Request-Id}.
     */
    @Bean
    OperationCustomizer problemDocumentation() {
        return (operation, handler) -> {
            ApiResponses responses = operation.getResponses();
            responses.remove("default");
            boolean post = AnnotatedElementUtils.hasAnnotation(handler.getMethod(), PostMapping.class);
            boolean read = AnnotatedElementUtils.hasAnnotation(handler.getMethod(), GetMapping.class);
            boolean hasBody = operation.getRequestBody() != null;
            List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
            boolean hasPathIds = parameters.stream().anyMatch(parameter -> "path".equals(parameter.getIn()));
            if (post) {
                operation.addParametersItem(new HeaderParameter().name("Idempotency-Key")
                    .required(false)
                    .description("1–255 printable ASCII characters; a retry with the same key and request "
                            + "replays the first successful response for at least 24 h.")
                    .schema(new StringSchema().minLength(1).maxLength(255).pattern("^[!-~]{1,255}$")));
            }
            // the operation's own examples first: they win over the generic one of the
            // same code
            for (ApiProblem problem : AnnotatedElementUtils.findMergedRepeatableAnnotations(handler.getMethod(),
                    ApiProblem.class)) {
                addProblem(responses, problem.value(), problem.detail(), problem.field(), problem.message());
            }
            addProblem(responses, ErrorCode.MALFORMED_REQUEST, hasBody ? "The request body is not valid JSON."
                    : "The request could not be read (too large or not valid HTTP).");
            if (!parameters.isEmpty() || hasBody || post) {
                addProblem(responses, ErrorCode.VALIDATION_FAILED, "The request is invalid: name must not be blank.");
            }
            addProblem(responses, ErrorCode.UNAUTHENTICATED,
                    "A valid API key is required: send Authorization: Bearer <key>.");
            responses.get("401")
                .addHeaderObject(HttpHeaders.WWW_AUTHENTICATE,
                        new Header().required(true).description("Bearer").schema(new StringSchema().maxLength(100)));
            addProblem(responses, ErrorCode.FORBIDDEN, "This API key's role may not call this endpoint.");
            if (hasPathIds) {
                addProblem(responses, ErrorCode.NOT_FOUND, "The resource does not exist.");
            }
            addProblem(responses, ErrorCode.NOT_ACCEPTABLE, "The service answers application/json (errors "
                    + "application/problem+json); the Accept header allows neither.");
            if (!read) {
                addProblem(responses, ErrorCode.CONFLICT,
                        "The request conflicts with the current state of the resource; nothing was changed.");
                addProblem(responses, ErrorCode.CONCURRENT_UPDATE,
                        "A concurrent request changed the same data; nothing was changed, retry the request.");
            }
            if (post) {
                addProblem(responses, ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
                        "A request with this Idempotency-Key is still being processed; retry shortly.");
                addProblem(responses, ErrorCode.IDEMPOTENCY_KEY_REUSED,
                        "This Idempotency-Key was used for a different request (method, path or body).");
            }
            if (responses.containsKey("409") && !read) {
                responses.get("409")
                    .addHeaderObject(HttpHeaders.RETRY_AFTER, retryAfter(false,
                            "CONCURRENT_UPDATE and IDEMPOTENCY_KEY_IN_PROGRESS only: seconds until the request may be "
                                    + "sent again"));
            }
            if (hasBody || post) {
                addProblem(responses, ErrorCode.PAYLOAD_TOO_LARGE, "The request body exceeds 4194304 bytes.");
            }
            if (hasBody) {
                addProblem(responses, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type 'text/plain' is not supported.");
            }
            addProblem(responses, ErrorCode.RATE_LIMITED,
                    "This API key sent more than 50 requests per second (burst 100); retry after 1 s.");
            addProblem(responses, ErrorCode.AUTHENTICATION_THROTTLED,
                    "Too many failed authentications from this address; retry after 6 s.");
            responses.get("429")
                .addHeaderObject(HttpHeaders.RETRY_AFTER,
                        retryAfter(true,
                                "Whole seconds until the key (or, after repeated bad keys, the client address) "
                                        + "may send again"));
            addProblem(responses, ErrorCode.INTERNAL_ERROR,
                    "The service failed to process the request; it has been logged.");
            addProblem(responses, ErrorCode.SERVICE_UNAVAILABLE,
                    "The service cannot reach its database right now; retry shortly.");
            responses.get("503")
                .addHeaderObject(HttpHeaders.RETRY_AFTER, retryAfter(true, "Whole seconds after which to try again"));
            responses.values()
                .forEach(response -> response.addHeaderObject(REQUEST_ID,
                        new Header().required(true)
                            .description("The request's id: the caller's own X-Request-Id when it sent a sensible one, "
                                    + "a fresh UUID otherwise; also in every problem body and log line")
                            .schema(new StringSchema().maxLength(128))));
            return operation;
        };
    }

    private static Header retryAfter(boolean required, String description) {
        return new Header().required(required)
            .description(description)
            .schema(new IntegerSchema().format("int32")
                .minimum(BigDecimal.ONE)
                .maximum(BigDecimal.valueOf(Integer.MAX_VALUE)));
    }

    /**
     * Adds a problem example for {@code code} under its status, with what the catalogue
     * says about it.
     */
    static void addProblem(ApiResponses responses, ErrorCode code, String detail) {
        addProblem(responses, code, detail, "", "");
    }

    static void addProblem(ApiResponses responses, ErrorCode code, String detail, String field, String message) {
        String key = String.valueOf(code.status());
        ApiResponse response = responses.computeIfAbsent(key, k -> new ApiResponse().description(code.name()));
        if (response.getContent() == null) {
            response.setContent(new Content());
        }
        MediaType media = response.getContent().computeIfAbsent(PROBLEM_JSON, k -> new MediaType());
        if (media.getSchema() == null) {
            media.setSchema(new Schema<>().$ref("#/components/schemas/" + PROBLEM));
        }
        if (media.getExamples() == null || !media.getExamples().containsKey(code.name())) {
            media.addExamples(code.name(),
                    new Example().summary(code.meaning()).value(example(code, detail, field, message)));
            if (!response.getDescription().contains(code.name())) {
                response.setDescription(response.getDescription() + ", " + code.name());
            }
        }
    }

    /**
     * An example problem body for {@code code}: its status, title and type URI as the
     * service sends them.
     */
    static Map<String, Object> example(ErrorCode code, String detail, String field, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", code.type().toString());
        body.put("title", code.title());
        body.put("status", code.status());
        body.put("detail", detail);
        body.put("instance", "/api/v1/...");
        body.put("code", code.name());
        if (!field.isEmpty()) {
            body.put("errors", List.of(Map.of("field", field, "message", message)));
        }
        else if (code == ErrorCode.VALIDATION_FAILED) {
            body.put("errors", List.of(Map.of("field", "name", "message", "must not be blank")));
        }
        body.put("requestId", "3f0c9d5e-8a2b-4c1d-9e7f-6a5b4c3d2e1f");
        return body;
    }

    /**
     * Every member the service sends in a problem: {@code type}, {@code title},
     * {@code status}, {@code detail}, {@code code} and {@code requestId} always;
     * {@code instance} (the request's path) whenever the request got as far as having one
     * (a request Tomcat could not read has none); {@code errors} for field validation.
     * {@code code} is an enum of the whole catalogue.
     */
    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        Schema<?> error = new ObjectSchema()
            .addProperty("field",
                    new StringSchema().maxLength(1000)
                        .example("deviceIds")
                        .description("a JSON path into the body (records[3].bytes), a parameter or a header"))
            .addProperty("message", new StringSchema().maxLength(10000).example("at most 1 device"))
            .required(List.of("field", "message"));
        return new ObjectSchema().description("RFC 9457 problem details with a stable machine-readable code")
            .addProperty("type",
                    new StringSchema().format("uri")
                        .maxLength(200)
                        .example("https://billing.example/problems/validation-failed")
                        .description("https://billing.example/problems/ and the code in kebab case"))
            .addProperty("title",
                    new StringSchema().maxLength(200).example("Validation failed").description("the code in words"))
            .addProperty("status",
                    new IntegerSchema().format("int32")
                        .minimum(BigDecimal.valueOf(400))
                        .maximum(BigDecimal.valueOf(599))
                        .description("the HTTP status, the code's own"))
            .addProperty("detail",
                    new StringSchema().maxLength(100000).description("what went wrong in this request, for people"))
            .addProperty("instance",
                    new StringSchema().format("uri-reference").maxLength(10000).description("the request's path"))
            .addProperty("code",
                    new StringSchema()._enum(Arrays.stream(ErrorCode.values()).map(Enum::name).toList())
                        .example("VALIDATION_FAILED")
                        .description("the stable code to branch on"))
            .addProperty("errors",
                    new ArraySchema().items(error)
                        .maxItems(100000)
                        .description("VALIDATION_FAILED and some product rules: each bad field"))
            .addProperty("requestId", new StringSchema().maxLength(128).description("the X-Request-Id of the request"))
            .required(List.of("type", "title", "status", "detail", "code", "requestId"));
    }

}
