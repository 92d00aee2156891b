package io.planbilling.bandwidthplan;

import static io.planbilling.shared.LifecycleStep.Concurrency.SHARED;

import io.planbilling.shared.Audit;
import io.planbilling.shared.LifecycleStep;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Registers the module's lifecycle steps, and runs the association worker on its own
 * short schedule ({@code billing.bandwidth.association-interval}) so that associations
 * apply within seconds, whether or not the lifecycle job's schedule is on. The worker
 * claims with {@code SKIP LOCKED}, so it is safe on every instance at once and finishes
 * associations left {@code CHANGING} by a crash. Every step claims its plans
 * {@code SKIP LOCKED} (and each reminder or hour by a unique key), so all are
 * {@code SHARED}: instances share them (docs/operations.md).
 */
@Configuration(proxyBeanMethods = false)
class BandwidthLifecycleSteps {

    private static final Logger log = LoggerFactory.getLogger(BandwidthLifecycleSteps.class);

    private final BandwidthLifecycle lifecycle;

    private final BandwidthExpiryReminders reminders;

    BandwidthLifecycleSteps(BandwidthLifecycle lifecycle, BandwidthExpiryReminders reminders) {
        this.lifecycle = lifecycle;
        this.reminders = reminders;
    }

    @Scheduled(fixedDelayString = "${billing.bandwidth.association-interval:PT1S}")
    void associationWorker() {
        try {
            long applied = Audit.asJob("association-worker", lifecycle::applyAssociations);
            if (applied > 0) {
                log.debug("Applied {} bandwidth plan associations", applied);
            }
        }
        catch (RuntimeException ex) {
            log.warn("Applying bandwidth plan associations failed; retrying on the next run", ex);
        }
    }

    @Bean
    LifecycleStep bandwidthAssociationStep() {
        return LifecycleStep.of("bandwidth-plan-associations", 40, SHARED,
                now -> Map.of(BandwidthLifecycle.APPLIED, lifecycle.applyAssociations()));
    }

    @Bean
    LifecycleStep bandwidthExpiryStep() {
        return LifecycleStep.of("bandwidth-plan-expiry", 41, SHARED, lifecycle::expireOrRenew);
    }

    @Bean
    LifecycleStep bandwidthHourlyBillingStep() {
        return LifecycleStep.of("bandwidth-plan-hourly-billing", 42, SHARED,
                now -> Map.of(BandwidthLifecycle.HOURS_BILLED, lifecycle.billHours(now)));
    }

    /**
     * After the expiry step: the subscriptions it renewed remind of their new term, those
     * it ended of nothing.
     */
    @Bean
    LifecycleStep bandwidthExpiryReminderStep() {
        return LifecycleStep.of("bandwidth-plan-expiry-reminders", 43, SHARED, reminders::remind);
    }

}
