package io.planbilling.bandwidthplan;

import io.planbilling.shared.ProblemException;
import org.jspecify.annotations.Nullable;

/**
 * The peaks a plan may have (docs/bandwidth-plans.md): from 2 Mbps up to 1000 Mbps for
 * subscriptions and pay-by-bandwidth, 200 Mbps for pay-by-traffic. The one place this
 * rule lives: a purchase, a peak change and the catalog all read it here.
 *
 * @param chargeType the pay-as-you-go charge type the maximum is for, null for a
 * subscription
 */
record PeakLimits(int minMbps, int maxMbps, @Nullable ChargeType chargeType) {

    static final int MIN_MBPS = 2;

    static final int SUBSCRIPTION_MAX_MBPS = 1000;

    /** The limits of a plan paid by {@code paymentType} (and {@code chargeType}). */
    static PeakLimits of(PaymentType paymentType, @Nullable ChargeType chargeType) {
        if (paymentType == PaymentType.PAY_AS_YOU_GO && chargeType != null) {
            return new PeakLimits(MIN_MBPS, chargeType.maxPeakMbps(), chargeType);
        }
        return new PeakLimits(MIN_MBPS, SUBSCRIPTION_MAX_MBPS, null);
    }

    /**
     * 400 {@code VALIDATION_FAILED} on {@code peakBandwidthMbps}, naming the range, when
     * {@code mbps} lies outside it.
     */
    void require(int mbps) {
        if (mbps < minMbps || mbps > maxMbps) {
            throw ProblemException.invalid("peakBandwidthMbps", "must be between " + minMbps + " and " + maxMbps
                    + (chargeType == null ? "" : " for " + chargeType));
        }
    }

}
