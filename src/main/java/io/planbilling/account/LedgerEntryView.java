package io.planbilling.account;

import io.planbilling.shared.Money;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One ledger entry.
 *
 * @param amount signed: positive adds to the balance (credits, refunds), negative takes
 * from it (charges)
 * @param balanceAfter the balance right after this entry
 * @param reference the caller's reference of a credit, unique per account; null for other
 * kinds
 * @param actor who caused it: {@code operator}, {@code account-key:<key id>} or
 * {@code job:<name>}
 * @param requestId the {@code X-Request-Id} of the request (or the job run's id) that
 * caused it
 */
public record LedgerEntryView(UUID id, Instant at, LedgerKind kind, Money amount, Money balanceAfter,
        @Nullable String resourceType, @Nullable UUID resourceId, String description, @Nullable String reference,
        String actor, @Nullable String requestId) {
}
