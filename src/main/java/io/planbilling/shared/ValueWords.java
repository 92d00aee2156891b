package io.planbilling.shared;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.Collection;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * What a value must look like and where it sits, in the API's words rather than Java's
 * (docs/api-guide.md, problems): one vocabulary for every reader of JSON, the HTTP
 * request bodies and the Kafka messages alike.
 */
public final class ValueWords {

    private ValueWords() {
    }

    /**
     * What a value of {@code type} must look like: the allowed values of an enum
     * ({@code must be one of GUANGZHOU, SILICON_VALLEY}), the JSON or ISO-8601 shape of
     * anything else.
     */
    public static String expected(@Nullable Class<?> type) {
        if (type == null) {
            return "is not a valid value";
        }
        if (type.isEnum()) {
            return ProblemException.mustBeOneOf(Arrays.asList(type.getEnumConstants()));
        }
        if (type == UUID.class) {
            return "must be a UUID";
        }
        if (type == Instant.class || type == OffsetDateTime.class) {
            return "must be an ISO-8601 instant such as 2026-11-22T08:30:00Z";
        }
        if (type == YearMonth.class) {
            return "must be a year and month such as 2026-11";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == BigInteger.class) {
            return "must be a whole number";
        }
        if (type == BigDecimal.class || Number.class.isAssignableFrom(type) || type == double.class) {
            return "must be a number";
        }
        if (type == String.class) {
            return "must be a string";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "must be an array";
        }
        return "must be an object";
    }

    /**
     * The JSON path of the value Jackson could not read ({@code records[3].bytes}), or
     * {@code whole} when the failure is the document's own.
     */
    public static String path(JacksonException ex, String whole) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : ex.getPath()) {
            if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
            else if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            }
        }
        return path.isEmpty() ? whole : path.toString();
    }

}
