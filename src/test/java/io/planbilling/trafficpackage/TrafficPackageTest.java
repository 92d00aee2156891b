package io.planbilling.trafficpackage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.EventType;
import io.planbilling.shared.Money;
import io.planbilling.shared.ProblemException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The aggregate's rules, without Spring or a database. */
class TrafficPackageTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final Currency CNY = Currency.getInstance("CNY");
    static final long GB = TrafficPackageType.GB;
    static final Instant BOUGHT = Instant.parse("2026-11-01T00:00:00Z");

    static Money cny(String amount) {
        return Money.of(amount, CNY);
    }

    static TrafficPackage bought(TrafficPackageType type, String price, List<UUID> devices) {
        return TrafficPackage.purchase(UUID.randomUUID(), UUID.randomUUID(),
                new PurchaseCommand(type, TrafficRegion.GUANGZHOU, devices, true), cny(price), BOUGHT, SHANGHAI);
    }

    static String code(Throwable thrown) {
        return ((ProblemException) thrown).code().name();
    }

    @Test
    void validityIsOneCalendarMonthInTheBillingZone() {
        assertThat(TrafficPackage.validUntil(Instant.parse("2026-03-15T02:00:00Z"), SHANGHAI))
            .isEqualTo(Instant.parse("2026-04-15T02:00:00Z"));
    }

    @Test
    void validityIsClampedToTheEndOfAShorterMonth() {
        // 2026-01-31T10:00+08:00 → 2026-02-28T10:00+08:00 (docs/traffic-packages.md)
        assertThat(TrafficPackage.validUntil(Instant.parse("2026-01-31T02:00:00Z"), SHANGHAI))
            .isEqualTo(Instant.parse("2026-02-28T02:00:00Z"));
        // a leap year clamps to the 29th
        assertThat(TrafficPackage.validUntil(Instant.parse("2028-01-31T02:00:00Z"), SHANGHAI))
            .isEqualTo(Instant.parse("2028-02-29T02:00:00Z"));
    }

    @Test
    void monthsAreCountedInTheBillingZoneNotInUtc() {
        // 2026-01-31T20:00Z is already Feb 1st 04:00 in Shanghai, so the month ends on
        // Mar 1st local
        assertThat(TrafficPackage.validUntil(Instant.parse("2026-01-31T20:00:00Z"), SHANGHAI))
            .isEqualTo(Instant.parse("2026-02-28T20:00:00Z"));
    }

    @Test
    void purchaseStartsActiveWithTheTypesCapacityAndLimit() {
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_2_FLOW_50G, "70.00", List.of());

        assertThat(pkg.status()).isEqualTo(TrafficPackageStatus.ACTIVE);
        assertThat(pkg.capacityBytes()).isEqualTo(50 * GB);
        assertThat(pkg.maxDevices()).isEqualTo(2);
        assertThat(pkg.paid()).isEqualTo(cny("70.00"));
        assertThat(pkg.isLive(BOUGHT)).isTrue();
    }

    @Test
    void rejectsPurchaseBeyondTheDeviceLimit() {
        assertThatThrownBy(() -> bought(TrafficPackageType.DEVICE_1_FLOW_20G, "30.00",
                List.of(UUID.randomUUID(), UUID.randomUUID())))
            .satisfies(thrown -> assertThat(code(thrown)).isEqualTo("DEVICE_LIMIT_EXCEEDED"));
    }

    @Test
    void bindsUpToTheLimitAndNoFurther() {
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_2_FLOW_50G, "70.00", List.of(UUID.randomUUID()));

        pkg.bind(List.of(UUID.randomUUID()), BOUGHT.plusSeconds(60));

        assertThat(pkg.deviceIds()).hasSize(2);
        assertThatThrownBy(() -> pkg.bind(List.of(UUID.randomUUID()), BOUGHT.plusSeconds(60)))
            .satisfies(thrown -> assertThat(code(thrown)).isEqualTo("DEVICE_LIMIT_EXCEEDED"));
    }

    @Test
    void rejectsBindingADeviceTwice() {
        UUID device = UUID.randomUUID();
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_2_FLOW_50G, "70.00", List.of(device));

        assertThatThrownBy(() -> pkg.bind(List.of(device), BOUGHT))
            .satisfies(thrown -> assertThat(code(thrown)).isEqualTo("DEVICE_ALREADY_BOUND"));
    }

    @Test
    void rejectsBindingToAnExpiredPackage() {
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_2_FLOW_50G, "70.00", List.of());

        assertThatThrownBy(() -> pkg.bind(List.of(UUID.randomUUID()), pkg.validUntil()))
            .satisfies(thrown -> assertThat(code(thrown)).isEqualTo("PACKAGE_NOT_ACTIVE"));
    }

    @Test
    void deductsUpToTheCapacityAndIsExhaustedThen() {
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_1_FLOW_20G, "30.00", List.of());
        Instant at = BOUGHT.plusSeconds(3600);

        assertThat(pkg.deduct(15 * GB, at)).isEqualTo(15 * GB);
        assertThat(pkg.status()).isEqualTo(TrafficPackageStatus.ACTIVE);
        assertThat(pkg.deduct(10 * GB, at)).isEqualTo(5 * GB);

        assertThat(pkg.remainingBytes()).isZero();
        assertThat(pkg.status()).isEqualTo(TrafficPackageStatus.EXHAUSTED);
        assertThat(pkg.endedAt()).isEqualTo(at);
        assertThat(pkg.deduct(1, at)).isZero();
    }

    @Test
    void readsExpiredOncePastItsValidityAndExpiresOnce() {
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_1_FLOW_20G, "30.00", List.of());

        assertThat(pkg.statusAt(pkg.validUntil().minusMillis(1))).isEqualTo(TrafficPackageStatus.ACTIVE);
        assertThat(pkg.statusAt(pkg.validUntil())).isEqualTo(TrafficPackageStatus.EXPIRED);
        assertThat(pkg.expireIfDue(pkg.validUntil().minusMillis(1))).isFalse();
        assertThat(pkg.expireIfDue(pkg.validUntil())).isTrue();
        assertThat(pkg.expireIfDue(pkg.validUntil())).isFalse();
        assertThat(pkg.endedAt()).isEqualTo(pkg.validUntil());
    }

    @Test
    void upgradeChargesThePriceDifferenceProratedByTimeLeft() {
        // a 30-day cycle (Nov) with 12 days left: (130 − 70) × 12/30 = 24.00
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_2_FLOW_50G, "70.00", List.of(UUID.randomUUID()));
        pkg.deduct(10 * GB, BOUGHT.plusSeconds(60));
        Instant now = pkg.validUntil().minus(java.time.Duration.ofDays(12));

        Money charge = pkg.changeTier(TrafficPackageType.DEVICE_3_FLOW_100G, cny("130.00"), null, now);

        assertThat(charge).isEqualTo(cny("24.00"));
        assertThat(pkg.type()).isEqualTo(TrafficPackageType.DEVICE_3_FLOW_100G);
        assertThat(pkg.capacityBytes()).isEqualTo(100 * GB);
        assertThat(pkg.maxDevices()).isEqualTo(3);
        assertThat(pkg.usedBytes()).isEqualTo(10 * GB);
        assertThat(pkg.deviceIds()).hasSize(1);
        assertThat(pkg.validUntil()).isEqualTo(BOUGHT.atZone(SHANGHAI).plusMonths(1).toInstant());
        assertThat(pkg.paid()).isEqualTo(cny("94.00"));
        assertThat(pkg.price()).isEqualTo(cny("130.00"));
    }

    @Test
    void upgradeProrationRoundsOnceHalfEven() {
        TrafficPackage pkg = TrafficPackage.purchase(UUID.randomUUID(), UUID.randomUUID(),
                new PurchaseCommand(TrafficPackageType.DEVICE_1_FLOW_20G, TrafficRegion.GUANGZHOU, List.of(), false),
                cny("30.00"), Instant.parse("2026-12-01T00:00:00Z"), SHANGHAI);
        // 31-day cycle, 10 days left: 40 × 10/31 = 12.903225… → 12.90
        Instant now = pkg.validUntil().minus(java.time.Duration.ofDays(10));

        assertThat(pkg.upgradeCharge(cny("70.00"), now)).isEqualTo(cny("12.90"));
        // 31-day cycle, 1 hour left: 40 × 1/744 = 0.053763… → 0.05
        assertThat(pkg.upgradeCharge(cny("70.00"), pkg.validUntil().minusSeconds(3600))).isEqualTo(cny("0.05"));
        TrafficPackage tie = TrafficPackage.purchase(UUID.randomUUID(), UUID.randomUUID(),
                new PurchaseCommand(TrafficPackageType.DEVICE_1_FLOW_20G, TrafficRegion.GUANGZHOU, List.of(), false),
                cny("30.00"), Instant.parse("2026-02-01T00:00:00Z"), ZoneId.of("UTC"));
        // half-even at a tie: Feb 2026 has 672 h, 84 h left is 1/8: (31.00 − 30.00) × 1/8
        // = 0.125 → 0.12
        assertThat(tie.upgradeCharge(cny("31.00"), tie.validUntil().minusSeconds(84 * 3600))).isEqualTo(cny("0.12"));
    }

    @Test
    void downgradeIsPendingAndNeedsTheDevicesToKeepWhenTooManyAreBound() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_2_FLOW_50G, "70.00", List.of(first, second));

        assertThatThrownBy(() -> pkg.changeTier(TrafficPackageType.DEVICE_1_FLOW_20G, cny("30.00"), null, BOUGHT))
            .satisfies(thrown -> assertThat(code(thrown)).isEqualTo("DEVICE_LIMIT_EXCEEDED"));
        assertThatThrownBy(() -> pkg.changeTier(TrafficPackageType.DEVICE_1_FLOW_20G, cny("30.00"),
                List.of(UUID.randomUUID()), BOUGHT))
            .satisfies(thrown -> assertThat(code(thrown)).isEqualTo("DEVICE_NOT_BOUND"));
        assertThatThrownBy(() -> pkg.changeTier(TrafficPackageType.DEVICE_1_FLOW_20G, cny("30.00"),
                List.of(first, second), BOUGHT))
            .satisfies(thrown -> assertThat(code(thrown)).isEqualTo("DEVICE_LIMIT_EXCEEDED"));

        Money charge = pkg.changeTier(TrafficPackageType.DEVICE_1_FLOW_20G, cny("30.00"), List.of(second), BOUGHT);

        assertThat(charge.isZero()).isTrue();
        assertThat(pkg.type()).isEqualTo(TrafficPackageType.DEVICE_2_FLOW_50G);
        assertThat(pkg.pendingType()).isEqualTo(TrafficPackageType.DEVICE_1_FLOW_20G);
        assertThat(pkg.nextType()).isEqualTo(TrafficPackageType.DEVICE_1_FLOW_20G);
        assertThat(pkg.nextDevices()).containsExactly(second);
        assertThat(pkg.deviceIds()).containsExactlyInAnyOrder(first, second);
    }

    /**
     * In memory as the store reads them back (and the API and the events show them): by
     * binding time, then id.
     */
    @Test
    void devicesBoundAtOneMomentAreInTheStoresOrder() {
        UUID low = UUID.fromString("0a000000-0000-4000-8000-000000000000");
        UUID high = UUID.fromString("f0000000-0000-4000-8000-000000000000");
        UUID middle = UUID.fromString("8b000000-0000-4000-8000-000000000000");
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_5_FLOW_500G, "600.00", List.of(high, low));

        pkg.bind(List.of(middle), BOUGHT.plusSeconds(1));

        // a uuid compares as its text in PostgreSQL; java.util.UUID's signed comparison
        // would put f0… first
        assertThat(pkg.deviceIds()).containsExactly(low, high, middle);
    }

    @Test
    void anUpgradeDropsAPendingDowngrade() {
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_2_FLOW_50G, "70.00", List.of());
        pkg.changeTier(TrafficPackageType.DEVICE_1_FLOW_20G, cny("30.00"), null, BOUGHT);

        pkg.changeTier(TrafficPackageType.DEVICE_3_FLOW_100G, cny("130.00"), null, BOUGHT);

        assertThat(pkg.pendingType()).isNull();
        assertThat(pkg.nextType()).isEqualTo(TrafficPackageType.DEVICE_3_FLOW_100G);
        // bought at the start of the cycle: the whole difference
        assertThat(pkg.paid()).isEqualTo(cny("130.00"));
    }

    @Test
    void aLateRecordDeductsFromAnExpiredPackageWithoutChangingItsStatus() {
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_1_FLOW_20G, "30.00", List.of());
        pkg.expireIfDue(pkg.validUntil());

        assertThat(pkg.deduct(25 * GB, pkg.validUntil().minusSeconds(60))).isEqualTo(20 * GB);

        assertThat(pkg.status()).isEqualTo(TrafficPackageStatus.EXPIRED);
    }

    @Test
    void cancelsAPendingDowngradeOnlyWhenThereIsOne() {
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_2_FLOW_50G, "70.00", List.of());
        assertThatThrownBy(() -> pkg.cancelPendingChange(BOUGHT))
            .satisfies(thrown -> assertThat(code(thrown)).isEqualTo("NO_PENDING_CHANGE"));
        pkg.changeTier(TrafficPackageType.DEVICE_1_FLOW_20G, cny("30.00"), null, BOUGHT);

        pkg.cancelPendingChange(BOUGHT);

        assertThat(pkg.pendingType()).isNull();
        assertThat(pkg.nextType()).isEqualTo(TrafficPackageType.DEVICE_2_FLOW_50G);
    }

    @Test
    void rejectsATierChangeToTheSameType() {
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_2_FLOW_50G, "70.00", List.of());

        assertThatThrownBy(() -> pkg.changeTier(TrafficPackageType.DEVICE_2_FLOW_50G, cny("70.00"), null, BOUGHT))
            .satisfies(thrown -> assertThat(code(thrown)).isEqualTo("TIER_UNCHANGED"));
    }

    @Test
    void unsubscribeRefundsTheUnusedShareOfWhatWasPaidRoundedDown() {
        UUID device = UUID.randomUUID();
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_1_FLOW_20G, "30.00", List.of(device));
        // 7 of 20 GB used: 30.00 × 13/20 = 19.50
        pkg.deduct(7 * GB, BOUGHT.plusSeconds(60));

        assertThat(pkg.refundAmount()).isEqualTo(cny("19.50"));
        // one more byte: 30 × (13 GB − 1) / 20 GB = 19.4999999… → rounds down to 19.49
        pkg.deduct(1, BOUGHT.plusSeconds(61));
        Money refund = pkg.unsubscribe(BOUGHT.plusSeconds(120));

        assertThat(refund).isEqualTo(cny("19.49"));
        assertThat(pkg.status()).isEqualTo(TrafficPackageStatus.UNSUBSCRIBED);
        assertThat(pkg.autoRenew()).isFalse();
        assertThat(pkg.deviceIds()).isEmpty();
        assertThatThrownBy(() -> pkg.unsubscribe(BOUGHT.plusSeconds(180)))
            .satisfies(thrown -> assertThat(code(thrown)).isEqualTo("PACKAGE_NOT_ACTIVE"));
    }

    @Test
    void unsubscribeAfterAnUpgradeRefundsPurchasePlusUpgrade() {
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_2_FLOW_50G, "70.00", List.of());
        Instant half = pkg.validUntil().minus(java.time.Duration.ofDays(15));
        pkg.changeTier(TrafficPackageType.DEVICE_3_FLOW_100G, cny("130.00"), null, half); // +
                                                                                          // 30.00
        pkg.deduct(25 * GB, half);

        // 100.00 × 75/100
        assertThat(pkg.unsubscribe(half)).isEqualTo(cny("75.00"));
    }

    @Test
    void aLivePackageCannotBeDeletedOrRenewed() {
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_1_FLOW_20G, "30.00", List.of());

        assertThatThrownBy(() -> pkg.requireDeletable(BOUGHT))
            .satisfies(thrown -> assertThat(code(thrown)).isEqualTo("PACKAGE_STILL_ACTIVE"));
        assertThatThrownBy(() -> pkg.requireRenewable(BOUGHT))
            .satisfies(thrown -> assertThat(code(thrown)).isEqualTo("PACKAGE_STILL_ACTIVE"));
        pkg.deduct(20 * GB, BOUGHT);
        pkg.requireDeletable(BOUGHT);
        pkg.requireRenewable(BOUGHT);
    }

    @Test
    void anUnsubscribedPackageCannotBeRenewedButCanBeDeleted() {
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_1_FLOW_20G, "30.00", List.of());
        pkg.unsubscribe(BOUGHT);

        assertThatThrownBy(() -> pkg.requireRenewable(BOUGHT))
            .satisfies(thrown -> assertThat(code(thrown)).isEqualTo("PACKAGE_NOT_RENEWABLE"));
        pkg.requireDeletable(BOUGHT);
    }

    @Test
    void renewalMakesOneSuccessorOfTheNextTypeWithTheKeptDevices() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_2_FLOW_50G, "70.00", List.of(first, second));
        pkg.changeTier(TrafficPackageType.DEVICE_1_FLOW_20G, cny("30.00"), List.of(first), BOUGHT);
        pkg.deduct(50 * GB, BOUGHT.plusSeconds(10));
        Instant at = BOUGHT.plusSeconds(10);

        TrafficPackage next = pkg.renew(UUID.randomUUID(), pkg.nextDevices(), cny("30.00"), at, SHANGHAI, at);

        assertThat(next.type()).isEqualTo(TrafficPackageType.DEVICE_1_FLOW_20G);
        assertThat(next.deviceIds()).containsExactly(first);
        assertThat(next.predecessorId()).isEqualTo(pkg.id());
        assertThat(next.autoRenew()).isTrue();
        assertThat(next.validFrom()).isEqualTo(at);
        assertThat(next.validUntil()).isEqualTo(TrafficPackage.validUntil(at, SHANGHAI));
        assertThat(pkg.successorId()).isEqualTo(next.id());
        assertThat(pkg.wantsAutoRenewal()).isFalse();
        assertThatThrownBy(() -> pkg.requireRenewable(at))
            .satisfies(thrown -> assertThat(code(thrown)).isEqualTo("ALREADY_RENEWED"));
    }

    @Test
    void autoRenewChangesOnlyWhileLive() {
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_1_FLOW_20G, "30.00", List.of());
        pkg.changeAutoRenew(false, BOUGHT);
        assertThat(pkg.wantsAutoRenewal()).isFalse();

        pkg.deduct(20 * GB, BOUGHT);

        assertThatThrownBy(() -> pkg.changeAutoRenew(true, BOUGHT))
            .satisfies(thrown -> assertThat(code(thrown)).isEqualTo("PACKAGE_NOT_ACTIVE"));
    }

    @Test
    void anUpgradeNamesNoDevicesToKeep() {
        UUID device = UUID.randomUUID();
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_2_FLOW_50G, "70.00", List.of(device));

        assertThatThrownBy(
                () -> pkg.changeTier(TrafficPackageType.DEVICE_3_FLOW_100G, cny("130.00"), List.of(device), BOUGHT))
            .isInstanceOfSatisfying(ProblemException.class,
                    problem -> assertThat(problem.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
        assertThat(pkg.type()).isEqualTo(TrafficPackageType.DEVICE_2_FLOW_50G);
    }

    static final TrafficPrices PRICES = new TrafficPrices(
            new TrafficPrices.Guangzhou(new BigDecimal("30.00"), new BigDecimal("70.00"), new BigDecimal("130.00"),
                    new BigDecimal("600.00"), new BigDecimal("1.20")),
            new TrafficPrices.SiliconValley(new BigDecimal("40.00"), new BigDecimal("95.00"), new BigDecimal("180.00"),
                    new BigDecimal("850.00"), new BigDecimal("1.60")));

    static final BillingSettings SETTINGS = new BillingSettings(CNY, SHANGHAI);

    @Test
    void theRenewalPriceIsTheNextTypesPriceInTheOwnRegion() {
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_2_FLOW_50G, "70.00", List.of());
        TrafficPackage abroad = TrafficPackage.purchase(UUID.randomUUID(), UUID.randomUUID(),
                new PurchaseCommand(TrafficPackageType.DEVICE_3_FLOW_100G, TrafficRegion.SILICON_VALLEY, List.of(),
                        false),
                cny("180.00"), BOUGHT, SHANGHAI);

        assertThat(pkg.renewalPrice(PRICES, SETTINGS)).isEqualTo(cny("70.00"));
        pkg.changeTier(TrafficPackageType.DEVICE_1_FLOW_20G, cny("30.00"), null, BOUGHT);
        assertThat(pkg.renewalPrice(PRICES, SETTINGS)).isEqualTo(cny("30.00"));
        assertThat(abroad.renewalPrice(PRICES, SETTINGS)).isEqualTo(cny("180.00"));
    }

    @Test
    void aUsageThresholdIsRegisteredOncePerCycleAndStaysReached() {
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_1_FLOW_20G, "30.00", List.of());
        pkg.events().drain();

        pkg.reachUsageThreshold(80);
        pkg.reachUsageThreshold(50);
        pkg.reachUsageThreshold(80);
        pkg.upgrade(TrafficPackageType.DEVICE_2_FLOW_50G, cny("70.00"), BOUGHT);

        assertThat(pkg.events().drain()).extracting(event -> event.type())
            .containsExactly(EventType.TRAFFIC_PACKAGE_USAGE_THRESHOLD_REACHED,
                    EventType.TRAFFIC_PACKAGE_USAGE_THRESHOLD_REACHED);
        assertThat(pkg.thresholdsReached()).containsExactly(50, 80);
    }

    @Test
    void theRenewalIsAtRiskWithoutAutoRenewalOrWithAShortBalance() {
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_1_FLOW_20G, "30.00", List.of());

        assertThat(pkg.renewalAtRisk(cny("30.00"), cny("30.00"))).isFalse();
        assertThat(pkg.renewalAtRisk(cny("30.00"), cny("29.99"))).isTrue();
        pkg.changeAutoRenew(false, BOUGHT);
        assertThat(pkg.renewalAtRisk(cny("30.00"), cny("1000.00"))).isTrue();
    }

    @Test
    void aFailedRenewalIsRegisteredOncePerReasonAndClearedByARenewal() {
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_1_FLOW_20G, "30.00", List.of());
        pkg.deduct(20 * GB, BOUGHT);
        pkg.events().drain();

        pkg.failRenewal("INSUFFICIENT_BALANCE");
        pkg.failRenewal("INSUFFICIENT_BALANCE");

        assertThat(pkg.events().drain()).extracting(event -> event.type())
            .containsExactly(EventType.TRAFFIC_PACKAGE_RENEWAL_FAILED);
        assertThat(pkg.renewalFailure()).isEqualTo("INSUFFICIENT_BALANCE");
        pkg.renew(UUID.randomUUID(), List.of(), cny("30.00"), BOUGHT, SHANGHAI, BOUGHT);
        assertThat(pkg.renewalFailure()).isNull();
        assertThatThrownBy(() -> pkg.renew(UUID.randomUUID(), List.of(), cny("30.00"), BOUGHT, SHANGHAI, BOUGHT))
            .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onlyAPositiveAmountOfTrafficIsDeducted() {
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_1_FLOW_20G, "30.00", List.of());

        assertThatThrownBy(() -> pkg.deduct(0, BOUGHT)).isInstanceOf(IllegalArgumentException.class);
        assertThat(pkg.usedBytes()).isZero();
    }

    @Test
    void anEndedPackageCannotBeUnsubscribedOrChangedAgain() {
        TrafficPackage pkg = bought(TrafficPackageType.DEVICE_1_FLOW_20G, "30.00", List.of(UUID.randomUUID()));
        pkg.unsubscribe(BOUGHT);

        assertThat(pkg.deviceIds()).isEmpty();
        assertThat(pkg.autoRenew()).isFalse();
        assertThatThrownBy(() -> pkg.unsubscribe(BOUGHT))
            .satisfies(thrown -> assertThat(code(thrown)).isEqualTo("PACKAGE_NOT_ACTIVE"));
        assertThatThrownBy(() -> pkg.changeTier(TrafficPackageType.DEVICE_2_FLOW_50G, cny("70.00"), null, BOUGHT))
            .satisfies(thrown -> assertThat(code(thrown)).isEqualTo("PACKAGE_NOT_ACTIVE"));
    }

}
