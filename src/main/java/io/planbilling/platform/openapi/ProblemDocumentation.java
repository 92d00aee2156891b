package io.planbilling.platform.openapi;

import io.planbilling.shared.ApiProblem;
import io.planbilling.shared.ErrorCode;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.method.HandlerMethod;

/**
 * Every status an operation can answer, each with the headers it carries and, for errors,
 * a problem example per code from the {@link ErrorCode} catalogue:
 * <ul>
 * <li>every operation: 400 {@code MALFORMED_REQUEST} (Tomcat refuses an unreadable
 * request before the application), 401, 403, 406 (the {@code Accept} check), 429, 500 and
 * 503 (database unreachable);</li>
 * <li>with parameters, a body or an {@code Idempotency-Key}: 400
 * {@code VALIDATION_FAILED};</li>
 * <li>with an id in the path: 404;</li>
 * <li>writes: 409 {@code CONFLICT} and {@code CONCURRENT_UPDATE}; POSTs: the idempotency
 * 409 and 422 and 413 (the idempotency filter reads the body); with a body: 413 and
 * 415;</li>
 * <li>and the operation's own {@link ApiProblem}s.</li>
 * </ul>
 * There is no {@code default} response: a status not listed is a bug, which the HTTP
 * tests' contract check catches. Every response carries {@code X-Request-Id}.
 */
class ProblemDocumentation implements OperationCustomizer {

    private static final String PROBLEM_JSON = "application/problem+json";

    private static final String REQUEST_ID = "X-Request-Id";

    @Override
    public Operation customize(Operation operation, HandlerMethod handler) {
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
                    retryAfter(true, "Whole seconds until the key (or, after repeated bad keys, the client address) "
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
            media.setSchema(new Schema<>().$ref("#/components/schemas/" + ProblemSchema.NAME));
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

}
