package io.planbilling.shared;

import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpStatus;

/**
 * Every {@code code} the service sends, with its HTTP status, and what it means. The one
 * catalogue: problem bodies (status, title, type URI), the OpenAPI document's examples
 * and {@code Problem.code} enum, and the errors table of docs/api-guide.md are all read
 * from here, so a code and its status cannot drift apart.
 *
 * <p>
 * Codes are stable: clients branch on them. A new refusal gets a new constant; an
 * existing one is never renamed or moved to another status.
 */
public enum ErrorCode {

    // the framework's and the platform's errors
    VALIDATION_FAILED(400, "a field, parameter or header is missing or invalid (see `errors`)"),
    MALFORMED_REQUEST(400, "the body is not JSON, is empty or is not an object; or Tomcat could not read the request"),
    UNAUTHENTICATED(401, "no key, an unknown or revoked key, or not a `Bearer` credential"),
    FORBIDDEN(403, "a valid key on the other role's endpoint"),
    NOT_FOUND(404, "unknown route, unknown id, or another account's resource"),
    METHOD_NOT_ALLOWED(405, "the route exists but not with this method (see `Allow`)"),
    NOT_ACCEPTABLE(406, "the `Accept` header allows no JSON (checked before anything runs)"),
    CONFLICT(409, "a database constraint refused a racing change the rules could not see; nothing was changed"),
    CONCURRENT_UPDATE(409,
            "the database aborted the transaction for a concurrent one; nothing was changed, send it again (`Retry-After: 1`)"),
    IDEMPOTENCY_KEY_IN_PROGRESS(409, "a request with this `Idempotency-Key` is still running (`Retry-After: 1`)"),
    PAYLOAD_TOO_LARGE(413, "the body is over `billing.http.max-body-size`; nothing ran"),
    UNSUPPORTED_MEDIA_TYPE(415, "a body whose `Content-Type` is not JSON"),
    IDEMPOTENCY_KEY_REUSED(422, "this `Idempotency-Key` was used for a different request"),
    RATE_LIMITED(429, "the account key is over its rate limit (`Retry-After`)"),
    AUTHENTICATION_THROTTLED(429,
            "the client address sent too many requests with bad keys; whatever key it sends next, a valid one included, is not looked up until `Retry-After`"),
    INTERNAL_ERROR(500, "anything unexpected; logged with its stack trace, which never reaches the client"),
    SERVICE_UNAVAILABLE(503, "the database is unreachable or restarting (`Retry-After`)"),

    // money
    INSUFFICIENT_BALANCE(402, "the prepaid balance does not cover the charge"),
    DUPLICATE_REFERENCE(409, "a credit with this reference was already applied to the account"),

    // operator tools
    LIFECYCLE_BUSY(409,
            "another instance is running the lifecycle steps that run alone (the shared ones before them ran)"),
    CLOCK_CANNOT_GO_BACKWARDS(422, "the test clock only moves forward"),

    // traffic packages
    DEVICE_ALREADY_BOUND(409, "a device is already bound to a live package (no stacking)"),
    PACKAGE_NOT_ACTIVE(409, "the package is spent or ended: it cannot be bound, changed or unsubscribed"),
    PACKAGE_STILL_ACTIVE(409, "the package is live: it cannot be renewed or deleted"),
    ALREADY_RENEWED(409, "the package already has a successor"),
    PACKAGE_NOT_RENEWABLE(409, "an unsubscribed package cannot be renewed"),
    NO_PENDING_CHANGE(409, "there is no pending downgrade to cancel"),
    DEVICE_LIMIT_EXCEEDED(422, "more devices than the package type binds"),
    DEVICE_NOT_BOUND(422, "a device named to keep is not bound to the package"),
    TIER_UNCHANGED(422, "a tier change to the type the package already has"),
    UNKNOWN_DEVICE(422, "a device named in the body does not exist (or is another account's)"),

    // bandwidth plans
    IP_POOL_EXHAUSTED(409, "every exclusive public IP is held by a live plan"),
    PLAN_ALREADY_ASSOCIATED(409, "the plan is associated with an office network already"),
    NETWORK_ALREADY_ASSOCIATED(409, "the office network is associated with another plan already"),
    PLAN_NOT_ASSOCIATED(409, "the plan is not associated with an office network"),
    PLAN_ASSOCIATED(409, "the plan is associated: dissociate it first or pass `force=true`"),
    PLAN_EXPIRED(409, "the plan has expired"), PLAN_ENDED(409, "the plan was unsubscribed or deleted"),
    NOT_A_SUBSCRIPTION(409, "a pay-as-you-go plan cannot be renewed or unsubscribed (delete it)"),
    NOT_PAY_AS_YOU_GO(409, "a subscription cannot be deleted (unsubscribe it)"),
    RULE_EXCEEDS_PEAK(409, "speed-limit rules limit above the new peak: lower or delete them first"),
    RULE_NAME_TAKEN(409, "the plan already has a speed-limit rule of this name"),
    PHONE_ALREADY_LIMITED(409, "a cloud phone is in another speed-limit rule of the plan"),
    REGION_MISMATCH(422, "the office network is in another region than the plan"),
    AUTO_RENEW_NOT_ALLOWED(422, "auto-renewal is not offered for one-week subscriptions"),
    PARAMETER_NOT_ALLOWED(422, "a field that does not apply to the plan's payment type"),
    LIMIT_EXCEEDS_PEAK(422, "a speed limit outside 1 Mbps to the plan's peak"),
    PHONE_NOT_IN_NETWORK(422, "a cloud phone is not in the plan's office network");

    private static final String TYPE_BASE = "https://billing.example/problems/";

    private final int status;

    private final String meaning;

    ErrorCode(int status, String meaning) {
        this.status = status;
        this.meaning = meaning;
    }

    /** The HTTP status every problem with this code is sent with. */
    public int status() {
        return status;
    }

    public HttpStatus httpStatus() {
        return HttpStatus.valueOf(status);
    }

    /** When a client gets this code, for the errors table of docs/api-guide.md. */
    public String meaning() {
        return meaning;
    }

    /** {@code DEVICE_LIMIT_EXCEEDED} → {@code Device limit exceeded}. */
    public String title() {
        String words = name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /**
     * {@code DEVICE_LIMIT_EXCEEDED} →
     * {@code https://billing.example/problems/device-limit-exceeded}.
     */
    public URI type() {
        return URI.create(TYPE_BASE + name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /**
     * The code of a bare status when nothing more specific is known (a framework
     * exception, the container's error page): the platform code of that status, else
     * {@link #MALFORMED_REQUEST} for any other 4xx and {@link #INTERNAL_ERROR} for any
     * other 5xx. The problem is then sent with the code's status.
     */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 400 -> MALFORMED_REQUEST;
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> RATE_LIMITED;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : MALFORMED_REQUEST;
        };
    }

}
