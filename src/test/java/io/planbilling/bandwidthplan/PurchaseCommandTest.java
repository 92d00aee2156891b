package io.planbilling.bandwidthplan;

import static io.planbilling.testing.ProblemAssert.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planbilling.shared.ProblemException;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The purchase rules that need nothing but the request, in the order
 * docs/bandwidth-plans.md gives, and the peak ranges they share with peak changes.
 */
class PurchaseCommandTest {

    private static final BandwidthRegion SHANGHAI = new BandwidthRegion("cn-shanghai");

    private static final PlanDuration ONE_MONTH = new PlanDuration(PlanDuration.Unit.MONTH, 1);

    private static final PlanDuration ONE_WEEK = new PlanDuration(PlanDuration.Unit.WEEK, 1);

    private static PurchaseCommand subscription(@Nullable PlanDuration duration, @Nullable Boolean autoRenew,
            @Nullable ChargeType chargeType, int peak) {
        return new PurchaseCommand(SHANGHAI, PaymentType.SUBSCRIPTION, duration, autoRenew, chargeType, peak, null);
    }

    private static PurchaseCommand payAsYouGo(@Nullable PlanDuration duration, @Nullable Boolean autoRenew,
            @Nullable ChargeType chargeType, int peak) {
        return new PurchaseCommand(SHANGHAI, PaymentType.PAY_AS_YOU_GO, duration, autoRenew, chargeType, peak,
                UUID.randomUUID());
    }

    @Test
    void aValidSubscriptionOrPayAsYouGoCommandIsAccepted() {
        assertThat(subscription(ONE_MONTH, null, null, 2).autoRenewEnabled()).isFalse();
        assertThat(subscription(ONE_MONTH, true, null, 1000).autoRenewEnabled()).isTrue();
        assertThat(subscription(ONE_WEEK, false, null, 10).duration()).isEqualTo(ONE_WEEK);
        assertThat(payAsYouGo(null, null, ChargeType.PAY_BY_TRAFFIC, 200).autoRenewEnabled()).isFalse();
        assertThat(payAsYouGo(null, null, ChargeType.PAY_BY_BANDWIDTH, 1000).chargeType())
            .isEqualTo(ChargeType.PAY_BY_BANDWIDTH);
    }

    @Test
    void aFieldOfTheOtherPaymentTypeIsNamed() {
        assertThat(refusal(() -> subscription(ONE_MONTH, null, ChargeType.PAY_BY_TRAFFIC, 10)))
            .isEqualTo("PARAMETER_NOT_ALLOWED chargeType: does not apply to SUBSCRIPTION");
        assertThat(refusal(() -> payAsYouGo(ONE_MONTH, null, ChargeType.PAY_BY_TRAFFIC, 10)))
            .isEqualTo("PARAMETER_NOT_ALLOWED duration: does not apply to PAY_AS_YOU_GO");
        assertThat(refusal(() -> payAsYouGo(null, false, ChargeType.PAY_BY_TRAFFIC, 10)))
            .isEqualTo("PARAMETER_NOT_ALLOWED autoRenew: does not apply to PAY_AS_YOU_GO");
    }

    @Test
    void theFieldsAPaymentTypeNeedsAreRequired() {
        assertThat(refusal(() -> subscription(null, null, null, 10)))
            .isEqualTo("VALIDATION_FAILED duration: is required for SUBSCRIPTION");
        assertThat(refusal(() -> payAsYouGo(null, null, null, 10)))
            .isEqualTo("VALIDATION_FAILED chargeType: is required for PAY_AS_YOU_GO");
    }

