package io.planbilling.bandwidthplan;

import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.Money;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A plan as the API shows it: what the endpoints answer and what the
 * {@code bandwidth_plan.*} events carry as their data (docs/events.md), built in one
 * place so the two cannot differ.
 */
@Component
class BandwidthPlanViews {

    private final BandwidthPrices prices;

    private final BillingSettings settings;

    private final JdbcClient jdbc;

    BandwidthPlanViews(BandwidthPrices prices, BillingSettings settings, JdbcClient jdbc) {
        this.prices = prices;
        this.settings = settings;
        this.jdbc = jdbc;
    }

    /** The view of a plan whose network's name is known (or that has none). */
    BandwidthPlanView view(BandwidthPlan plan, @Nullable String networkName) {
        Money price;
        String unit;
        if (plan.isSubscription()) {
            price = Money.of(prices.perMbps(Objects.requireNonNull(plan.duration())), settings.currency())
                .times(plan.peakMbps());
            unit = "TERM";
        }
        else if (plan.chargeType() == ChargeType.PAY_BY_BANDWIDTH) {
            price = Money.of(prices.payByBandwidthPerMbpsHour(), settings.currency()).times(plan.peakMbps());
            unit = "HOUR";
        }
        else {
            price = Money.of(prices.payByTrafficPerGb(), settings.currency());
            unit = "GB";
        }
        UUID network = plan.officeNetworkId();
        return new BandwidthPlanView(plan.id(), plan.region(), plan.paymentType(), plan.chargeType(), plan.duration(),
                plan.autoRenewEnabled(), plan.peakMbps(), plan.status(),
                network == null ? null
                        : new BandwidthPlanView.NetworkRef(network, Objects.requireNonNullElse(networkName, "")),
                plan.status().isLive() ? plan.ipAddress() : null, price, unit, plan.createdAt(), plan.expiresAt(),
                plan.endedAt());
    }

    /** The view of a plan as it is in memory, reading its network's name. */
    BandwidthPlanView view(BandwidthPlan plan) {
        UUID network = plan.officeNetworkId();
        String name = network == null ? null
                : jdbc.sql("SELECT name FROM office_networks WHERE id = :id")
                    .param("id", network)
                    .query(String.class)
                    .optional()
                    .orElse(null);
        return view(plan, name);
    }

}
