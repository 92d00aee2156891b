package io.planbilling.shared;

import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A request that the service refuses for a reason it can name. Rendered as RFC 9457
 * problem details whose {@code code} is stable and machine-readable; the status, title
 * and type URI come from the {@link ErrorCode} catalogue.
 */
public class ProblemException extends RuntimeException {

    private final ErrorCode code;

    private final List<FieldViolation> violations;

    public ProblemException(ErrorCode code, String detail) {
        this(code, detail, List.of());
    }

    public ProblemException(ErrorCode code, String detail, List<FieldViolation> violations) {
        super(detail, null, false, false);
        this.code = code;
        this.violations = List.copyOf(violations);
    }

    public ErrorCode code() {
        return code;
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    /** {@code code} for one field: which field breaks the rule and how. */
    public static ProblemException of(ErrorCode code, String field, String message, String detail) {
        return new ProblemException(code, detail, List.of(new FieldViolation(field, message)));
    }

    /** 404 {@code NOT_FOUND}; also what another account's resource looks like. */
    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(ErrorCode.NOT_FOUND, what + " " + id + " does not exist.");
    }

    /** 400 {@code VALIDATION_FAILED} for one field. */
    public static ProblemException invalid(String field, String message) {
        return of(ErrorCode.VALIDATION_FAILED, field, message,
                "The request is invalid: " + field + " " + message + ".");
    }

    /** 400 {@code VALIDATION_FAILED}: the field's value is not one of a closed set. */
    public static ProblemException notOneOf(String field, Collection<?> allowed) {
        return invalid(field, mustBeOneOf(allowed));
    }

    /**
     * How every closed set is refused, alike for enum fields of a body, enum parameters
     * and sets checked in code: {@code must be one of GUANGZHOU, SILICON_VALLEY}.
     */
    public static String mustBeOneOf(Collection<?> allowed) {
        return "must be one of " + allowed.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /**
     * 400 {@code VALIDATION_FAILED} for several fields at once (every bad record of a
     * batch, say).
     */
    public static ProblemException invalid(String detail, List<FieldViolation> violations) {
        return new ProblemException(ErrorCode.VALIDATION_FAILED, detail, violations);
    }

}
