package io.planbilling.platform.openapi;

import io.planbilling.shared.ErrorCode;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * Every member the service sends in a problem: {@code type}, {@code title},
 * {@code status}, {@code detail}, {@code code} and {@code requestId} always;
 * {@code instance} (the request's path) whenever the request got as far as having one (a
 * request Tomcat could not read has none); {@code errors} for field validation.
 * {@code code} is an enum of the whole catalogue.
 */
final class ProblemSchema {

    /** The schema's name among the document's components. */
    static final String NAME = "Problem";

    private ProblemSchema() {
    }

    @SuppressWarnings("rawtypes")
    static Schema schema() {
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
