package io.planbilling.shared.web;

import io.planbilling.shared.ErrorCodes;
import io.planbilling.shared.FieldViolation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds every problem body of the service, so that MVC errors, security errors, idempotency errors and the
 * container's error page all look alike: RFC 9457 plus a stable {@code code} and, for field validation,
 * {@code errors}.
 */
@Component
public class ProblemResponses {

    static final String TYPE_BASE = "https://billing.example/problems/";

    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    public static ProblemDetail problem(HttpStatusCode status, String code, String detail, List<FieldViolation> errors,
            String instance) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        decorate(problem, code, errors, instance);
        return problem;
    }

    /** Adds the code, its type URI and title, the field errors and the instance to a problem Spring built. */
    public static void decorate(ProblemDetail problem, String code, List<FieldViolation> errors, String instance) {
        problem.setType(typeOf(code));
        problem.setTitle(title(code));
        problem.setProperty("code", code);
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

    /** {@code DEVICE_LIMIT_EXCEEDED} → {@code https://billing.example/problems/device-limit-exceeded}. */
    public static URI typeOf(String code) {
        return URI.create(TYPE_BASE + code.toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /** {@code DEVICE_LIMIT_EXCEEDED} → {@code Device limit exceeded}. */
    public static String title(String code) {
        String words = code.toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** The code a bare status gets when nothing more specific is known. */
    public static String defaultCode(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> ErrorCodes.MALFORMED_REQUEST;
            case 401 -> ErrorCodes.UNAUTHENTICATED;
            case 403 -> ErrorCodes.FORBIDDEN;
            case 404 -> ErrorCodes.NOT_FOUND;
            case 405 -> ErrorCodes.METHOD_NOT_ALLOWED;
            case 406 -> ErrorCodes.NOT_ACCEPTABLE;
            case 409 -> ErrorCodes.CONFLICT;
            case 413 -> ErrorCodes.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCodes.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ErrorCodes.SERVICE_UNAVAILABLE;
            default -> status.is5xxServerError() ? ErrorCodes.INTERNAL_ERROR : "HTTP_" + status.value();
        };
    }

    /** Writes a problem straight to a servlet response (for filters, which run outside MVC). */
    public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String code,
            String detail) throws IOException {
        ProblemDetail problem = problem(status, code, detail, List.of(), request.getRequestURI());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), problem);
    }
}
