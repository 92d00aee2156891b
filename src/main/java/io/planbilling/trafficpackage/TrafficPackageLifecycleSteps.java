package io.planbilling.trafficpackage;

import io.planbilling.shared.LifecycleStep;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The module's lifecycle steps (docs/operations.md): expiry and auto-renewal, then the
 * expiry reminders of the cycles still live.
 */
@Configuration(proxyBeanMethods = false)
class TrafficPackageLifecycleSteps {

    @Bean
    LifecycleStep trafficPackageExpiryStep(TrafficPackageExpiry expiry) {
        return LifecycleStep.of("traffic-package-expiry", 110, expiry::run);
    }

    /**
     * After the expiry step, so the cycles it looks at are still live.
     */
    @Bean
    LifecycleStep trafficPackageExpiryReminderStep(TrafficPackageExpiryReminders reminders) {
        return LifecycleStep.of("traffic-package-expiry-reminders", 111, reminders::run);
    }

}
