package io.planbilling.events;

import io.planbilling.shared.BillingSettings;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Writes {@code billing.currency} where the event triggers read it, so payload money carries the right currency. */
@Component
class CurrencySync implements ApplicationRunner {

    private final JdbcClient jdbc;
    private final BillingSettings settings;

    CurrencySync(JdbcClient jdbc, BillingSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    @Override
    public void run(ApplicationArguments args) {
        jdbc.sql("UPDATE billing_settings SET currency = :currency WHERE id = 1 AND currency <> :currency")
                .param("currency", settings.currency().getCurrencyCode())
                .update();
    }
}
