package io.planbilling.trafficpackage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Which package offsets each byte of a usage batch (docs/traffic-packages.md, which
 * package): in memory, over the packages the batch has locked ({@link UsageLocks}), with
 * no database access of its own, so every rule is a unit test.
 *
 * <ul>
 * <li>Records are applied in the order they occurred, a late record included: each draws
 * on the package bound to its device, of its region, that was valid at its
 * {@code occurredAt}.</li>
 * <li>What a package cannot cover flows into its successor, and on along successors,
 * inside the one record; a package exhausted while active orders its auto-renewal at that
 * moment, so the rest of the record (and later records) flow into it.</li>
 * <li>The rest is pay-as-you-go at the region's price, or blocked for a {@code CUT_OFF}
 * device, with the reason: {@code PACKAGE_EXHAUSTED} when a package matched,
 * {@code REGION_MISMATCH} when only a package of the other region was live,
 * {@code NO_LIVE_PACKAGE} otherwise.</li>
 * </ul>
 *
 * Ordering a successor is the one effect the rules need from outside: a {@link Renewer}
 * does it (charging the account and inserting the package is {@link Renewals}' work), and
 * the allocator adopts what it answers.
 */
final class UsageAllocator {

    /**
     * Orders the auto-renewal of a package that ended at {@code endedAt}; empty when it
     * could not be ordered (the balance was short).
     */
    @FunctionalInterface
    interface Renewer {

        Optional<TrafficPackage> renew(TrafficPackage ended, Instant endedAt);

    }

    private final LockedPackages packages;

    private final Renewer renewer;

    private final Function<TrafficRegion, BigDecimal> paygPricePerGb;

    private final Set<UUID> changed = new LinkedHashSet<>();

    UsageAllocator(LockedPackages packages, Renewer renewer, Function<TrafficRegion, BigDecimal> paygPricePerGb) {
        this.packages = packages;
        this.renewer = renewer;
        this.paygPricePerGb = paygPricePerGb;
    }

    /** The packages whose state this allocation changed, to be written back. */
    List<TrafficPackage> changed() {
        return changed.stream().map(packages::get).toList();
    }

    /**
     * Records the expiry of every locked package whose validity ran out by {@code now},
     * with its auto-renewal, before any record is allocated: traffic after the expiry
     * then finds the successor.
     */
    void expireDue(Instant now) {
        for (TrafficPackage pkg : packages.all()) {
            if (pkg.expireIfDue(now)) {
                changed.add(pkg.id());
                if (pkg.wantsAutoRenewal()) {
                    renewer.renew(pkg, pkg.validUntil()).ifPresent(packages::adopt);
                }
            }
        }
    }

    /**
     * Splits {@code records} (distinct ids), in the order they occurred (ties in the
     * batch's order); answers the split of each by record id.
     */
    Map<String, UsageSplit> allocate(List<MeteredUsage> records) {
        Map<String, UsageSplit> splits = new LinkedHashMap<>();
        records.stream()
            .sorted(Comparator.comparing(MeteredUsage::occurredAt).thenComparingInt(MeteredUsage::index))
            .forEach(usage -> splits.put(usage.id(), allocate(usage)));
        return splits;
    }

    /**
     * Offsets one record: against the package bound to its device that is live at its
     * time and matches its region; what a package cannot cover flows into its successor
     * (ordered now when the record exhausts an auto-renewing package), and the rest is
     * pay-as-you-go, or blocked for a {@code CUT_OFF} device.
     */
    UsageSplit allocate(MeteredUsage usage) {
        UsageSplit split = new UsageSplit();
        long left = usage.bytes();
        TrafficPackage pkg = match(usage);
        boolean matched = pkg != null;
        Set<UUID> visited = new HashSet<>();
        while (pkg != null && visited.add(pkg.id())) {
            boolean wasActive = pkg.status() == TrafficPackageStatus.ACTIVE;
            if (pkg.remainingBytes() > 0) {
                long taken = pkg.deduct(left, usage.occurredAt());
                left -= taken;
                split.packageBytes += taken;
                split.packageId = pkg.id();
                split.allocations.merge(pkg.id(), taken, Long::sum);
                changed.add(pkg.id());
            }
            if (wasActive && pkg.status() == TrafficPackageStatus.EXHAUSTED && pkg.wantsAutoRenewal()) {
                renewer.renew(pkg, usage.occurredAt()).ifPresent(packages::adopt);
            }
            if (left == 0) {
                break;
            }
            pkg = successorFor(pkg, usage);
        }
        if (left > 0) {
            split.reason = matched ? UnoffsetReason.PACKAGE_EXHAUSTED
                    : liveInOtherRegion(usage) ? UnoffsetReason.REGION_MISMATCH : UnoffsetReason.NO_LIVE_PACKAGE;
            if (usage.policy() == OveragePolicy.CUT_OFF) {
                split.blockedBytes = left;
            }
            else {
                split.paygBytes = left;
                split.paygUnitPrice = paygPricePerGb.apply(usage.region());
            }
        }
        return split;
    }

    /**
     * The package the record is offset against: bound to its device at
     * {@code occurredAt}, of its region, valid then. When several qualify (a package
     * exhausted earlier and the one that took over), the one that had not ended by then
     * wins, the latest first; otherwise the latest, whose successors the allocation then
     * walks.
     */
    private @Nullable TrafficPackage match(MeteredUsage usage) {
        Instant at = usage.occurredAt();
        TrafficPackage best = null;
        for (LockedPackages.Binding binding : packages.bindingsOf(usage.deviceId())) {
            TrafficPackage pkg = packages.get(binding.packageId());
            if (pkg != null && pkg.region() == usage.region() && validAt(pkg, binding, at)) {
                if (best == null || rank(pkg, at) > rank(best, at)
                        || (rank(pkg, at) == rank(best, at) && pkg.validFrom().isAfter(best.validFrom()))) {
                    best = pkg;
                }
            }
        }
        return best;
    }

    /**
     * Whether a package of the other region was bound to the record's device and valid at
     * its time.
     */
    private boolean liveInOtherRegion(MeteredUsage usage) {
        Instant at = usage.occurredAt();
        for (LockedPackages.Binding binding : packages.bindingsOf(usage.deviceId())) {
            TrafficPackage pkg = packages.get(binding.packageId());
            if (pkg != null && pkg.region() != usage.region() && validAt(pkg, binding, at)) {
                return true;
            }
        }
        return false;
    }

    private static boolean validAt(TrafficPackage pkg, LockedPackages.Binding binding, Instant at) {
        return pkg.status() != TrafficPackageStatus.UNSUBSCRIBED && binding.heldAt(at) && !pkg.validFrom().isAfter(at)
                && pkg.validUntil().isAfter(at);
    }

    private static int rank(TrafficPackage pkg, Instant at) {
        return pkg.endedAt() == null || pkg.endedAt().isAfter(at) ? 1 : 0;
    }

    private @Nullable TrafficPackage successorFor(TrafficPackage pkg, MeteredUsage usage) {
        TrafficPackage next = packages.get(pkg.successorId());
        if (next == null || next.status() == TrafficPackageStatus.UNSUBSCRIBED) {
            return null;
        }
        for (LockedPackages.Binding binding : packages.bindingsOf(usage.deviceId())) {
            if (binding.packageId().equals(next.id()) && binding.unboundAt() == null) {
                return next;
            }
        }
        return null;
    }

}
