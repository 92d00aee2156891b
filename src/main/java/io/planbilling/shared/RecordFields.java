package io.planbilling.shared;

import java.math.BigInteger;
import java.time.Instant;
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

    public static @Nullable Instant instant(String value) {
        try {
            return Instant.parse(value);
        }
        catch (DateTimeParseException notAnInstant) {
            return null;
        }
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
