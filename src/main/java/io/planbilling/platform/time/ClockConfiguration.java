package io.planbilling.platform.time;

import io.planbilling.shared.ClockSettings;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The one {@link Clock} of the service: the system clock, or the adjustable test clock
 * when configured.
 */
@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ClockConfiguration.class);

    @Bean
    Clock clock(ClockSettings settings, JdbcClient jdbc) {
        if (settings.adjustable()) {
            log.warn("billing.clock.adjustable=true: business time can be moved with POST /api/v1/admin/clock");
            return new DatabaseOffsetClock(Clock.systemUTC(), jdbc);
        }
        return Clock.systemUTC();
    }

}
