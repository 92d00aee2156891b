package io.planbilling.platform.web;

import io.planbilling.shared.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 503 {@code SERVICE_UNAVAILABLE} (with {@code Retry-After}) when the database is
 * unreachable in a part of the request that runs before or around Spring MVC, where
 * {@link ProblemHandling} cannot see it: account-key authentication in the security
 * filter chain, the idempotency filter's transaction. Without it such a failure would
 * reach the container and become a 500. Runs right after {@link RequestIdFilter}, so the
 * problem carries the request id.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class DatabaseOutageFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutageFilter.class);

    private final ProblemResponses problems;

    DatabaseOutageFilter(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        }
        catch (RuntimeException | ServletException | IOException ex) {
            if (!DatabaseOutage.causedBy(ex) || response.isCommitted()) {
                throw ex;
            }
            log.warn("Database unavailable for {} {}: {}", request.getMethod(), request.getRequestURI(), ex.toString());
            response.resetBuffer();
            response.setHeader(HttpHeaders.RETRY_AFTER, DatabaseOutage.RETRY_AFTER_SECONDS);
            problems.write(request, response, ErrorCode.SERVICE_UNAVAILABLE, DatabaseOutage.DETAIL);
        }
    }

}
