package io.planbilling.bandwidthplan;

import io.planbilling.shared.BillingSettings;
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
        BandwidthPrices.ListPrice price = prices.listPrice(plan, settings.currency());
        UUID network = plan.officeNetworkId();
        return new BandwidthPlanView(plan.id(), plan.region().name(), plan.paymentType(), plan.chargeType(),
                plan.duration(), plan.autoRenewEnabled(), plan.peakMbps(), plan.status(),
                network == null ? null
                        : new BandwidthPlanView.NetworkRef(network, Objects.requireNonNullElse(networkName, "")),
                plan.status().isLive() ? plan.ipAddress() : null, price.amount(), price.unit(), plan.createdAt(),
                plan.expiresAt(), plan.endedAt());
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
