package io.planbilling.shared;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A request that the service refuses for a reason it can name. Rendered as RFC 9457 problem details whose
 * {@code code} is stable and machine-readable; the type URI and title derive from the code.
 */
public class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final List<FieldViolation> violations;

    public ProblemException(HttpStatus status, String code, String detail) {
        this(status, code, detail, List.of());
    }

    public ProblemException(HttpStatus status, String code, String detail, List<FieldViolation> violations) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.violations = List.copyOf(violations);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    /** 404 {@code NOT_FOUND}; also what another account's resource looks like. */
    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(HttpStatus.NOT_FOUND, ErrorCodes.NOT_FOUND, what + " " + id + " does not exist.");
    }

    /** 400 {@code VALIDATION_FAILED} for one field. */
    public static ProblemException invalid(String field, String message) {
        return new ProblemException(HttpStatus.BAD_REQUEST, ErrorCodes.VALIDATION_FAILED,
                "The request is invalid: " + field + " " + message + ".", List.of(new FieldViolation(field, message)));
    }

    /** 422 for a product rule, naming the field that breaks it. */
    public static ProblemException rule(String code, String field, String message, String detail) {
        return new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, code, detail,
                List.of(new FieldViolation(field, message)));
    }
}
