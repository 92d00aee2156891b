package io.planbilling.platform.security;

import io.micrometer.core.instrument.Counter;
import io.planbilling.shared.ErrorCode;
import io.planbilling.platform.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs in the security chain just before the bearer key is resolved: a client address
 * that has used up its failed authentications gets 429 {@code AUTHENTICATION_THROTTLED}
 * with {@code Retry-After}, without its key being looked up — whatever key it sends, a
 * valid one included, because telling a valid key from a guess is the very lookup the
 * throttle saves, and answering valid keys differently would tell a guessing client when
 * it has hit one. Public paths (documentation, health) stay open.
 */
final class AuthenticationThrottleFilter extends OncePerRequestFilter {

    private final AuthenticationThrottle throttle;

    private final ClientAddresses clients;

    private final RequestMatcher publicPaths;

    private final ProblemResponses problems;

    private final Counter throttled;

    AuthenticationThrottleFilter(AuthenticationThrottle throttle, ClientAddresses clients, RequestMatcher publicPaths,
            ProblemResponses problems, Counter throttled) {
        this.throttle = throttle;
        this.clients = clients;
        this.publicPaths = publicPaths;
        this.problems = problems;
        this.throttled = throttled;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !throttle.enabled() || publicPaths.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Duration wait = throttle.waitBeforeNextAttempt(clients.of(request));
        if (wait.isZero()) {
            chain.doFilter(request, response);
            return;
        }
        long retryAfter = AuthenticationThrottle.seconds(wait);
        throttled.increment();
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        problems.write(request, response, ErrorCode.AUTHENTICATION_THROTTLED,
                "Too many failed authentications from this address; retry after " + retryAfter + " s.");
    }

}
