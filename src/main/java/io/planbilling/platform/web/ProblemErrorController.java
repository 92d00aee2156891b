package io.planbilling.platform.web;

import io.planbilling.shared.ErrorCode;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Boot's error page for errors that happen outside Spring MVC (in filters, in
 * the container): the same problem body as everywhere else, never a stack trace or an
 * HTML page.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        ErrorCode code = ErrorCode.forStatus(status instanceof Integer value ? value : 500);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String detail = code.status() >= 500 ? "The service failed to process the request; it has been logged."
                : code.httpStatus().getReasonPhrase() + ".";
        return ResponseEntity.status(code.status()).headers(headers -> {
            if (code == ErrorCode.SERVICE_UNAVAILABLE) {
                headers.set(HttpHeaders.RETRY_AFTER, DatabaseOutage.RETRY_AFTER_SECONDS);
            }
        })
            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .body(ProblemResponses.problem(code, detail, List.of(), uri == null ? null : uri.toString()));
    }

}
