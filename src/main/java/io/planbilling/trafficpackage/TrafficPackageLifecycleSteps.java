package io.planbilling.trafficpackage;

import static io.planbilling.shared.LifecycleStep.Concurrency.SHARED;

import io.planbilling.shared.LifecycleStep;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The module's lifecycle steps (docs/operations.md): expiry and auto-renewal, then the
 * expiry reminders of the cycles still live. Both claim their packages
 * {@code SKIP LOCKED} (and each reminder by a unique key), so both are {@code SHARED}:
 * instances running them at once share a renewal storm.
 */
@Configuration(proxyBeanMethods = false)
class TrafficPackageLifecycleSteps {

    @Bean
    LifecycleStep trafficPackageExpiryStep(TrafficPackageExpiry expiry) {
        return LifecycleStep.of("traffic-package-expiry", 110, SHARED, expiry::run);
    }

    /**
     * After the expiry step, so the cycles it looks at are still live.
     */
    @Bean
    LifecycleStep trafficPackageExpiryReminderStep(TrafficPackageExpiryReminders reminders) {
        return LifecycleStep.of("traffic-package-expiry-reminders", 111, SHARED, reminders::run);
    }

}