    @Test
    void aDurationMustBeOnOfferAndTheMessageListsWhatIs() {
        assertThat(refusal(() -> subscription(new PlanDuration(PlanDuration.Unit.MONTH, 4), null, null, 10)))
            .isEqualTo("VALIDATION_FAILED duration.count: must be one of 1, 2, 3, 6 for MONTH");
        assertThat(refusal(() -> subscription(new PlanDuration(PlanDuration.Unit.WEEK, 2), null, null, 10)))
            .isEqualTo("VALIDATION_FAILED duration.count: must be one of 1 for WEEK");
        assertThat(refusal(() -> new PlanDuration(PlanDuration.Unit.YEAR, 5).requireOffered()))
            .isEqualTo("VALIDATION_FAILED duration.count: must be one of 1, 2, 3 for YEAR");
        assertThat(new PlanDuration(PlanDuration.Unit.YEAR, 3).requireOffered().count()).isEqualTo(3);
    }

    @Test
    void oneWeekSubscriptionsDoNotAutoRenew() {
        assertThat(refusal(() -> subscription(ONE_WEEK, true, null, 10)))
            .isEqualTo("AUTO_RENEW_NOT_ALLOWED autoRenew: must not be true with a one-week duration");
    }

    @Test
    void peaksStayInTheRangeOfTheirTypeAndTheMessageNamesIt() {
        assertThat(refusal(() -> subscription(ONE_MONTH, null, null, 1)))
            .isEqualTo("VALIDATION_FAILED peakBandwidthMbps: must be between 2 and 1000");
        assertThat(refusal(() -> subscription(ONE_MONTH, null, null, 1001)))
            .isEqualTo("VALIDATION_FAILED peakBandwidthMbps: must be between 2 and 1000");
        assertThat(refusal(() -> payAsYouGo(null, null, ChargeType.PAY_BY_BANDWIDTH, 1001)))
            .isEqualTo("VALIDATION_FAILED peakBandwidthMbps: must be between 2 and 1000 for PAY_BY_BANDWIDTH");
        assertThat(refusal(() -> payAsYouGo(null, null, ChargeType.PAY_BY_TRAFFIC, 201)))
            .isEqualTo("VALIDATION_FAILED peakBandwidthMbps: must be between 2 and 200 for PAY_BY_TRAFFIC");
    }

    @Test
    void rulesAreCheckedInTheDocumentedOrder() {
        // a foreign field before a missing one, a missing duration before the peak, an
        // unoffered duration before one-week auto-renewal
        assertThat(refusal(() -> subscription(null, null, ChargeType.PAY_BY_TRAFFIC, 1)))
            .startsWith("PARAMETER_NOT_ALLOWED chargeType");
        assertThat(refusal(() -> subscription(null, null, null, 1))).startsWith("VALIDATION_FAILED duration:");
        assertThat(refusal(() -> subscription(new PlanDuration(PlanDuration.Unit.WEEK, 2), true, null, 1)))
            .startsWith("VALIDATION_FAILED duration.count");
        assertThat(refusal(() -> subscription(ONE_WEEK, true, null, 1))).startsWith("AUTO_RENEW_NOT_ALLOWED");
        assertThat(refusal(() -> payAsYouGo(ONE_MONTH, true, null, 1))).startsWith("PARAMETER_NOT_ALLOWED duration");
    }

    @Test
    void theCatalogShowsTheSameRanges() {
        assertThat(BandwidthCatalog.PeakRange.of(PaymentType.SUBSCRIPTION, null))
            .isEqualTo(new BandwidthCatalog.PeakRange(PaymentType.SUBSCRIPTION, null, 2, 1000));
        assertThat(BandwidthCatalog.PeakRange.of(PaymentType.PAY_AS_YOU_GO, ChargeType.PAY_BY_TRAFFIC))
            .isEqualTo(new BandwidthCatalog.PeakRange(PaymentType.PAY_AS_YOU_GO, ChargeType.PAY_BY_TRAFFIC, 2, 200));
        assertThatThrownBy(() -> PeakLimits.of(PaymentType.PAY_AS_YOU_GO, ChargeType.PAY_BY_TRAFFIC).require(201))
            .isInstanceOf(ProblemException.class);
    }

}
