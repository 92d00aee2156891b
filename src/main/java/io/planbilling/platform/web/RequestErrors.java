package io.planbilling.platform.web;

import io.planbilling.shared.FieldViolation;
import io.planbilling.shared.ValueWords;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.validation.FieldError;
import tools.jackson.core.JacksonException;

/**
 * What is wrong with a request, in the API's words rather than the framework's: the field
 * of a body as a JSON path ({@code records[3].bytes}), the shape a value must have, and
 * bean validation's messages as {@link FieldViolation}s.
 */
final class RequestErrors {

    private RequestErrors() {
    }

    /** What a value of {@code type} must look like ({@link ValueWords#expected}). */
    static String expected(@Nullable Class<?> type) {
        return ValueWords.expected(type);
    }

    static FieldViolation violation(FieldError error) {
        return new FieldViolation(error.getField(), message(error));
    }

    static String message(MessageSourceResolvable error) {
        return error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
    }

    /** {@code records[3].bytes} from Jackson's reference path, or {@code body}. */
    static String path(JacksonException ex) {
        return ValueWords.path(ex, "body");
    }

}
