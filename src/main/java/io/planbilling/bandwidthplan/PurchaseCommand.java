package io.planbilling.bandwidthplan;

import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.ProblemException;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a purchase asks for, valid by construction: the constructor checks every rule that
 * needs nothing but the request, in the order docs/bandwidth-plans.md gives (a field of
 * the other payment type, the fields the type requires, an offered duration, no
 * auto-renewal for one week, the peak range), and throws the problem the API answers. The
 * region is already a configured one ({@link BandwidthSettings#region}). Nothing checks
 * these rules again: {@link BandwidthPlan#purchase} takes the command as it is.
 *
 * @param duration subscription only
 * @param autoRenew subscription only; nullable so that a value sent for pay-as-you-go can
 * be named in the refusal
 * @param chargeType pay-as-you-go only
 * @param officeNetworkId the network to associate at purchase, or null
 */
record PurchaseCommand(BandwidthRegion region, PaymentType paymentType, @Nullable PlanDuration duration,
        @Nullable Boolean autoRenew, @Nullable ChargeType chargeType, int peakBandwidthMbps,
        @Nullable UUID officeNetworkId) {

    PurchaseCommand {
        if (paymentType == PaymentType.SUBSCRIPTION) {
            if (chargeType != null) {
                throw notAllowed("chargeType", paymentType);
            }
            if (duration == null) {
                throw ProblemException.invalid("duration", "is required for SUBSCRIPTION");
            }
            duration.requireOffered();
            if (Boolean.TRUE.equals(autoRenew) && duration.isOneWeek()) {
                throw autoRenewNotAllowed();
            }
        }
        else {
            if (duration != null) {
                throw notAllowed("duration", paymentType);
            }
            if (autoRenew != null) {
                throw notAllowed("autoRenew", paymentType);
            }
            if (chargeType == null) {
                throw ProblemException.invalid("chargeType", "is required for PAY_AS_YOU_GO");
            }
        }
        PeakLimits.of(paymentType, chargeType).require(peakBandwidthMbps);
    }

    boolean autoRenewEnabled() {
        return Boolean.TRUE.equals(autoRenew);
    }

    static ProblemException autoRenewNotAllowed() {
        return ProblemException.of(ErrorCode.AUTO_RENEW_NOT_ALLOWED, "autoRenew",
                "must not be true with a one-week duration", "Auto-renewal is not offered for one-week subscriptions.");
    }

    private static ProblemException notAllowed(String field, PaymentType paymentType) {
        return ProblemException.of(ErrorCode.PARAMETER_NOT_ALLOWED, field, "does not apply to " + paymentType,
                "The field " + field + " does not apply to " + paymentType + " plans; leave it out.");
    }

}
