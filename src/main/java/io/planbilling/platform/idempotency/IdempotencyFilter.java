package io.planbilling.platform.idempotency;

import io.micrometer.core.instrument.Counter;
import io.planbilling.shared.Caller;
import io.planbilling.shared.ErrorCode;
import io.planbilling.platform.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * {@code Idempotency-Key} on every POST (docs/api-guide.md).
 *
 * <p>
 * A keyed request runs inside one database transaction that first takes a
 * transaction-scoped advisory lock on (caller key, idempotency key). The business work
 * joins that transaction, and a successful response is stored in it, so the effect and
 * its recorded response commit together or not at all: a crash can never leave a charge
 * without the response that a retry would replay. While the lock is held, the same key
 * gets 409 {@code IDEMPOTENCY_KEY_IN_PROGRESS}; after commit, the stored response is
 * replayed for the same request and a different request gets 422
 * {@code IDEMPOTENCY_KEY_REUSED}. Only 2xx responses are stored: a refused request
 * changed nothing, so its retry simply runs again. Previews change nothing and are not
 * recorded.
 */
class IdempotencyFilter extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";
    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final IdempotencyRepository store;

    private final TransactionTemplate transactions;

    private final ProblemResponses problems;

    private final int maxBodyBytes;

    private final Counter replays;

    IdempotencyFilter(IdempotencyRepository store, TransactionTemplate transactions, ProblemResponses problems,
            int maxBodyBytes, Counter replays) {
        this.store = store;
        this.transactions = transactions;
        this.problems = problems;
        this.maxBodyBytes = maxBodyBytes;
        this.replays = replays;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null
                || "true".equalsIgnoreCase(request.getParameter("preview"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Caller> caller = caller();
        if (caller.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        String key = request.getHeader(HEADER);
        if (!validKey(key)) {
            problems.write(request, response, ErrorCode.VALIDATION_FAILED,
                    "Idempotency-Key must be 1 to 255 printable ASCII characters.");
            return;
        }
        CachedBodyRequest cached = CachedBodyRequest.read(request, maxBodyBytes);
        if (cached == null) {
            problems.write(request, response, ErrorCode.PAYLOAD_TOO_LARGE,
                    "The request body exceeds " + maxBodyBytes + " bytes.");
            return;
        }
        RequestFingerprint fingerprint = RequestFingerprint.of(request, cached.body());
        String scope = caller.get().keyId();
        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        Outcome outcome;
        try {
            outcome = transactions.execute(status -> {
                if (!store.tryLock(scope, key)) {
                    return Outcome.IN_PROGRESS;
                }
                Optional<StoredResponse> stored = store.find(scope, key);
                if (stored.isPresent()) {
                    return stored.get().fingerprint().equals(fingerprint.hash()) ? Outcome.replay(stored.get())
                            : Outcome.REUSED;
                }
                try {
                    chain.doFilter(cached, captured);
                }
                catch (IOException | ServletException ex) {
                    throw new FilterFailure(ex);
                }
                if (captured.getStatus() >= 200 && captured.getStatus() < 300) {
                    store.save(scope, key, fingerprint.hash(), StoredResponse.of(fingerprint.hash(), captured));
                }
                else {
                    status.setRollbackOnly();
                }
                return Outcome.EXECUTED;
            });
        }
        catch (FilterFailure failure) {
            if (failure.getCause() instanceof IOException io) {
                throw io;
            }
            throw (ServletException) failure.getCause();
        }
        switch (outcome.kind()) {
            case EXECUTED -> captured.copyBodyToResponse();
            case REPLAY -> {
                replays.increment();
                outcome.stored().writeTo(response, REPLAYED_HEADER);
            }
            case IN_PROGRESS -> {
                response.setHeader(HttpHeaders.RETRY_AFTER, "1");
                problems.write(request, response, ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
                        "A request with this Idempotency-Key is still being processed; retry shortly.");
            }
            case REUSED -> problems.write(request, response, ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was used for a different request (method, path or body).");
        }
    }

    private static Optional<Caller> caller() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof Caller caller ? Optional.of(caller)
                : Optional.empty();
    }

    static boolean validKey(String key) {
        if (key.isEmpty() || key.length() > 255) {
            return false;
        }
        return key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
    }

    private record Outcome(Kind kind, StoredResponse stored) {

        enum Kind {

            EXECUTED, REPLAY, IN_PROGRESS, REUSED

        }

        static final Outcome EXECUTED = new Outcome(Kind.EXECUTED, null);
        static final Outcome IN_PROGRESS = new Outcome(Kind.IN_PROGRESS, null);
        static final Outcome REUSED = new Outcome(Kind.REUSED, null);

        static Outcome replay(StoredResponse stored) {
            return new Outcome(Kind.REPLAY, stored);
        }
    }

    /**
     * Carries a checked exception of the filter chain out of the transaction callback
     * (which rolls back).
     */
    private static final class FilterFailure extends RuntimeException {

        FilterFailure(Exception cause) {
            super(cause);
        }

    }

}
