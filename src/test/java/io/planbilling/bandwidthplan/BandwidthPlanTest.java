package io.planbilling.bandwidthplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planbilling.shared.ProblemException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BandwidthPlanTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private static final Instant NOW = Instant.parse("2026-01-31T02:00:00Z"); // 10:00 in
                                                                              // Shanghai

    private static BandwidthPlan subscription(PlanDuration duration, boolean autoRenew) {
        return BandwidthPlan.subscribe(UUID.randomUUID(), UUID.randomUUID(), "cn-shanghai", duration, autoRenew, 10,
                "198.51.100.1", NOW, ZONE);
    }

    private static BandwidthPlan payAsYouGo(ChargeType chargeType, int peak) {
        return BandwidthPlan.payAsYouGo(UUID.randomUUID(), UUID.randomUUID(), "cn-shanghai", chargeType, peak,
                "198.51.100.2", NOW);
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
        assertThat(code(() -> traffic.changePeak(300, NOW))).isEqualTo("VALIDATION_FAILED");
        assertThat(payAsYouGo(ChargeType.PAY_BY_BANDWIDTH, 1000).changePeak(2, NOW)).isEqualTo(1000);
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

        Instant start = plan.renew(new PlanDuration(PlanDuration.Unit.MONTH, 1), NOW, ZONE);

        assertThat(start).isEqualTo(Instant.parse("2026-02-28T02:00:00Z"));
        assertThat(plan.expiresAt()).isEqualTo(Instant.parse("2026-03-28T02:00:00Z"));
        assertThat(code(() -> plan.renew(new PlanDuration(PlanDuration.Unit.WEEK, 1),
                Instant.parse("2026-03-28T02:00:00Z"), ZONE)))
            .isEqualTo("PLAN_EXPIRED");
        assertThat(code(() -> payAsYouGo(ChargeType.PAY_BY_TRAFFIC, 10)
            .renew(new PlanDuration(PlanDuration.Unit.WEEK, 1), NOW, ZONE))).isEqualTo("NOT_A_SUBSCRIPTION");
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
        assertThat(code(() -> plan.changePeak(20, NOW))).isEqualTo("PLAN_ENDED");
        assertThat(code(() -> plan.associate(network, NOW))).isEqualTo("PLAN_ENDED");
    }

    @Test
    void aSubscriptionPastItsExpiryIsExpiredBeforeTheJobMarksIt() {
        BandwidthPlan plan = subscription(new PlanDuration(PlanDuration.Unit.WEEK, 1), false);
        Instant lapsed = plan.expiresAt();

        assertThat(code(() -> plan.changePeak(20, lapsed))).isEqualTo("PLAN_EXPIRED");
        assertThat(code(() -> plan.associate(UUID.randomUUID(), lapsed))).isEqualTo("PLAN_EXPIRED");
        assertThat(code(() -> plan.dissociateForEnd(true, lapsed))).isEqualTo("PLAN_EXPIRED");
        assertThat(plan.changePeak(20, lapsed.minusSeconds(1))).isEqualTo(10);
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

}
