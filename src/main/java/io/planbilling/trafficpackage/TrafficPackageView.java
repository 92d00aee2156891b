package io.planbilling.trafficpackage;

import io.planbilling.shared.Money;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A traffic package as the API shows it (docs/traffic-packages.md).
 *
 * @param status as of the moment of reading: an active package past its expiry reads
 * {@code EXPIRED}
 * @param price list price of the current type for this cycle
 * @param pendingChange a downgrade that takes effect at the next cycle, if any
 * @param renewalFailure why the auto-renewal at the end of this cycle did not happen
 * ({@code INSUFFICIENT_BALANCE})
 * @param thresholdsReached the usage thresholds (percent of the capacity) this cycle has
 * reached and alerted, ascending (docs/alerts.md)
 */
public record TrafficPackageView(UUID id, TrafficPackageType type, TrafficRegion region, TrafficPackageStatus status,
        long capacityBytes, long usedBytes, long remainingBytes, int maxDevices, List<UUID> deviceIds,
        boolean autoRenew, Money price, Instant validFrom, Instant validUntil, @Nullable PendingChange pendingChange,
        @Nullable String renewalFailure, @Nullable UUID predecessorId, @Nullable UUID successorId, Instant createdAt,
        List<Integer> thresholdsReached) {

    /**
     * @param deviceIds the devices the next cycle binds; null when it keeps all of them
     */
    public record PendingChange(TrafficPackageType type, @Nullable List<UUID> deviceIds) {
    }

    static TrafficPackageView of(TrafficPackage pkg, Instant now) {
        return new TrafficPackageView(pkg.id(), pkg.type(), pkg.region(), pkg.statusAt(now), pkg.capacityBytes(),
                pkg.usedBytes(), pkg.remainingBytes(), pkg.maxDevices(), pkg.deviceIds(), pkg.autoRenew(), pkg.price(),
                pkg.validFrom(), pkg.validUntil(),
                pkg.pendingType() == null ? null : new PendingChange(pkg.pendingType(), pkg.pendingDevices()),
                pkg.renewalFailure(), pkg.predecessorId(), pkg.successorId(), pkg.createdAt(), pkg.thresholdsReached());
    }
}
