package io.planbilling.trafficpackage;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How one usage record was split: bytes offset by packages (by package, in the order it
 * drew on them), billed pay-as-you-go, or blocked, and why not all were offset.
 */
final class UsageSplit {

    /**
     * The last package that offset part of the record (the successor when it flowed into
     * one).
     */
    @Nullable UUID packageId;

    long packageBytes;

    long paygBytes;

    long blockedBytes;

    @Nullable UnoffsetReason reason;

    BigDecimal paygUnitPrice = BigDecimal.ZERO;

    final Map<UUID, Long> allocations = new LinkedHashMap<>();

    /** The split the allocator gave {@code usage}, a record this batch applies. */
    static UsageSplit of(Map<String, UsageSplit> splits, MeteredUsage usage) {
        return Objects.requireNonNull(splits.get(usage.id()), "every applied record is split");
    }

    UsageBatchResult.RecordResult result(String id, boolean duplicate) {
        return new UsageBatchResult.RecordResult(id, packageId, packageBytes, paygBytes, blockedBytes, duplicate,
                reason);
    }

}
