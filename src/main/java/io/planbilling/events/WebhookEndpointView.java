package io.planbilling.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A registered endpoint.
 *
 * @param disabledReason {@code TOO_MANY_FAILURES} when the service disabled it; null
 * otherwise
 * @param secret the signing secret: only in the answers that create or rotate it
 * @param previousSecretExpiresAt until when deliveries are also signed with the secret
 * before the last rotation
 */
record WebhookEndpointView(UUID id, String url, List<String> eventTypes, boolean enabled,
        @Nullable String disabledReason, int consecutiveFailures, @Nullable Instant previousSecretExpiresAt,
        Instant createdAt, @Nullable String secret) {

    WebhookEndpointView withSecret(String plain) {
        return new WebhookEndpointView(id, url, eventTypes, enabled, disabledReason, consecutiveFailures,
                previousSecretExpiresAt, createdAt, plain);
    }
}
