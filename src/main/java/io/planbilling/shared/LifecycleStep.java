package io.planbilling.shared;

import java.time.Instant;
import java.util.Map;

/**
 * One piece of the periodic lifecycle work (expiries, renewals, hourly accruals …) that a
 * module registers as a bean. The lifecycle job runs every registered step in
 * {@link #order()}.
 *
 * <p>
 * A step must be safe to run concurrently on several instances and to run again after a
 * crash: it claims its work through the database (row locks, {@code SKIP LOCKED}, unique
 * keys), never through memory, and commits in its own transactions.
 */
public interface LifecycleStep {

    /** A stable name shown in run reports, such as {@code traffic-package-expiry}. */
    String name();

    /** Steps run in ascending order. */
    default int order() {
        return 0;
    }

    /**
     * Does all the work due at {@code now}.
     * @return what was done, as counters keyed by a short name (e.g. {@code expired: 3})
     */
    Map<String, Long> run(Instant now);

}
