package io.planbilling.kafka;

import io.planbilling.kafka.DeadLetters.Problem;
import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.ValueWords;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a message as the HTTP API reads one record of a batch: with the service's own
 * strict {@link JsonMapper} (no coercion, unknown fields refused), so a message is valid
 * exactly when the same record posted over HTTP would be. What cannot be read is a
 * {@link Problem} in the API's words: {@code MALFORMED_REQUEST} for what is not a JSON
 * object, {@code VALIDATION_FAILED} naming the field otherwise.
 */
final class MessageReader<T> {

    /** A message read: the record, or why there is none. */
    record Read<T>(@Nullable T value, @Nullable Problem problem) {
    }

    /**
     * The mapper's reader of one record, its deserializer found once, not per message.
     */
    private final ObjectReader json;

    MessageReader(JsonMapper json, Class<T> type) {
        this.json = json.readerFor(type);
    }

    Read<T> read(byte @Nullable [] message) {
        if (message == null || message.length == 0) {
            return unreadable(ErrorCode.MALFORMED_REQUEST, null, "is empty: a message is one record as a JSON object");
        }
        try {
            T value = json.readValue(message);
            if (value == null) {
                return unreadable(ErrorCode.MALFORMED_REQUEST, null, "must be a JSON object, not null");
            }
            return new Read<>(value, null);
        }
        catch (StreamReadException syntax) {
            return unreadable(ErrorCode.MALFORMED_REQUEST, null, "is not valid JSON: " + syntax.getOriginalMessage());
        }
        catch (PropertyBindingException unknown) {
            return unreadable(ErrorCode.VALIDATION_FAILED, ValueWords.path(unknown, "message"), "unknown field");
        }
        catch (MismatchedInputException mismatch) {
            if (mismatch.getPath().isEmpty()) {
                return unreadable(ErrorCode.MALFORMED_REQUEST, null, "must be a JSON object");
            }
            return unreadable(ErrorCode.VALIDATION_FAILED, ValueWords.path(mismatch, "message"),
                    ValueWords.expected(mismatch.getTargetType()));
        }
        catch (JacksonException other) {
            return unreadable(ErrorCode.MALFORMED_REQUEST, null, "could not be read: " + other.getOriginalMessage());
        }
    }

    private static <T> Read<T> unreadable(ErrorCode code, @Nullable String field, String message) {
        return new Read<>(null, new Problem(code, field, message));
    }

}
