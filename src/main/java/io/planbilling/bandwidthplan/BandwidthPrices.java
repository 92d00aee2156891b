package io.planbilling.bandwidthplan;

import io.planbilling.shared.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bandwidth prices in the deployment currency ({@code billing.prices.bandwidth.*}, the
 * list prices by default; docs/bandwidth-plans.md), and what they make of a plan's peak:
 * the one place where a per-Mbps price is multiplied by Mbps. Amounts become
 * {@link Money} here; what is prorated is rounded by {@link Proration}, through
 * {@link Money}.
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

    /**
     * What a plan costs now, as the API shows it.
     *
     * @param unit {@code TERM}, {@code HOUR} or {@code GB}
     */
    record ListPrice(Money amount, String unit) {
    }

    /** The list price of {@code duration} for 1 Mbps. */
    public BigDecimal perMbps(PlanDuration duration) {
        BigDecimal unit = switch (duration.unit()) {
            case WEEK -> subscriptionPerMbpsWeek;
            case MONTH -> subscriptionPerMbpsMonth;
            case YEAR -> subscriptionPerMbpsYear;
        };
        return unit.multiply(BigDecimal.valueOf(duration.count()));
    }

    /** One term of {@code duration} at {@code mbps}: its price per Mbps × Mbps. */
    Money termPrice(PlanDuration duration, int mbps, Currency currency) {
        return Money.of(perMbps(duration), currency).times(mbps);
    }

    /**
     * The paid term of {@code duration} from {@code start} to {@code end}, priced per
     * Mbps as the list stands now (what later prorations of it are worth).
     */
    Proration.Term term(Instant start, Instant end, PlanDuration duration) {
        return new Proration.Term(start, end, perMbps(duration));
    }

    /**
     * What a pay-as-you-go plan's unit costs: an hour of 1 Mbps peak (pay-by-bandwidth)
     * or a GB of inbound traffic (pay-by-traffic).
     */
    BigDecimal unitPrice(ChargeType chargeType) {
        return switch (chargeType) {
            case PAY_BY_BANDWIDTH -> payByBandwidthPerMbpsHour;
            case PAY_BY_TRAFFIC -> payByTrafficPerGb;
        };
    }

    /**
     * What {@code plan} costs now: a subscription's term of its own duration at the
     * current peak, a pay-by-bandwidth hour at the current peak, a pay-by-traffic GB.
     */
    ListPrice listPrice(BandwidthPlan plan, Currency currency) {
        if (plan.isSubscription()) {
            return new ListPrice(plan.termPrice(this, currency), "TERM");
        }
        if (plan.chargeType() == ChargeType.PAY_BY_BANDWIDTH) {
            return new ListPrice(Money.of(payByBandwidthPerMbpsHour, currency).times(plan.peakMbps()), "HOUR");
        }
        return new ListPrice(Money.of(payByTrafficPerGb, currency), "GB");
    }

    /** The list as the catalog shows it, in {@code currency}. */
    BandwidthCatalog.Prices inCurrency(Currency currency) {
        return new BandwidthCatalog.Prices(Money.of(subscriptionPerMbpsWeek, currency),
                Money.of(subscriptionPerMbpsMonth, currency), Money.of(subscriptionPerMbpsYear, currency),
                Money.of(payByBandwidthPerMbpsHour, currency), Money.of(payByTrafficPerGb, currency));
    }

}
