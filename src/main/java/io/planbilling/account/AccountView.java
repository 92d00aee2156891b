package io.planbilling.account;

import io.planbilling.shared.Money;
import java.time.Instant;
import java.util.UUID;

/** An account as its operator and its owner see it. */
public record AccountView(UUID id, String name, Money balance, Instant createdAt) {
}
