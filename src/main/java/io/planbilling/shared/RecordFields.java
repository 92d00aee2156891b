package io.planbilling.shared;

import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Reads the loosely typed fields of an ingested record (docs/api-guide.md, batches):
 * batch records arrive as strings and any JSON value, so that the service, not the JSON
 * reader, says what is wrong with each one, and one answer can name every bad record.
 * Each method answers null when the value does not read.
 */
public final class RecordFields {

    private RecordFields() {
    }

    public static @Nullable UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        }
        catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }

    /**
     * An ISO-8601 instant as {@link Instant#parse} reads it. The form a metering pipeline
     * sends, {@code 2026-11-22T08:30:00Z} with 0 to 9 digits of fraction, is read
     * directly (a record's time is read on every ingested record, and the general parser
     * costs several times more); anything else (an offset, a leap second, a year past
     * 9999, a bad value) goes to {@link Instant#parse}, which decides.
     */
    public static @Nullable Instant instant(String value) {
        Instant plain = plainUtc(value);
        if (plain != null) {
            return plain;
        }
        try {
            return Instant.parse(value);
        }
        catch (DateTimeParseException notAnInstant) {
            return null;
        }
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with every field in range, else null (for
     * {@link Instant#parse} to decide).
     */
    private static @Nullable Instant plainUtc(String value) {
        int length = value.length();
        if (length < 20 || length > 30 || value.charAt(length - 1) != 'Z' || value.charAt(4) != '-'
                || value.charAt(7) != '-' || value.charAt(10) != 'T' || value.charAt(13) != ':'
                || value.charAt(16) != ':') {
            return null;
        }
        int year = digits(value, 0, 4);
        int month = digits(value, 5, 7);
        int day = digits(value, 8, 10);
        int hour = digits(value, 11, 13);
        int minute = digits(value, 14, 16);
        int second = digits(value, 17, 19);
        int nanos = 0;
        if (length > 20) {
            if (value.charAt(19) != '.' || length == 21) {
                return null;
            }
            int fraction = digits(value, 20, length - 1);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = length - 1 - 20; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return null;
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
        }
        catch (DateTimeException notADate) {
            return null;
        }
    }

    /** The decimal digits {@code [from, to)} of {@code value}, or -1 if one is not. */
    private static int digits(String value, int from, int to) {
        int number = 0;
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            number = number * 10 + (c - '0');
        }
        return number;
    }

    /** A JSON integer that fits a {@code long}. */
    public static @Nullable Long wholeNumber(@Nullable Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        return null;
    }

    public static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

}
