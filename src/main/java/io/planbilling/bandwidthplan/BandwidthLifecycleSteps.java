package io.planbilling.bandwidthplan;

import io.planbilling.shared.Audit;
import io.planbilling.shared.LifecycleStep;
import java.time.Instant;
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
 * associations left {@code CHANGING} by a crash.
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
        return step("bandwidth-plan-associations", 40, now -> Map.of("applied", lifecycle.applyAssociations()));
    }

    @Bean
    LifecycleStep bandwidthExpiryStep() {
        return step("bandwidth-plan-expiry", 41, now -> {
            BandwidthLifecycle.ExpiryCounts counts = lifecycle.expireOrRenew(now);
            return Map.of("autoRenewed", counts.renewed(), "expired", counts.expired());
        });
    }

    @Bean
    LifecycleStep bandwidthHourlyBillingStep() {
        return step("bandwidth-plan-hourly-billing", 42, now -> Map.of("hoursBilled", lifecycle.billHours(now)));
    }

    /**
     * After the expiry step: the subscriptions it renewed remind of their new term, those
     * it ended of nothing.
     */
    @Bean
    LifecycleStep bandwidthExpiryReminderStep() {
        return step("bandwidth-plan-expiry-reminders", 43, now -> Map.of("remindersSent", reminders.remind(now)));
    }

    private static LifecycleStep step(String name, int order,
            java.util.function.Function<Instant, Map<String, Long>> run) {
        return new LifecycleStep() {

            @Override
            public String name() {
                return name;
            }

            @Override
            public int order() {
                return order;
            }

            @Override
            public Map<String, Long> run(Instant now) {
                return run.apply(now);
            }
        };
    }

}
