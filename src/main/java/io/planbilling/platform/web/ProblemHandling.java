package io.planbilling.platform.web;

import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.FieldViolation;
import io.planbilling.shared.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

/**
 * The one place where exceptions become problem details: the framework's (malformed JSON,
 * unknown fields, wrong types, missing parameters, unknown routes, 405, 415 …), the
 * modules' {@link ProblemException}s, database outages (503) and, as a last resort,
 * anything unexpected (500 without internals).
 */
@RestControllerAdvice
class ProblemHandling extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandling.class);

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> handleProblem(ProblemException ex, HttpServletRequest request) {
        return respond(ex.code(), ex.getMessage(), ex.violations(), request);
    }

    @ExceptionHandler({ DataAccessResourceFailureException.class, CannotCreateTransactionException.class,
            TransientDataAccessResourceException.class, QueryTimeoutException.class })
    ResponseEntity<ProblemDetail> handleDatabaseUnavailable(Exception ex, HttpServletRequest request) {
        log.warn("Database unavailable for {} {}: {}", request.getMethod(), request.getRequestURI(), ex.toString());
        return ResponseEntity.status(ErrorCode.SERVICE_UNAVAILABLE.status())
            .header(HttpHeaders.RETRY_AFTER, DatabaseOutage.RETRY_AFTER_SECONDS)
            .body(ProblemResponses.problem(ErrorCode.SERVICE_UNAVAILABLE, DatabaseOutage.DETAIL, List.of(),
                    request.getRequestURI()));
    }

    /**
     * A constraint of the database refused the change: a race that the rules' own checks
     * could not see (two requests claiming the same unique thing). Nothing was changed.
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> handleIntegrityViolation(DataIntegrityViolationException ex,
            HttpServletRequest request) {
        log.info("Integrity violation on {} {}: {}", request.getMethod(), request.getRequestURI(),
                ex.getMostSpecificCause().getMessage());
        return respond(ErrorCode.CONFLICT,
                "The request conflicts with the current state of the resource; nothing was changed.", List.of(),
                request);
    }

    /**
     * The database gave up on a transaction because a concurrent one held what it needed
     * (a deadlock, a serialization failure, a lock timeout). Nothing was changed and the
     * same request can simply be sent again, so this is a 409 with {@code Retry-After},
     * never a 500.
     */
    @ExceptionHandler(ConcurrencyFailureException.class)
    ResponseEntity<ProblemDetail> handleConcurrencyFailure(ConcurrencyFailureException ex, HttpServletRequest request) {
        log.info("Concurrent update refused for {} {}: {}", request.getMethod(), request.getRequestURI(),
                ex.getMostSpecificCause().getMessage());
        return ResponseEntity.status(ErrorCode.CONCURRENT_UPDATE.status())
            .header(HttpHeaders.RETRY_AFTER, "1")
            .body(ProblemResponses.problem(ErrorCode.CONCURRENT_UPDATE,
                    "A concurrent request changed the same data; nothing was changed, retry the request.", List.of(),
                    request.getRequestURI()));
    }

    /**
     * Anything else; but a failure whose cause is the database being unreachable (a
     * {@code JpaSystemException} or {@code TransactionSystemException} from rolling back
     * on a connection the server dropped, say) is a 503.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception ex, HttpServletRequest request) {
        if (DatabaseOutage.causedBy(ex)) {
            return handleDatabaseUnavailable(ex, request);
        }
        log.error("Unexpected failure of {} {}", request.getMethod(), request.getRequestURI(), ex);
        return respond(ErrorCode.INTERNAL_ERROR, "The service failed to process the request; it has been logged.",
                List.of(), request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldViolation> errors = new ArrayList<>();
        ex.getBindingResult().getFieldErrors().forEach(error -> errors.add(RequestErrors.violation(error)));
        ex.getBindingResult()
            .getGlobalErrors()
            .forEach(error -> errors.add(new FieldViolation(error.getObjectName(), RequestErrors.message(error))));
        return validationFailed(errors, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldViolation> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(result -> {
            String parameter = result.getMethodParameter().getParameterName();
            result.getResolvableErrors()
                .forEach(
                        error -> errors.add(error instanceof FieldError fieldError ? RequestErrors.violation(fieldError)
                                : new FieldViolation(String.valueOf(parameter), RequestErrors.message(error))));
        });
        return validationFailed(errors, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (Causes.find(ex, RequestBodyLimitFilter.BodyTooLargeException.class) != null) {
            return problem(ErrorCode.PAYLOAD_TOO_LARGE, "The request body exceeds the service's limit.", List.of(),
                    headers, request);
        }
        JacksonException cause = Causes.find(ex, JacksonException.class);
        if (cause instanceof PropertyBindingException unknown) {
            return validationFailed(List.of(new FieldViolation(RequestErrors.path(unknown), "unknown field")), headers,
                    request);
        }
        if (cause != null && !(cause instanceof StreamReadException) && !cause.getPath().isEmpty()) {
            Class<?> target = cause instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
            return validationFailed(
                    List.of(new FieldViolation(RequestErrors.path(cause), RequestErrors.expected(target))), headers,
                    request);
        }
        String detail;
        if (cause instanceof StreamReadException syntax) {
            detail = "The request body is not valid JSON: " + syntax.getOriginalMessage();
        }
        else if (cause instanceof MismatchedInputException) {
            detail = "The request body does not have the expected shape (a JSON object).";
        }
        else {
            detail = "The request body is missing or unreadable.";
        }
        return problem(ErrorCode.MALFORMED_REQUEST, detail, List.of(), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = ex instanceof MethodArgumentTypeMismatchException argument ? argument.getName()
                : String.valueOf(ex.getPropertyName());
        return validationFailed(List.of(new FieldViolation(name, RequestErrors.expected(ex.getRequiredType()))),
                headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return validationFailed(List.of(new FieldViolation(ex.getParameterName(), "is required")), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleServletRequestBindingException(
            org.springframework.web.bind.ServletRequestBindingException ex, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        if (ex instanceof MissingRequestHeaderException missing) {
            return validationFailed(List.of(new FieldViolation(missing.getHeaderName(), "header is required")), headers,
                    request);
        }
        return super.handleServletRequestBindingException(ex, headers, status, request);
    }

    /**
     * Every other framework exception: Spring's problem body plus the stable code of its
     * status.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail detail ? detail
                : ProblemDetail.forStatusAndDetail(statusCode, "The request cannot be processed.");
        if (problem.getProperties() == null || !problem.getProperties().containsKey("code")) {
            ErrorCode code = ErrorCode.forStatus(statusCode.value());
            if (code.status() != statusCode.value()) {
                // a status the catalogue has no code of (none is known to occur): sent as
                // the code's own status
                log.warn("No error code for status {} of {}; answering {}", statusCode.value(), ex.toString(), code);
            }
            ProblemResponses.decorate(problem, code, List.of(), path(request));
            statusCode = code.httpStatus();
            if (code == ErrorCode.SERVICE_UNAVAILABLE) {
                // the exception's own headers may be read-only
                HttpHeaders withRetry = new HttpHeaders();
                withRetry.putAll(headers);
                withRetry.set(HttpHeaders.RETRY_AFTER, DatabaseOutage.RETRY_AFTER_SECONDS);
                headers = withRetry;
            }
        }
        return super.handleExceptionInternal(ex, problem, headers, statusCode, request);
    }

    private ResponseEntity<Object> validationFailed(List<FieldViolation> errors, HttpHeaders headers,
            WebRequest request) {
        String detail = errors.size() == 1
                ? "The request is invalid: " + errors.get(0).field() + " " + errors.get(0).message() + "."
                : "The request is invalid in " + errors.size() + " places; see errors.";
        return problem(ErrorCode.VALIDATION_FAILED, detail, errors, headers, request);
    }

    private ResponseEntity<Object> problem(ErrorCode code, String detail, List<FieldViolation> errors,
            HttpHeaders headers, WebRequest request) {
        ProblemDetail problem = ProblemResponses.problem(code, detail, errors, path(request));
        return ResponseEntity.status(code.status()).headers(headers).body(problem);
    }

    private ResponseEntity<ProblemDetail> respond(ErrorCode code, String detail, List<FieldViolation> errors,
            HttpServletRequest request) {
        return ResponseEntity.status(code.status())
            .body(ProblemResponses.problem(code, detail, errors, request.getRequestURI()));
    }

    private static String path(WebRequest request) {
        return request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI() : null;
    }

}
