package io.planbilling.bandwidthplan;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a purchase asks for; the fields that belong to one payment type only are nullable
 * so that a field sent for the other type can be named in the refusal.
 */
record PurchaseCommand(String region, PaymentType paymentType, @Nullable PlanDuration duration,
        @Nullable Boolean autoRenew, @Nullable ChargeType chargeType, int peakBandwidthMbps,
        @Nullable UUID officeNetworkId) {
}
