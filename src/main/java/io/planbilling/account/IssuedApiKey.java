package io.planbilling.account;

import java.time.Instant;
import java.util.UUID;

/** A freshly issued API key; {@code apiKey} is shown here and never again. */
public record IssuedApiKey(UUID id, UUID accountId, String apiKey, String prefix, Instant createdAt) {
}
