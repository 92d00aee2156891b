package io.planbilling.lifecycle;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.planbilling.shared.Audit;
import io.planbilling.shared.BillingMeters;
import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.LifecycleStep;
import io.planbilling.shared.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Runs every registered {@link LifecycleStep}, under one database lock (ShedLock) so that
 * instances sharing the database take turns. Each step is itself safe to run
 * concurrently; the lock only keeps instances from duplicating effort.
 */
@Service
public class LifecycleRunner {

    static final String LOCK = "billing-lifecycle";

    private static final Logger log = LoggerFactory.getLogger(LifecycleRunner.class);

    private final ObjectProvider<LifecycleStep> steps;

    private final LockingTaskExecutor locks;

    private final LifecycleSettings settings;

    private final Clock clock;

    private final MeterRegistry meters;

    LifecycleRunner(ObjectProvider<LifecycleStep> steps, LockingTaskExecutor locks, LifecycleSettings settings,
            Clock clock, MeterRegistry meters) {
        this.steps = steps;
        this.locks = locks;
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
    }

    /** The scheduled run; skipped when another instance holds the lock. */
    @Scheduled(fixedDelayString = "${billing.lifecycle.interval:PT1M}",
            initialDelayString = "${billing.lifecycle.interval:PT1M}")
    void scheduledRun() {
        if (!settings.scheduled()) {
            return;
        }
        try {
            LockingTaskExecutor.TaskResult<LifecycleReport> result = Audit.asJob("lifecycle", this::runLocked);
            if (result.wasExecuted()) {
                log.debug("Scheduled lifecycle run: {}", result.getResult());
            }
        }
        catch (RuntimeException ex) {
            log.error("Scheduled lifecycle run failed", ex);
        }
    }

    /**
     * Runs now, waiting up to {@code billing.lifecycle.manual-wait} for a run in progress
     * on another instance to release the lock; 409 {@code LIFECYCLE_BUSY} when it does
     * not.
     */
    public LifecycleReport runNow() {
        long deadline = System.nanoTime() + settings.manualWait().toNanos();
        do {
            LockingTaskExecutor.TaskResult<LifecycleReport> result = runLocked();
            if (result.wasExecuted()) {
                // runSteps always answers a report
                LifecycleReport report = Objects.requireNonNull(result.getResult());
                log.info("Manual lifecycle run at {}: {}", report.at(), report.steps());
                return report;
            }
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        while (System.nanoTime() - deadline < 0);
        throw new ProblemException(ErrorCode.LIFECYCLE_BUSY,
                "Another instance is running the lifecycle job; retry shortly.");
    }

    private LockingTaskExecutor.TaskResult<LifecycleReport> runLocked() {
        try {
            return locks.executeWithLock(this::runSteps, lock());
        }
        catch (RuntimeException ex) {
            throw ex;
        }
        catch (Throwable ex) {
            throw new IllegalStateException(ex);
        }
    }

    private LockConfiguration lock() {
        // lock bookkeeping is ShedLock's own wall-clock business (the provider times
        // locks by the database's
        // clock), not billing time, so it deliberately does not use the adjustable
        // billing clock
        return new LockConfiguration(ClockProvider.now(), LOCK, settings.lockAtMost(), Duration.ZERO);
    }

    private LifecycleReport runSteps() {
        Instant now = clock.instant();
        List<LifecycleReport.StepReport> reports = new ArrayList<>();
        for (LifecycleStep step : steps.orderedStream()
            .sorted(Comparator.comparingInt(LifecycleStep::order))
            .toList()) {
            long started = System.nanoTime();
            Timer.Sample sample = Timer.start(meters);
            try {
                Map<String, Long> counts = new TreeMap<>(step.run(now));
                reports.add(new LifecycleReport.StepReport(step.name(), true, counts, elapsedMillis(started), null));
                sample.stop(meters.timer(BillingMeters.LIFECYCLE_STEP, "step", step.name(), "outcome", "success"));
                count(step, counts);
            }
            catch (LifecycleStep.Incomplete ex) {
                // part of the work committed: report it, and the failure (the next run
                // retries what failed)
                log.error("Lifecycle step {} did part of its work: {}", step.name(), ex.getMessage(), ex.getCause());
                Map<String, Long> counts = new TreeMap<>(ex.counts());
                reports.add(new LifecycleReport.StepReport(step.name(), false, counts, elapsedMillis(started),
                        ErrorCode.INTERNAL_ERROR + ": " + ex.getMessage()));
                sample.stop(meters.timer(BillingMeters.LIFECYCLE_STEP, "step", step.name(), "outcome", "failure"));
                count(step, counts);
            }
            catch (RuntimeException ex) {
                log.error("Lifecycle step {} failed", step.name(), ex);
                reports.add(new LifecycleReport.StepReport(step.name(), false, Map.of(), elapsedMillis(started),
                        ErrorCode.INTERNAL_ERROR + ": " + ex.getClass().getSimpleName()));
                sample.stop(meters.timer(BillingMeters.LIFECYCLE_STEP, "step", step.name(), "outcome", "failure"));
            }
        }
        return new LifecycleReport(now, reports);
    }

    private void count(LifecycleStep step, Map<String, Long> counts) {
        counts.forEach((item, count) -> meters.counter(BillingMeters.LIFECYCLE_ITEMS, "step", step.name(), "item", item)
            .increment(count));
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

}
