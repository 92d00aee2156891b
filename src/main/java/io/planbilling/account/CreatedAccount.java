package io.planbilling.account;

import io.planbilling.shared.Money;
import java.time.Instant;
import java.util.UUID;

/**
 * The answer to creating an account: the account and its first API key, shown only here.
 */
public record CreatedAccount(UUID id, String name, Money balance, Instant createdAt, String apiKey) {
}
