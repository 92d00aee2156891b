package io.planbilling.trafficpackage;

import io.planbilling.shared.ProblemException;
import java.util.List;
import org.springframework.http.HttpStatus;

/** The product-rule error codes of SPEC §3, and the problems that carry them. */
public final class TrafficErrors {

    /** 422: more devices than the type binds. */
    public static final String DEVICE_LIMIT_EXCEEDED = "DEVICE_LIMIT_EXCEEDED";
    /** 409: the device is bound to a live package already (no stacking). */
    public static final String DEVICE_ALREADY_BOUND = "DEVICE_ALREADY_BOUND";
    /** 409: the package is live, so it cannot be renewed or deleted. */
    public static final String PACKAGE_STILL_ACTIVE = "PACKAGE_STILL_ACTIVE";
    /** 409: the package is spent or ended, so it cannot be bound, changed or unsubscribed. */
    public static final String PACKAGE_NOT_ACTIVE = "PACKAGE_NOT_ACTIVE";
    /** 409: the package already has a successor. */
    public static final String ALREADY_RENEWED = "ALREADY_RENEWED";
    /** 409: an unsubscribed package cannot be renewed. */
    public static final String PACKAGE_NOT_RENEWABLE = "PACKAGE_NOT_RENEWABLE";
    /** 422: a tier change to the type the package already has. */
    public static final String TIER_UNCHANGED = "TIER_UNCHANGED";
    /** 422: a device named to keep is not bound to the package. */
    public static final String DEVICE_NOT_BOUND = "DEVICE_NOT_BOUND";
    /** 409: there is no pending downgrade to cancel. */
    public static final String NO_PENDING_CHANGE = "NO_PENDING_CHANGE";
    /** 422: a device named in the request does not exist (or belongs to another account). */
    public static final String UNKNOWN_DEVICE = "UNKNOWN_DEVICE";
    /** {@code renewalFailure} of a package whose auto-renewal the balance did not cover. */
    public static final String INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE";

    private TrafficErrors() {
    }

    static ProblemException conflict(String code, String detail) {
        return new ProblemException(HttpStatus.CONFLICT, code, detail);
    }

    static ProblemException conflict(String code, String field, String message, String detail) {
        return new ProblemException(HttpStatus.CONFLICT, code, detail,
                List.of(new io.planbilling.shared.FieldViolation(field, message)));
    }
}
