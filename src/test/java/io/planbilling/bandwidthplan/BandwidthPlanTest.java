package io.planbilling.bandwidthplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planbilling.shared.EventType;
import io.planbilling.shared.Money;
import io.planbilling.shared.ProblemException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BandwidthPlanTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private static final Instant NOW = Instant.parse("2026-01-31T02:00:00Z"); // 10:00 in
                                                                              // Shanghai

    private static final BandwidthRegion SHANGHAI = new BandwidthRegion("cn-shanghai");

    private static final Currency CNY = Currency.getInstance("CNY");

    private static final BandwidthPrices PRICES = new BandwidthPrices(new BigDecimal("8.00"), new BigDecimal("25.00"),
            new BigDecimal("250.00"), new BigDecimal("0.05"), new BigDecimal("0.80"));

    private static final PlanDuration ONE_MONTH = new PlanDuration(PlanDuration.Unit.MONTH, 1);

    static BandwidthPlan subscription(PlanDuration duration, boolean autoRenew) {
        return subscription(duration, autoRenew, 10);
    }

    static BandwidthPlan subscription(PlanDuration duration, boolean autoRenew, int peak) {
        return BandwidthPlan.purchase(UUID.randomUUID(), UUID.randomUUID(),
                new PurchaseCommand(SHANGHAI, PaymentType.SUBSCRIPTION, duration, autoRenew, null, peak, null),
                "198.51.100.1", NOW, ZONE);
    }

    static BandwidthPlan payAsYouGo(ChargeType chargeType, int peak) {
        return BandwidthPlan.purchase(UUID.randomUUID(), UUID.randomUUID(),
                new PurchaseCommand(SHANGHAI, PaymentType.PAY_AS_YOU_GO, null, null, chargeType, peak, null),
                "198.51.100.2", NOW, ZONE);
    }

    private static Money cny(String amount) {
        return Money.of(amount, CNY);
    }

    private static String code(Runnable action) {
        try {
            action.run();
        }
        catch (ProblemException ex) {
            return ex.code().name();
        }
        throw new AssertionError("no problem raised");
    }

    @Test
    void aSubscriptionRunsForItsDurationInTheBillingZone() {
        BandwidthPlan plan = subscription(new PlanDuration(PlanDuration.Unit.MONTH, 1), true);

        assertThat(plan.status()).isEqualTo(PlanStatus.NOT_ASSOCIATED);
        assertThat(plan.expiresAt()).isEqualTo(Instant.parse("2026-02-28T02:00:00Z"));
        assertThat(plan.billedUntil()).isNull();
    }

    @Test
    void oneWeekSubscriptionsDoNotAutoRenew() {
        assertThat(code(() -> subscription(new PlanDuration(PlanDuration.Unit.WEEK, 1), true)))
            .isEqualTo("AUTO_RENEW_NOT_ALLOWED");
        assertThat(subscription(new PlanDuration(PlanDuration.Unit.WEEK, 1), false).expiresAt())
            .isEqualTo(Instant.parse("2026-02-07T02:00:00Z"));
    }

    @Test
    void peaksStayInTheirRange() {
        assertThat(code(() -> payAsYouGo(ChargeType.PAY_BY_TRAFFIC, 201))).isEqualTo("VALIDATION_FAILED");
        assertThat(code(() -> payAsYouGo(ChargeType.PAY_BY_BANDWIDTH, 1))).isEqualTo("VALIDATION_FAILED");
        BandwidthPlan traffic = payAsYouGo(ChargeType.PAY_BY_TRAFFIC, 200);
        assertThat(code(() -> traffic.changePeak(300, List.of(), CNY, NOW))).isEqualTo("VALIDATION_FAILED");
        assertThat(payAsYouGo(ChargeType.PAY_BY_BANDWIDTH, 1000).changePeak(2, List.of(), CNY, NOW).previousMbps())
            .isEqualTo(1000);
        assertThat(traffic.billedUntil()).isEqualTo(NOW);
    }

    @Test
    void associationGoesThroughChangingToInUseAndBack() {
        BandwidthPlan plan = payAsYouGo(ChargeType.PAY_BY_BANDWIDTH, 10);
        UUID network = UUID.randomUUID();

        plan.associate(network, NOW);

        assertThat(plan.status()).isEqualTo(PlanStatus.CHANGING);
        assertThat(code(() -> plan.associate(UUID.randomUUID(), NOW))).isEqualTo("PLAN_ALREADY_ASSOCIATED");
        plan.applyAssociation();
        assertThat(plan.status()).isEqualTo(PlanStatus.IN_USE);
        assertThat(plan.dissociate()).isEqualTo(network);
        assertThat(plan.status()).isEqualTo(PlanStatus.NOT_ASSOCIATED);
        assertThat(plan.officeNetworkId()).isNull();
        assertThat(code(plan::dissociate)).isEqualTo("PLAN_NOT_ASSOCIATED");
        assertThatThrownBy(plan::applyAssociation).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void renewalStartsAtTheCurrentExpiryAndNeedsALiveSubscription() {
        BandwidthPlan plan = subscription(new PlanDuration(PlanDuration.Unit.MONTH, 1), false);

        Proration.PaidTerm term = plan.renew(new PlanDuration(PlanDuration.Unit.MONTH, 1), PRICES, CNY, NOW, ZONE);

        assertThat(term.term().startsAt()).isEqualTo(Instant.parse("2026-02-28T02:00:00Z"));
        assertThat(term.term().endsAt()).isEqualTo(Instant.parse("2026-03-28T02:00:00Z"));
        assertThat(plan.expiresAt()).isEqualTo(Instant.parse("2026-03-28T02:00:00Z"));
        assertThat(code(() -> plan.renew(new PlanDuration(PlanDuration.Unit.WEEK, 1), PRICES, CNY,
                Instant.parse("2026-03-28T02:00:00Z"), ZONE)))
            .isEqualTo("PLAN_EXPIRED");
        assertThat(code(() -> payAsYouGo(ChargeType.PAY_BY_TRAFFIC, 10)
            .renew(new PlanDuration(PlanDuration.Unit.WEEK, 1), PRICES, CNY, NOW, ZONE)))
            .isEqualTo("NOT_A_SUBSCRIPTION");
    }

    @Test
    void endingAnAssociatedPlanNeedsForce() {
        BandwidthPlan plan = subscription(new PlanDuration(PlanDuration.Unit.YEAR, 1), false);
        UUID network = UUID.randomUUID();
        plan.associate(network, NOW);

        assertThat(code(() -> plan.dissociateForEnd(false, NOW))).isEqualTo("PLAN_ASSOCIATED");
        assertThatThrownBy(() -> plan.end(PlanStatus.UNSUBSCRIBED, NOW)).isInstanceOf(IllegalStateException.class);
        assertThat(plan.dissociateForEnd(true, NOW)).isEqualTo(network);
        plan.end(PlanStatus.UNSUBSCRIBED, NOW);

        assertThat(plan.status()).isEqualTo(PlanStatus.UNSUBSCRIBED);
        assertThat(plan.endedAt()).isEqualTo(NOW);
        assertThat(code(() -> plan.changePeak(20, List.of(), CNY, NOW))).isEqualTo("PLAN_ENDED");
        assertThat(code(() -> plan.associate(network, NOW))).isEqualTo("PLAN_ENDED");
    }

    @Test
    void aSubscriptionPastItsExpiryIsExpiredBeforeTheJobMarksIt() {
        BandwidthPlan plan = subscription(new PlanDuration(PlanDuration.Unit.WEEK, 1), false);
        Instant lapsed = plan.expiresAt();

        assertThat(code(() -> plan.changePeak(20, List.of(), CNY, lapsed))).isEqualTo("PLAN_EXPIRED");
        assertThat(code(() -> plan.associate(UUID.randomUUID(), lapsed))).isEqualTo("PLAN_EXPIRED");
        assertThat(code(() -> plan.dissociateForEnd(true, lapsed))).isEqualTo("PLAN_EXPIRED");
        assertThat(plan.changePeak(20, List.of(), CNY, lapsed.minusSeconds(1)).previousMbps()).isEqualTo(10);
    }

    @Test
    void paymentTypesGuardTheirOperations() {
        assertThat(code(() -> payAsYouGo(ChargeType.PAY_BY_TRAFFIC, 10).requireSubscription()))
            .isEqualTo("NOT_A_SUBSCRIPTION");
        assertThat(code(() -> subscription(new PlanDuration(PlanDuration.Unit.MONTH, 2), false).requirePayAsYouGo()))
            .isEqualTo("NOT_PAY_AS_YOU_GO");
    }

    @Test
    void offersTheListedDurationsOnly() {
        assertThat(new PlanDuration(PlanDuration.Unit.MONTH, 6).isOffered()).isTrue();
        assertThat(new PlanDuration(PlanDuration.Unit.MONTH, 4).isOffered()).isFalse();
        assertThat(new PlanDuration(PlanDuration.Unit.WEEK, 2).isOffered()).isFalse();
        assertThat(new PlanDuration(PlanDuration.Unit.YEAR, 3).isOffered()).isTrue();
    }

    @Test
    void aTermCostsItsPricePerMbpsTimesCountTimesPeak() {
        assertThat(subscription(new PlanDuration(PlanDuration.Unit.WEEK, 1), false, 10).termPrice(PRICES, CNY))
            .isEqualTo(cny("80.00"));
        assertThat(subscription(new PlanDuration(PlanDuration.Unit.MONTH, 3), false, 10).termPrice(PRICES, CNY))
            .isEqualTo(cny("750.00"));
        assertThat(subscription(new PlanDuration(PlanDuration.Unit.MONTH, 6), true, 2).termPrice(PRICES, CNY))
            .isEqualTo(cny("300.00"));
        assertThat(subscription(new PlanDuration(PlanDuration.Unit.YEAR, 2), true, 1000).termPrice(PRICES, CNY))
            .isEqualTo(cny("500000.00"));
    }

    @Test
    void theFirstTermRunsFromPurchaseToExpiryAtTheListPricePerMbps() {
        BandwidthPlan plan = subscription(new PlanDuration(PlanDuration.Unit.YEAR, 1), false, 20);

        Proration.PaidTerm first = plan.firstTerm(PRICES, CNY);

        assertThat(first.term())
            .isEqualTo(new Proration.Term(NOW, Instant.parse("2027-01-31T02:00:00Z"), new BigDecimal("250.00")));
        assertThat(first.price()).isEqualTo(cny("5000.00"));
    }

    @Test
    void aRenewalCostsTheRenewedDurationAtTheCurrentPeak() {
        BandwidthPlan plan = subscription(ONE_MONTH, false, 10);
        plan.changePeak(30, List.of(), CNY, NOW);

        Proration.PaidTerm term = plan.renew(new PlanDuration(PlanDuration.Unit.WEEK, 1), PRICES, CNY, NOW, ZONE);

        assertThat(term.price()).isEqualTo(cny("240.00"));
        assertThat(term.term().pricePerMbps()).isEqualByComparingTo("8.00");
        assertThat(plan.duration()).isEqualTo(ONE_MONTH);
        assertThat(plan.events().drain()).extracting(event -> event.type())
            .containsExactly(EventType.BANDWIDTH_PLAN_PURCHASED, EventType.BANDWIDTH_PLAN_CHANGED,
                    EventType.BANDWIDTH_PLAN_RENEWED);
    }

    @Test
    void autoRenewalRepeatsTheOwnDurationFromTheExpiry() {
        BandwidthPlan plan = subscription(ONE_MONTH, true, 10);

        Proration.Term term = plan.autoRenew(PRICES, ZONE);

        assertThat(term).isEqualTo(new Proration.Term(Instant.parse("2026-02-28T02:00:00Z"),
                Instant.parse("2026-03-28T02:00:00Z"), new BigDecimal("25.00")));
        assertThat(plan.expiresAt()).isEqualTo(term.endsAt());
        assertThat(plan.termPrice(PRICES, CNY)).isEqualTo(cny("250.00"));
    }

    @Test
    void aHigherPeakPaysTheDifferenceOverTheTimeLeftRoundedHalfEven() {
        BandwidthPlan plan = subscription(ONE_MONTH, false, 10);
        List<Proration.Term> terms = List.of(plan.firstTerm(PRICES, CNY).term());
        // 28 days paid, 7 left: 25.00 × 5 Mbps × 7/28 = 31.25
        Instant now = NOW.plus(Duration.ofDays(21));

        Proration.PeakChange change = plan.changePeak(15, terms, CNY, now);

        assertThat(change).isEqualTo(new Proration.PeakChange(10, cny("31.25"), cny("0.00")));
        assertThat(plan.peakMbps()).isEqualTo(15);
    }

    @Test
    void aLowerPeakGetsTheDifferenceBackRoundedDown() {
        BandwidthPlan plan = subscription(ONE_MONTH, false, 10);
        List<Proration.Term> terms = List.of(plan.firstTerm(PRICES, CNY).term());
        // a third of the 28 days left: 25.00 × 1 Mbps × 1/3 = 8.333… → 8.33 back
        Instant now = NOW.plus(Duration.ofDays(28).multipliedBy(2).dividedBy(3));

        assertThat(plan.changePeak(9, terms, CNY, now))
            .isEqualTo(new Proration.PeakChange(10, cny("0.00"), cny("8.33")));
    }

    @Test
    void anUnchangedPeakOrAPayAsYouGoPlanMovesNoMoneyOnAPeakChange() {
        BandwidthPlan subscription = subscription(ONE_MONTH, false, 10);
        List<Proration.Term> terms = List.of(subscription.firstTerm(PRICES, CNY).term());
        BandwidthPlan payg = payAsYouGo(ChargeType.PAY_BY_BANDWIDTH, 10);

        assertThat(subscription.changePeak(10, terms, CNY, NOW))
            .isEqualTo(new Proration.PeakChange(10, cny("0.00"), cny("0.00")));
        assertThat(payg.changePeak(500, terms, CNY, NOW))
            .isEqualTo(new Proration.PeakChange(10, cny("0.00"), cny("0.00")));
        assertThat(subscription.events().drain()).extracting(event -> event.type())
            .containsExactly(EventType.BANDWIDTH_PLAN_PURCHASED);
    }

    @Test
    void unsubscribingRefundsTheUnusedShareOfEveryPaidTermRoundedDown() {
        BandwidthPlan plan = subscription(ONE_MONTH, false, 10);
        Proration.Term first = plan.firstTerm(PRICES, CNY).term();
        Proration.Term renewed = plan.renew(new PlanDuration(PlanDuration.Unit.WEEK, 1), PRICES, CNY, NOW, ZONE).term();
        // half the first term left (125.00) and the whole renewed week (80.00)
        Instant now = NOW.plus(Duration.ofDays(14));

        Money refund = plan.unsubscribe(List.of(first, renewed), CNY, now);

        assertThat(refund).isEqualTo(cny("205.00"));
        assertThat(plan.status()).isEqualTo(PlanStatus.UNSUBSCRIBED);
        assertThat(plan.endedAt()).isEqualTo(now);
        assertThat(code(() -> payAsYouGo(ChargeType.PAY_BY_TRAFFIC, 10).unsubscribe(List.of(), CNY, NOW)))
            .isEqualTo("NOT_A_SUBSCRIPTION");
    }

    @Test
    void theListPriceIsATermAnHourOrAGb() {
        assertThat(PRICES.listPrice(subscription(ONE_MONTH, false, 10), CNY))
            .isEqualTo(new BandwidthPrices.ListPrice(cny("250.00"), "TERM"));
        assertThat(PRICES.listPrice(payAsYouGo(ChargeType.PAY_BY_BANDWIDTH, 20), CNY))
            .isEqualTo(new BandwidthPrices.ListPrice(cny("1.00"), "HOUR"));
        assertThat(PRICES.listPrice(payAsYouGo(ChargeType.PAY_BY_TRAFFIC, 20), CNY))
            .isEqualTo(new BandwidthPrices.ListPrice(cny("0.80"), "GB"));
        // what an hour or a GB is billed at
        assertThat(PRICES.unitPrice(ChargeType.PAY_BY_BANDWIDTH)).isEqualByComparingTo("0.05");
        assertThat(PRICES.unitPrice(ChargeType.PAY_BY_TRAFFIC)).isEqualByComparingTo("0.80");
    }

    @Test
    void aPayAsYouGoPlanIsBilledFromItsPurchaseAndNeverExpires() {
        BandwidthPlan plan = payAsYouGo(ChargeType.PAY_BY_TRAFFIC, 10);

        assertThat(plan.billedUntil()).isEqualTo(NOW);
        assertThat(plan.expiresAt()).isNull();
        plan.billedUntil(NOW.plusSeconds(3600));
        assertThat(plan.billedUntil()).isEqualTo(NOW.plusSeconds(3600));
        assertThatThrownBy(() -> plan.billedUntil(NOW)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEndedPlanCannotEndAgainAndRegistersHowItEnded() {
        BandwidthPlan plan = payAsYouGo(ChargeType.PAY_BY_BANDWIDTH, 10);

        plan.end(PlanStatus.DELETED, NOW);

        assertThat(plan.events().drain()).extracting(event -> event.type())
            .containsExactly(EventType.BANDWIDTH_PLAN_PURCHASED, EventType.BANDWIDTH_PLAN_DELETED);
        assertThatThrownBy(() -> plan.end(PlanStatus.EXPIRED, NOW)).isInstanceOf(IllegalStateException.class);
        assertThat(code(() -> plan.dissociateForEnd(true, NOW))).isEqualTo("PLAN_ENDED");
    }

    @Test
    void theRenewalIsAtRiskWithoutAutoRenewalOrWithAShortBalance() {
        BandwidthPlan manual = subscription(ONE_MONTH, false, 10);
        BandwidthPlan automatic = subscription(ONE_MONTH, true, 10);

        assertThat(manual.renewalAtRisk(cny("250.00"), cny("1000.00"))).isTrue();
        assertThat(automatic.renewalAtRisk(cny("250.00"), cny("250.00"))).isFalse();
        assertThat(automatic.renewalAtRisk(cny("250.00"), cny("249.99"))).isTrue();
    }

}
