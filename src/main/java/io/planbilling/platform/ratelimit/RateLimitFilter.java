package io.planbilling.platform.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.planbilling.shared.Caller;
import io.planbilling.shared.ErrorCode;
import io.planbilling.platform.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits each API key to {@code billing.rate-limit.requests-per-second} with a burst of
 * {@code .burst}: a request over the limit is answered 429 {@code RATE_LIMITED} with
 * {@code Retry-After} (whole seconds until a token is back) and never reaches the
 * application. The buckets live in this instance's memory: with N instances behind a
 * balancer a key gets up to N times the limit, which is what a per-instance guard against
 * a runaway client needs — sharing buckets in PostgreSQL would put a write on every
 * request's path.
 */
class RateLimitFilter extends OncePerRequestFilter {

    private final RateLimitSettings settings;

    private final ProblemResponses problems;

    private final Counter limited;

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimitFilter(RateLimitSettings settings, ProblemResponses problems, Counter limited) {
        this.settings = settings;
        this.problems = problems;
        this.limited = limited;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication != null && authentication.getPrincipal() instanceof Caller caller) || exempt(caller)) {
            chain.doFilter(request, response);
            return;
        }
        ConsumptionProbe probe = buckets.computeIfAbsent(caller.keyId(), key -> newBucket())
            .tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            response.setHeader("RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
            chain.doFilter(request, response);
            return;
        }
        long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        limited.increment();
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        problems.write(request, response, ErrorCode.RATE_LIMITED,
                "This API key sent more than " + settings.requestsPerSecond() + " requests per second (burst "
                        + settings.burst() + "); retry after " + retryAfter + " s.");
    }

    private boolean exempt(Caller caller) {
        return !settings.enabled() || (caller.role() == Caller.Role.OPERATOR && !settings.operator());
    }

    private Bucket newBucket() {
        return Bucket.builder()
            .addLimit(Bandwidth.builder()
                .capacity(settings.burst())
                .refillGreedy(settings.requestsPerSecond(), Duration.ofSeconds(1))
                .build())
            .build();
    }

}
