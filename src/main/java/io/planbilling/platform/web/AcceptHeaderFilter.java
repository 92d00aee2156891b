package io.planbilling.platform.web;

import io.planbilling.shared.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses an {@code Accept} header that allows no JSON (or that is not a media-type list
 * at all) with 406 {@code NOT_ACCEPTABLE} before anything runs. Spring MVC only finds out
 * when it writes the answer, that is after the controller has done its work: a purchase
 * would be made and then answered with an empty 406.
 */
@Component
@Order(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1)
class AcceptHeaderFilter extends OncePerRequestFilter {

    private final ProblemResponses problems;

    AcceptHeaderFilter(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        List<String> accept = Collections.list(request.getHeaders(HttpHeaders.ACCEPT));
        if (accept.isEmpty() || acceptsJson(String.join(",", accept))) {
            chain.doFilter(request, response);
            return;
        }
        problems.write(request, response, ErrorCode.NOT_ACCEPTABLE,
                "The service answers application/json (errors application/problem+json); the Accept header allows "
                        + "neither.");
    }

    private static boolean acceptsJson(String accept) {
        // what nearly every client sends, answered without parsing it
        if (accept.isBlank() || MediaType.APPLICATION_JSON_VALUE.equals(accept) || MediaType.ALL_VALUE.equals(accept)) {
            return true;
        }
        try {
            return MediaType.parseMediaTypes(accept)
                .stream()
                .anyMatch(type -> type.getQualityValue() > 0 && (type.isCompatibleWith(MediaType.APPLICATION_JSON)
                        || type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)));
        }
        catch (InvalidMediaTypeException ex) {
            return false;
        }
    }

}
