package io.planbilling.platform.web;

import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.FieldViolation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds every problem body of the service, so that MVC errors, security errors,
 * idempotency errors and the container's error page all look alike: RFC 9457 plus a
 * stable {@code code}, the {@code requestId} and, for field validation, {@code errors}.
 * Status, title and type URI come from the {@link ErrorCode} catalogue.
 */
@Component
public class ProblemResponses {

    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    public static ProblemDetail problem(ErrorCode code, String detail, List<FieldViolation> errors,
            @Nullable String instance) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(code.httpStatus(), detail);
        decorate(problem, code, errors, instance);
        return problem;
    }

    /**
     * Adds the code, its status, type URI and title, the field errors and the instance to
     * a problem Spring built.
     */
    public static void decorate(ProblemDetail problem, ErrorCode code, List<FieldViolation> errors,
            @Nullable String instance) {
        problem.setStatus(code.status());
        problem.setType(code.type());
        problem.setTitle(code.title());
        problem.setProperty("code", code.name());
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        if (instance != null) {
            problem.setInstance(URI.create(instance));
        }
        String requestId = MDC.get(RequestIdFilter.MDC_KEY);
        if (requestId != null) {
            problem.setProperty("requestId", requestId);
        }
    }

    /**
     * Writes a problem straight to a servlet response (for filters, which run outside
     * MVC).
     */
    public void write(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String detail)
            throws IOException {
        ProblemDetail problem = problem(code, detail, List.of(), request.getRequestURI());
        response.setStatus(code.status());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), problem);
    }

}
