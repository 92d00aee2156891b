package io.planbilling.trafficpackage;

import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.Money;
import java.math.BigDecimal;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Traffic package prices ({@code billing.prices.traffic.<region>.*},
 * docs/traffic-packages.md), in the deployment currency. Every price has the provider's
 * list price as its default, so the service runs with nothing configured; for example
 * {@code billing.prices.traffic.guangzhou.device-1-flow-20g=30.00} or
 * {@code billing.prices.traffic.silicon-valley.payg-per-gb=1.60}.
 */
@ConfigurationProperties("billing.prices.traffic")
record TrafficPrices(@DefaultValue Guangzhou guangzhou, @DefaultValue SiliconValley siliconValley) {

    /**
     * Prices of one region; the defaults differ per region, hence one record per region.
     */
    public interface RegionPrices {

        BigDecimal device1Flow20g();

        BigDecimal device2Flow50g();

        BigDecimal device3Flow100g();

        BigDecimal device5Flow500g();

        /** Pay-as-you-go device traffic, per GB (1024³ bytes). */
        BigDecimal paygPerGb();

    }

    public record Guangzhou(@DefaultValue("30.00") BigDecimal device1Flow20g,
            @DefaultValue("70.00") BigDecimal device2Flow50g, @DefaultValue("130.00") BigDecimal device3Flow100g,
            @DefaultValue("600.00") BigDecimal device5Flow500g,
            @DefaultValue("1.20") BigDecimal paygPerGb) implements RegionPrices {
    }

    public record SiliconValley(@DefaultValue("40.00") BigDecimal device1Flow20g,
            @DefaultValue("95.00") BigDecimal device2Flow50g, @DefaultValue("180.00") BigDecimal device3Flow100g,
            @DefaultValue("850.00") BigDecimal device5Flow500g,
            @DefaultValue("1.60") BigDecimal paygPerGb) implements RegionPrices {
    }

    public RegionPrices of(TrafficRegion region) {
        return switch (region) {
            case GUANGZHOU -> guangzhou;
            case SILICON_VALLEY -> siliconValley;
        };
    }

    public Money price(TrafficPackageType type, TrafficRegion region, BillingSettings settings) {
        RegionPrices prices = of(region);
        BigDecimal amount = switch (type) {
            case DEVICE_1_FLOW_20G -> prices.device1Flow20g();
            case DEVICE_2_FLOW_50G -> prices.device2Flow50g();
            case DEVICE_3_FLOW_100G -> prices.device3Flow100g();
            case DEVICE_5_FLOW_500G -> prices.device5Flow500g();
        };
        return Money.of(amount, settings.currency());
    }

    public Money paygPerGb(TrafficRegion region, BillingSettings settings) {
        return Money.of(of(region).paygPerGb(), settings.currency());
    }
}
