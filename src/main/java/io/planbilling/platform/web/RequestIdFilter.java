package io.planbilling.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.planbilling.shared.Audit;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a sensible
 * token (1–128 characters of letters, digits and {@code . _ : -}), a fresh UUID
 * otherwise. The id is echoed in the response header, carried in every log line of the
 * request (MDC key {@code requestId}, see {@code logging.pattern.correlation}) and in
 * every problem body, so a caller's support ticket and the service's logs meet on one
 * string. Runs first, before security, so that refusals carry it too.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Request-Id";

    public static final String MDC_KEY = Audit.REQUEST_ID;

    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = (String) request.getAttribute(MDC_KEY);
        if (id == null) {
            String given = request.getHeader(HEADER);
            id = given != null && ACCEPTED.matcher(given).matches() ? given : UUID.randomUUID().toString();
            request.setAttribute(MDC_KEY, id);
        }
        response.setHeader(HEADER, id);
        MDC.put(MDC_KEY, id);
        try {
            chain.doFilter(request, response);
        }
        finally {
            MDC.remove(MDC_KEY);
        }
    }

    /**
     * The container's error page is rendered in its own dispatch: it carries the same id.
     */
    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

}
