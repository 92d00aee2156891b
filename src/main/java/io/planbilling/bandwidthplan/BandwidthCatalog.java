package io.planbilling.bandwidthplan;

import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.Money;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What can be bought and what it costs now.
 *
 * @param regions where plans and networks can be
 * @param durations subscription durations on offer, per unit, and whether auto-renewal is
 * offered
 * @param peakRanges allowed peaks per payment and charge type
 * @param prices the prices in force
 * @param basicBandwidthMbps the free basic peak of every office network
 */
record BandwidthCatalog(List<String> regions, List<DurationOffer> durations, List<PeakRange> peakRanges, Prices prices,
        @Schema(example = "5") int basicBandwidthMbps) {

    public record DurationOffer(PlanDuration.Unit unit, List<Integer> counts, boolean autoRenewAllowed) {
    }

    /** {@code chargeType} is null for subscriptions. */
    public record PeakRange(PaymentType paymentType, @Nullable ChargeType chargeType, int minMbps, int maxMbps) {

        static PeakRange of(PaymentType paymentType, @Nullable ChargeType chargeType) {
            PeakLimits limits = PeakLimits.of(paymentType, chargeType);
            return new PeakRange(paymentType, chargeType, limits.minMbps(), limits.maxMbps());
        }

    }

    /**
     * @param subscriptionPerMbpsWeek one week of 1 Mbps
     * @param subscriptionPerMbpsMonth one month of 1 Mbps (N months: N ×)
     * @param subscriptionPerMbpsYear one year of 1 Mbps (N years: N ×)
     * @param payByBandwidthPerMbpsHour one hour of 1 Mbps peak
     * @param payByTrafficPerGb one GB (1024³ bytes) of inbound traffic; outbound is free
     */
    public record Prices(Money subscriptionPerMbpsWeek, Money subscriptionPerMbpsMonth, Money subscriptionPerMbpsYear,
            Money payByBandwidthPerMbpsHour, Money payByTrafficPerGb) {
    }

    static BandwidthCatalog of(BandwidthSettings bandwidth, BandwidthPrices prices, BillingSettings settings) {
        List<DurationOffer> durations = Arrays.stream(PlanDuration.Unit.values())
            .map(unit -> new DurationOffer(unit, PlanDuration.offeredCounts(unit), unit != PlanDuration.Unit.WEEK))
            .toList();
        List<PeakRange> ranges = List.of(PeakRange.of(PaymentType.SUBSCRIPTION, null),
                PeakRange.of(PaymentType.PAY_AS_YOU_GO, ChargeType.PAY_BY_BANDWIDTH),
                PeakRange.of(PaymentType.PAY_AS_YOU_GO, ChargeType.PAY_BY_TRAFFIC));
        return new BandwidthCatalog(List.copyOf(bandwidth.regions()), durations, ranges,
                prices.inCurrency(settings.currency()), BandwidthSettings.BASIC_PEAK_MBPS);
    }
}
