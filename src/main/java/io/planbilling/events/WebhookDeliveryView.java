package io.planbilling.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One event's delivery to one endpoint, with every attempt.
 *
 * @param status {@code PENDING} (due at {@code nextAttemptAt}), {@code SUCCEEDED} or
 * {@code FAILED} (given up)
 * @param attempts the attempts so far, oldest first
 */
record WebhookDeliveryView(UUID id, UUID eventId, String eventType, String status, int attemptCount,
        @Nullable Instant nextAttemptAt, @Nullable Integer lastStatusCode, Instant createdAt, List<Attempt> attempts) {

    /**
     * @param statusCode the receiver's HTTP status; null when there was no answer (see
     * {@code error})
     * @param durationMs how long the attempt took
     * @param error why there was no usable answer (timeout, refused connection …)
     */
    public record Attempt(Instant at, @Nullable Integer statusCode, int durationMs, @Nullable String error) {
    }
}
