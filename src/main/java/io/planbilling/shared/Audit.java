package io.planbilling.shared;

import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who and what caused a change, for the audit trail: the actor (the API key of the
 * request, or a background job) and the request id ({@code X-Request-Id}, or a job run's
 * id). Read when a read-write transaction begins and handed to the database, whose column
 * defaults and triggers write it beside every ledger entry and state change.
 *
 * <p>
 * Requests need nothing: the actor comes from the authenticated {@link Caller} and the
 * request id from the MDC ({@code RequestIdFilter}). A background job names itself with
 * {@link #asJob}.
 */
public final class Audit {

    /** The MDC key of the request id, shared with the log pattern. */
    public static final String REQUEST_ID = "requestId";

    /** The MDC key of a background job's actor. */
    public static final String ACTOR = "actor";

    public static final String OPERATOR = "operator";

    public static final String ACCOUNT_KEY_PREFIX = "account-key:";

    private Audit() {
    }

    /**
     * {@code operator}, {@code account-key:<key id>}, {@code job:<name>},
     * {@code kafka:<consumer group>}, or null outside any request or job.
     */
    public static @Nullable String actor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Caller caller) {
            return caller.role() == Caller.Role.OPERATOR ? OPERATOR : ACCOUNT_KEY_PREFIX + caller.keyId();
        }
        return MDC.get(ACTOR);
    }

    public static @Nullable String requestId() {
        return MDC.get(REQUEST_ID);
    }

    /**
     * Runs a background job's work as actor {@code job:<name>} under a fresh run id
     * ({@code <name>-<uuid>}), which is also in every log line of the run.
     */
    public static <T> T asJob(String name, Supplier<T> work) {
        return as("job:" + name, name + "-" + UUID.randomUUID(), work);
    }

    /**
     * Runs work that no single request or job stands behind as {@code actor} under the
     * request id {@code requestId}, which names it in the audit trail and in every log
     * line of it: a group of coalesced ingestion requests, or a batch polled from Kafka
     * ({@code kafka:<consumer group>}, one id per batch, docs/kafka-ingestion.md).
     */
    public static <T> T as(String actor, String requestId, Supplier<T> work) {
        String previousActor = MDC.get(ACTOR);
        String previousRequest = MDC.get(REQUEST_ID);
        MDC.put(ACTOR, actor);
        MDC.put(REQUEST_ID, requestId);
        try {
            return work.get();
        }
        finally {
            restore(ACTOR, previousActor);
            restore(REQUEST_ID, previousRequest);
        }
    }

    private static void restore(String key, @Nullable String previous) {
        if (previous == null) {
            MDC.remove(key);
        }
        else {
            MDC.put(key, previous);
        }
    }

}
