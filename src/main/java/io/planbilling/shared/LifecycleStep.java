package io.planbilling.shared;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One piece of the periodic lifecycle work (expiries, renewals, hourly accruals …). A
 * module registers each of its steps as a bean made by {@link #of}, in one
 * {@code @Configuration} of the module ({@code TrafficPackageLifecycleSteps},
 * {@code BandwidthLifecycleSteps} …); the lifecycle job runs every registered step in
 * {@link #order()} (docs/operations.md lists them).
 *
 * <p>
 * A step must be safe to run concurrently on several instances and to run again after a
 * crash: it claims its work through the database (row locks, {@code SKIP LOCKED}, unique
 * keys), never through memory, and commits in its own transactions — a loop over claimed
 * chunks uses {@link SkipLockedChunks}. Each step also declares its {@link Concurrency}:
 * whether instances running it at once split its work ({@link Concurrency#SHARED}, run on
 * every instance at once) or would only repeat each other's
 * ({@link Concurrency#EXCLUSIVE}, run by one instance at a time under the lifecycle
 * lock).
 */
public final class LifecycleStep {

    /** What a step does at {@code now}. */
    @FunctionalInterface
    public interface Work {

        /**
         * Does all the work due at {@code now}.
         * @return what was done, as counters keyed by a short name (e.g.
         * {@code expired: 3})
         * @throws Incomplete when part of the work failed and the rest committed
         */
        Map<String, Long> run(Instant now);

    }

    /**
     * How a step runs when several instances run the lifecycle job at once
     * (docs/operations.md argues it for every step).
     */
    public enum Concurrency {

        /**
         * Claim-safe: its work is claimed row by row in the database ({@code SKIP LOCKED}
         * chunks, unique keys), so instances running it at once take disjoint work and
         * share it; every instance runs it, without the lifecycle lock.
         */
        SHARED,

        /**
         * Runs alone: instances running it at once would not divide its work but each do
         * all of it (and wait on each other's row locks), so one instance at a time runs
         * it, under the lifecycle lock; the others skip it (a scheduled run) or wait for
         * the lock (a manual run). Such a step must still be correct when two runs
         * overlap, since the lock lapses after {@code billing.lifecycle.lock-at-most}.
         */
        EXCLUSIVE

    }

    private final String name;

    private final int order;

    private final Concurrency concurrency;

    private final Work work;

    private LifecycleStep(String name, int order, Concurrency concurrency, Work work) {
        this.name = Objects.requireNonNull(name);
        this.order = order;
        this.concurrency = Objects.requireNonNull(concurrency);
        this.work = Objects.requireNonNull(work);
    }

    /**
     * The one way to make a step.
     * @param name a stable name shown in run reports, such as
     * {@code traffic-package-expiry}
     * @param order steps run in ascending order
     * @param concurrency whether instances share the step's work or run it one at a time
     */
    public static LifecycleStep of(String name, int order, Concurrency concurrency, Work work) {
        return new LifecycleStep(name, order, concurrency, work);
    }

    public String name() {
        return name;
    }

    public int order() {
        return order;
    }

    public Concurrency concurrency() {
        return concurrency;
    }

    /** Runs the step's work at {@code now}. */
    public Map<String, Long> run(Instant now) {
        return work.run(now);
    }

    @Override
    public String toString() {
        return "LifecycleStep[" + name + ", order " + order + ", " + concurrency + "]";
    }

    /**
     * A step that did part of its work: what committed is in {@link #counts()}, and what
     * failed is left for the next run (the run's report shows the step as failed, with
     * these counts and this message).
     */
    public static final class Incomplete extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient Map<String, Long> counts;

        public Incomplete(String message, Map<String, Long> counts, Throwable firstFailure) {
            super(message, firstFailure);
            this.counts = Map.copyOf(counts);
        }

        public Map<String, Long> counts() {
            return counts;
        }

    }

}
