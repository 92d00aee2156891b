package io.planbilling.bandwidthplan;

import io.planbilling.shared.Money;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A bandwidth plan as the API shows it (docs/bandwidth-plans.md).
 *
 * @param chargeType pay-as-you-go only
 * @param duration subscription only: the purchased duration, which auto-renewal repeats
 * @param ipAddress the exclusive public address while the plan is live; null once it has
 * ended and released it
 * @param price subscription: one term of its duration at the current peak;
 * pay-by-bandwidth: one hour at the current peak; pay-by-traffic: one GB of inbound
 * traffic
 * @param priceUnit {@code TERM}, {@code HOUR} or {@code GB}: what {@code price} is for
 * @param expiresAt subscription only
 * @param endedAt when the plan expired, was unsubscribed or deleted
 */
public record BandwidthPlanView(UUID id, @Schema(example = "cn-shanghai") String region, PaymentType paymentType,
        @Nullable ChargeType chargeType, @Nullable PlanDuration duration, boolean autoRenew,
        @Schema(example = "20") int peakBandwidthMbps, PlanStatus status, @Nullable NetworkRef officeNetwork,
        @Schema(example = "198.51.100.7") @Nullable String ipAddress, Money price,
        @Schema(example = "TERM") String priceUnit, Instant createdAt, @Nullable Instant expiresAt,
        @Nullable Instant endedAt) {

    /** The associated office network. */
    public record NetworkRef(UUID id, String name) {
    }
}
