package io.planbilling.bandwidthplan;

import java.math.BigDecimal;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bandwidth prices in the deployment currency ({@code billing.prices.bandwidth.*}, the
 * list prices by default; docs/bandwidth-plans.md).
 *
 * @param subscriptionPerMbpsWeek one week of 1 Mbps
 * @param subscriptionPerMbpsMonth one month of 1 Mbps; N months cost N times this
 * @param subscriptionPerMbpsYear one year of 1 Mbps; N years cost N times this
 * @param payByBandwidthPerMbpsHour one hour of 1 Mbps peak
 * @param payByTrafficPerGb one GB (1024³ bytes) of inbound traffic
 */
@ConfigurationProperties("billing.prices.bandwidth")
record BandwidthPrices(@DefaultValue("8.00") BigDecimal subscriptionPerMbpsWeek,
        @DefaultValue("25.00") BigDecimal subscriptionPerMbpsMonth,
        @DefaultValue("250.00") BigDecimal subscriptionPerMbpsYear,
        @DefaultValue("0.05") BigDecimal payByBandwidthPerMbpsHour,
        @DefaultValue("0.80") BigDecimal payByTrafficPerGb) {

    /** The list price of {@code duration} for 1 Mbps. */
    public BigDecimal perMbps(PlanDuration duration) {
        BigDecimal unit = switch (duration.unit()) {
            case WEEK -> subscriptionPerMbpsWeek;
            case MONTH -> subscriptionPerMbpsMonth;
            case YEAR -> subscriptionPerMbpsYear;
        };
        return unit.multiply(BigDecimal.valueOf(duration.count()));
    }
}
