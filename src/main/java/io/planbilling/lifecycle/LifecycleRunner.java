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
import java.util.Optional;
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
 * Runs every registered {@link LifecycleStep} in order, each by its
 * {@link LifecycleStep.Concurrency} (docs/operations.md). The {@code SHARED} steps run on
 * every instance at once, without any lock: they claim their work in the database, so
 * instances running them together take disjoint chunks and share a storm, and nothing
 * they do depends on the lock (a run outlasting {@code billing.lifecycle.lock-at-most}
 * renews nothing twice). The {@code EXCLUSIVE} steps run under one database lock
 * (ShedLock, {@value #LOCK}), taken for each stretch of consecutive such steps: one
 * instance at a time runs them, a scheduled run elsewhere skips them, and a manual run
 * waits up to {@code billing.lifecycle.manual-wait} for them and answers 409
 * {@code LIFECYCLE_BUSY} when they stay busy.
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

    /**
     * The scheduled run: the shared steps, and the exclusive ones unless another instance
     * holds the lock (that instance runs them).
     */
    @Scheduled(fixedDelayString = "${billing.lifecycle.interval:PT1M}",
            initialDelayString = "${billing.lifecycle.interval:PT1M}")
    void scheduledRun() {
        if (!settings.scheduled()) {
            return;
        }
        try {
            LifecycleReport report = Audit.asJob("lifecycle", () -> run(false));
            log.debug("Scheduled lifecycle run: {}", report);
        }
        catch (RuntimeException ex) {
            log.error("Scheduled lifecycle run failed", ex);
        }
    }

    /**
     * Runs now: the shared steps at once with any other instance's run, the exclusive
     * ones after waiting up to {@code billing.lifecycle.manual-wait} for another instance
     * running them to release the lock.
     * @throws ProblemException 409 {@code LIFECYCLE_BUSY} when the lock stays taken (the
     * shared steps before the exclusive ones have run and committed what they did)
     */
    public LifecycleReport runNow() {
        LifecycleReport report = run(true);
        log.info("Manual lifecycle run at {}: {}", report.at(), report.steps());
        return report;
    }

    private LifecycleReport run(boolean manual) {
        Instant now = clock.instant();
        List<LifecycleStep> ordered = steps.orderedStream()
            .sorted(Comparator.comparingInt(LifecycleStep::order))
            .toList();
        List<LifecycleReport.StepReport> reports = new ArrayList<>();
        int from = 0;
        while (from < ordered.size()) {
            LifecycleStep.Concurrency concurrency = ordered.get(from).concurrency();
            int to = from;
            while (to < ordered.size() && ordered.get(to).concurrency() == concurrency) {
                to++;
            }
            List<LifecycleStep> stretch = ordered.subList(from, to);
            if (concurrency == LifecycleStep.Concurrency.SHARED) {
                stretch.forEach(step -> reports.add(runStep(step, now)));
            }
            else {
                Optional<List<LifecycleReport.StepReport>> alone = runAlone(stretch, now, manual);
                if (alone.isPresent()) {
                    reports.addAll(alone.get());
                }
                else if (manual) {
                    log.info("Manual lifecycle run at {} found {} busy after: {}", now, names(stretch), reports);
                    throw new ProblemException(ErrorCode.LIFECYCLE_BUSY,
                            "Another instance is running the lifecycle steps that run alone (" + names(stretch)
                                    + "); retry shortly.");
                }
                else {
                    log.debug("Lifecycle steps {} skipped: another instance is running them", names(stretch));
                }
            }
            from = to;
        }
        return new LifecycleReport(now, reports);
    }

    /**
     * Runs the exclusive {@code stretch} under the lock; empty when another instance
     * holds it (after waiting up to {@code billing.lifecycle.manual-wait} for a manual
     * run).
     */
    private Optional<List<LifecycleReport.StepReport>> runAlone(List<LifecycleStep> stretch, Instant now,
            boolean manual) {
        long deadline = System.nanoTime() + (manual ? settings.manualWait().toNanos() : 0);
        while (true) {
            LockingTaskExecutor.TaskResult<List<LifecycleReport.StepReport>> result = locked(
                    () -> stretch.stream().map(step -> runStep(step, now)).toList());
            if (result.wasExecuted()) {
                // the task always answers its reports
                return Optional.of(Objects.requireNonNull(result.getResult()));
            }
            if (System.nanoTime() - deadline >= 0) {
                return Optional.empty();
            }
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    private <T> LockingTaskExecutor.TaskResult<T> locked(LockingTaskExecutor.TaskWithResult<T> task) {
        try {
            return locks.executeWithLock(task, lock());
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

    private LifecycleReport.StepReport runStep(LifecycleStep step, Instant now) {
        long started = System.nanoTime();
        Timer.Sample sample = Timer.start(meters);
        try {
            Map<String, Long> counts = new TreeMap<>(step.run(now));
            sample.stop(meters.timer(BillingMeters.LIFECYCLE_STEP, "step", step.name(), "outcome", "success"));
            count(step, counts);
            return new LifecycleReport.StepReport(step.name(), true, counts, elapsedMillis(started), null);
        }
        catch (LifecycleStep.Incomplete ex) {
            // part of the work committed: report it, and the failure (the next run
            // retries what failed)
            log.error("Lifecycle step {} did part of its work: {}", step.name(), ex.getMessage(), ex.getCause());
            Map<String, Long> counts = new TreeMap<>(ex.counts());
            sample.stop(meters.timer(BillingMeters.LIFECYCLE_STEP, "step", step.name(), "outcome", "failure"));
            count(step, counts);
            return new LifecycleReport.StepReport(step.name(), false, counts, elapsedMillis(started),
                    ErrorCode.INTERNAL_ERROR + ": " + ex.getMessage());
        }
        catch (RuntimeException ex) {
            log.error("Lifecycle step {} failed", step.name(), ex);
            sample.stop(meters.timer(BillingMeters.LIFECYCLE_STEP, "step", step.name(), "outcome", "failure"));
            return new LifecycleReport.StepReport(step.name(), false, Map.of(), elapsedMillis(started),
                    ErrorCode.INTERNAL_ERROR + ": " + ex.getClass().getSimpleName());
        }
    }

    private static String names(List<LifecycleStep> stretch) {
        return String.join(", ", stretch.stream().map(LifecycleStep::name).toList());
    }

    private void count(LifecycleStep step, Map<String, Long> counts) {
        counts.forEach((item, count) -> meters.counter(BillingMeters.LIFECYCLE_ITEMS, "step", step.name(), "item", item)
            .increment(count));
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

}
