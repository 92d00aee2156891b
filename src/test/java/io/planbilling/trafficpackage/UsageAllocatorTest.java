package io.planbilling.trafficpackage;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.shared.Money;
import io.planbilling.shared.RecordSource;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The allocation rules of docs/traffic-packages.md (which package), one by one, over
 * packages in memory: no Spring, no database.
 */
class UsageAllocatorTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    static final Currency CNY = Currency.getInstance("CNY");

    static final long GB = TrafficPackageType.GB;

    static final Instant BOUGHT = Instant.parse("2026-11-01T00:00:00Z");

    static final Instant NOW = BOUGHT.plus(Duration.ofDays(10));

    static final BigDecimal GUANGZHOU_PRICE = new BigDecimal("0.80");

    static final BigDecimal SILICON_VALLEY_PRICE = new BigDecimal("1.20");

    final UUID account = UUID.randomUUID();

    final UUID device = UUID.randomUUID();

    final List<TrafficPackage> packages = new ArrayList<>();

    final Map<UUID, List<LockedPackages.Binding>> bindings = new HashMap<>();

    /** Renewals ordered, as (package, endedAt). */
    final List<Object[]> renewed = new ArrayList<>();

    boolean balanceCoversRenewals = true;

    TrafficPackage bought(TrafficRegion region, boolean autoRenew) {
        TrafficPackage pkg = TrafficPackage.purchase(UUID.randomUUID(), account, TrafficPackageType.DEVICE_1_FLOW_20G,
                region, List.of(device), autoRenew, Money.of("30.00", CNY), BOUGHT, SHANGHAI);
        bind(pkg, BOUGHT, null);
        return pkg;
    }

    void bind(TrafficPackage pkg, Instant from, @Nullable Instant until) {
        packages.add(pkg);
        bindings.computeIfAbsent(device, k -> new ArrayList<>()).add(new LockedPackages.Binding(pkg.id(), from, until));
    }

    UsageAllocator allocator() {
        return new UsageAllocator(new LockedPackages(packages, bindings), (ended, endedAt) -> {
            renewed.add(new Object[] { ended, endedAt });
            if (!balanceCoversRenewals) {
                ended.failRenewal("INSUFFICIENT_BALANCE");
                return Optional.empty();
            }
            return Optional
                .of(ended.renew(UUID.randomUUID(), ended.nextDevices(), ended.price(), endedAt, SHANGHAI, NOW));
        }, region -> region == TrafficRegion.GUANGZHOU ? GUANGZHOU_PRICE : SILICON_VALLEY_PRICE);
    }

    MeteredUsage usage(int index, TrafficRegion region, long bytes, Instant at) {
        return usage(index, region, bytes, at, OveragePolicy.PAY_AS_YOU_GO);
    }

    MeteredUsage usage(int index, TrafficRegion region, long bytes, Instant at, OveragePolicy policy) {
        return new MeteredUsage(new UsageRecord(index, "r" + index, device, region, bytes, at), account, policy,
                RecordSource.http("test"));
    }

    static Instant day(int day) {
        return BOUGHT.plus(Duration.ofDays(day));
    }

    @Test
    void aRecordIsOffsetByTheLivePackageOfItsRegionBoundToItsDevice() {
        TrafficPackage pkg = bought(TrafficRegion.GUANGZHOU, false);
        UsageAllocator allocator = allocator();

        UsageSplit split = allocator.allocate(usage(0, TrafficRegion.GUANGZHOU, GB, day(1)));

        assertThat(split.packageId).isEqualTo(pkg.id());
        assertThat(split.packageBytes).isEqualTo(GB);
        assertThat(split.paygBytes + split.blockedBytes).isZero();
        assertThat(split.reason).isNull();
        assertThat(pkg.usedBytes()).isEqualTo(GB);
        assertThat(allocator.changed()).containsExactly(pkg);
    }

    @Test
    void trafficOfTheOtherRegionIsPayAsYouGoAtThatRegionsPriceWithReasonRegionMismatch() {
        TrafficPackage pkg = bought(TrafficRegion.GUANGZHOU, false);

        UsageSplit split = allocator().allocate(usage(0, TrafficRegion.SILICON_VALLEY, GB, day(1)));

        assertThat(split.packageId).isNull();
        assertThat(split.paygBytes).isEqualTo(GB);
        assertThat(split.paygUnitPrice).isEqualTo(SILICON_VALLEY_PRICE);
        assertThat(split.reason).isEqualTo(UnoffsetReason.REGION_MISMATCH);
        assertThat(pkg.usedBytes()).isZero();
    }

    @Test
    void withoutAPackageLiveAtTheRecordsTimeTheReasonIsNoLivePackage() {
        assertThat(allocator().allocate(usage(0, TrafficRegion.GUANGZHOU, GB, day(1))).reason).as("no package at all")
            .isEqualTo(UnoffsetReason.NO_LIVE_PACKAGE);

        bought(TrafficRegion.GUANGZHOU, false);
        assertThat(allocator().allocate(usage(0, TrafficRegion.GUANGZHOU, GB, BOUGHT.minusSeconds(1))).reason)
            .as("before the package's validity")
            .isEqualTo(UnoffsetReason.NO_LIVE_PACKAGE);
        assertThat(allocator().allocate(usage(1, TrafficRegion.SILICON_VALLEY, GB, BOUGHT.minusSeconds(1))).reason)
            .as("no package of either region then")
            .isEqualTo(UnoffsetReason.NO_LIVE_PACKAGE);
    }

    @Test
    void aDeviceBoundLaterOrReleasedEarlierIsNotOffsetOutsideItsBinding() {
        TrafficPackage pkg = TrafficPackage.purchase(UUID.randomUUID(), account, TrafficPackageType.DEVICE_1_FLOW_20G,
                TrafficRegion.GUANGZHOU, List.of(device), false, Money.of("30.00", CNY), BOUGHT, SHANGHAI);
        bind(pkg, day(2), day(5));
        UsageAllocator allocator = allocator();

        assertThat(allocator.allocate(usage(0, TrafficRegion.GUANGZHOU, GB, day(1))).reason)
            .isEqualTo(UnoffsetReason.NO_LIVE_PACKAGE);
        assertThat(allocator.allocate(usage(1, TrafficRegion.GUANGZHOU, GB, day(3))).packageBytes).isEqualTo(GB);
        assertThat(allocator.allocate(usage(2, TrafficRegion.GUANGZHOU, GB, day(5))).reason)
            .isEqualTo(UnoffsetReason.NO_LIVE_PACKAGE);
    }

    @Test
    void anUnsubscribedPackageOffsetsNothingNotEvenLateTrafficFromBefore() {
        TrafficPackage pkg = bought(TrafficRegion.GUANGZHOU, false);
        pkg.unsubscribe(day(5));

        UsageSplit late = allocator().allocate(usage(0, TrafficRegion.GUANGZHOU, GB, day(1)));

        assertThat(late.paygBytes).isEqualTo(GB);
        assertThat(late.reason).isEqualTo(UnoffsetReason.NO_LIVE_PACKAGE);
    }

    @Test
    void aRecordThatExhaustsAPackageIsSplitAndTheRestIsPackageExhausted() {
        TrafficPackage pkg = bought(TrafficRegion.GUANGZHOU, false);
        pkg.deduct(19 * GB, day(1));

        UsageSplit split = allocator().allocate(usage(0, TrafficRegion.GUANGZHOU, 3 * GB, day(2)));

        assertThat(split.packageBytes).isEqualTo(GB);
        assertThat(split.paygBytes).isEqualTo(2 * GB);
        assertThat(split.paygUnitPrice).isEqualTo(GUANGZHOU_PRICE);
        assertThat(split.reason).isEqualTo(UnoffsetReason.PACKAGE_EXHAUSTED);
        assertThat(pkg.status()).isEqualTo(TrafficPackageStatus.EXHAUSTED);
        assertThat(pkg.endedAt()).as("exhausted at the record's time").isEqualTo(day(2));
    }

    @Test
    void exhaustionOrdersTheAutoRenewalAtThatMomentAndTheRestFlowsIntoTheSuccessor() {
        TrafficPackage pkg = bought(TrafficRegion.GUANGZHOU, true);
        pkg.deduct(19 * GB, day(1));
        UsageAllocator allocator = allocator();

        UsageSplit split = allocator.allocate(usage(0, TrafficRegion.GUANGZHOU, 3 * GB, day(2)));

        assertThat(renewed).singleElement().satisfies(renewal -> {
            assertThat(renewal[0]).isSameAs(pkg);
            assertThat(renewal[1]).isEqualTo(day(2));
        });
        assertThat(split.packageBytes).isEqualTo(3 * GB);
        assertThat(split.reason).isNull();
        assertThat(split.packageId).as("the last package that offset part of it").isEqualTo(pkg.successorId());
        assertThat(split.allocations).containsExactly(Map.entry(pkg.id(), GB), Map.entry(pkg.successorId(), 2 * GB));
        assertThat(allocator.changed()).extracting(TrafficPackage::id).containsExactly(pkg.id(), pkg.successorId());
    }

    @Test
    void oneRecordLargerThanAPackageFlowsThroughSeveralSuccessors() {
        TrafficPackage pkg = bought(TrafficRegion.GUANGZHOU, true);

        UsageSplit split = allocator().allocate(usage(0, TrafficRegion.GUANGZHOU, 45 * GB, day(1)));

        assertThat(renewed).as("the first and the second exhausted").hasSize(2);
        assertThat(split.packageBytes).isEqualTo(45 * GB);
        assertThat(split.allocations.values()).containsExactly(20 * GB, 20 * GB, 5 * GB);
        assertThat(split.allocations.keySet()).first().isEqualTo(pkg.id());
    }

    @Test
    void aRenewalTheBalanceDoesNotCoverLeavesTheRestPackageExhausted() {
        TrafficPackage pkg = bought(TrafficRegion.GUANGZHOU, true);
        balanceCoversRenewals = false;

        UsageSplit split = allocator().allocate(usage(0, TrafficRegion.GUANGZHOU, 21 * GB, day(1)));

        assertThat(split.packageBytes).isEqualTo(20 * GB);
        assertThat(split.paygBytes).isEqualTo(GB);
        assertThat(split.reason).isEqualTo(UnoffsetReason.PACKAGE_EXHAUSTED);
        assertThat(pkg.renewalFailure()).isEqualTo("INSUFFICIENT_BALANCE");
    }

    @Test
    void aCutOffDeviceHasEveryUnoffsetByteBlockedNeverBilled() {
        bought(TrafficRegion.GUANGZHOU, false);
        UsageAllocator allocator = allocator();

        UsageSplit over = allocator.allocate(usage(0, TrafficRegion.GUANGZHOU, 21 * GB, day(1), OveragePolicy.CUT_OFF));
        UsageSplit otherRegion = allocator
            .allocate(usage(1, TrafficRegion.SILICON_VALLEY, GB, day(1), OveragePolicy.CUT_OFF));

        assertThat(over.blockedBytes).isEqualTo(GB);
        assertThat(over.paygBytes).isZero();
        assertThat(over.reason).isEqualTo(UnoffsetReason.PACKAGE_EXHAUSTED);
        assertThat(otherRegion.blockedBytes).isEqualTo(GB);
        assertThat(otherRegion.paygUnitPrice).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(otherRegion.reason).isEqualTo(UnoffsetReason.REGION_MISMATCH);
    }

    @Test
    void recordsAreAppliedInTheOrderTheyOccurredNotTheOrderTheyArrived() {
        bought(TrafficRegion.GUANGZHOU, false);

        Map<String, UsageSplit> splits = allocator()
            .allocate(List.of(usage(0, TrafficRegion.GUANGZHOU, 10 * GB, day(3)),
                    usage(1, TrafficRegion.GUANGZHOU, 15 * GB, day(2))));

        assertThat(splits.keySet()).containsExactly("r1", "r0");
        assertThat(splits.get("r1").packageBytes).isEqualTo(15 * GB);
        assertThat(splits.get("r0").packageBytes).isEqualTo(5 * GB);
        assertThat(splits.get("r0").reason).isEqualTo(UnoffsetReason.PACKAGE_EXHAUSTED);
    }

    @Test
    void aLateRecordFromBeforeAnExhaustionLandsInTheSuccessorNotInPayAsYouGo() {
        TrafficPackage pkg = bought(TrafficRegion.GUANGZHOU, true);
        pkg.deduct(20 * GB, day(5));
        TrafficPackage successor = pkg.renew(UUID.randomUUID(), List.of(device), pkg.price(), day(5), SHANGHAI, day(5));
        bind(successor, day(5), null);

        UsageSplit late = allocator().allocate(usage(0, TrafficRegion.GUANGZHOU, GB, day(4)));

        assertThat(late.packageId).isEqualTo(successor.id());
        assertThat(late.packageBytes).isEqualTo(GB);
        assertThat(late.reason).isNull();
        assertThat(renewed).isEmpty();
    }

    @Test
    void ofTwoPackagesValidAtTheRecordsTimeTheOneNotYetEndedWins() {
        TrafficPackage exhausted = bought(TrafficRegion.GUANGZHOU, false);
        exhausted.deduct(20 * GB, day(2));
        TrafficPackage current = TrafficPackage.purchase(UUID.randomUUID(), account,
                TrafficPackageType.DEVICE_1_FLOW_20G, TrafficRegion.GUANGZHOU, List.of(device), false,
                Money.of("30.00", CNY), day(2), SHANGHAI);
        bind(current, day(2), null);

        UsageSplit split = allocator().allocate(usage(0, TrafficRegion.GUANGZHOU, GB, day(3)));

        assertThat(split.packageId).isEqualTo(current.id());
        assertThat(split.reason).isNull();
    }

    @Test
    void aPackagePastItsValidityIsExpiredFirstAndTrafficAfterwardsFindsItsRenewal() {
        TrafficPackage pkg = bought(TrafficRegion.GUANGZHOU, true);
        Instant after = pkg.validUntil().plus(Duration.ofHours(1));
        UsageAllocator allocator = allocator();

        allocator.expireDue(after);
        UsageSplit split = allocator.allocate(usage(0, TrafficRegion.GUANGZHOU, GB, after));

        assertThat(pkg.status()).isEqualTo(TrafficPackageStatus.EXPIRED);
        assertThat(renewed).singleElement().satisfies(renewal -> assertThat(renewal[1]).isEqualTo(pkg.validUntil()));
        assertThat(split.packageId).isEqualTo(pkg.successorId());
        assertThat(allocator.changed()).extracting(TrafficPackage::id).containsExactly(pkg.id(), pkg.successorId());
    }

}
