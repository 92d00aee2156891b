package io.planbilling.shared;

import java.time.ZoneId;
import java.util.Currency;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Deployment-wide settings.
 *
 * @param currency the one currency of every amount ({@code billing.currency}, default
 * CNY)
 * @param zone the zone of calendar arithmetic: months, years, bill months
 * ({@code billing.zone})
 */
@ConfigurationProperties("billing")
public record BillingSettings(@DefaultValue("CNY") Currency currency, @DefaultValue("Asia/Shanghai") ZoneId zone) {

    public Money money(String amount) {
        return Money.of(amount, currency);
    }

    public Money zero() {
        return Money.zero(currency);
    }
}
