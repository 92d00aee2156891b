package io.planbilling.shared;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one loop of background work over rows claimed in the database (docs/operations.md):
 * claim a chunk {@code FOR UPDATE SKIP LOCKED}, process it, commit — each chunk in its
 * own short transaction — and repeat until a claim comes back short.
 *
 * <p>
 * Several instances running the same loop take disjoint chunks (a row another transaction
 * holds is skipped, not waited for), a crash loses at most the uncommitted chunk, and the
 * rows it held are claimed again by the next run. Claims page in one ascending order
 * after the last row of the previous chunk (the {@code after} cursor), so a chunk that
 * fails — its transaction rolls back — is passed over rather than claimed again in the
 * same run: the other chunks still commit, and the failure is reported as
 * {@link LifecycleStep.Incomplete} after the loop, so the next run retries those rows.
 */
@Component
public class SkipLockedChunks {

    private static final Logger log = LoggerFactory.getLogger(SkipLockedChunks.class);

    /**
     * Claims up to {@code limit} rows after {@code after} (all when null), in ascending
     * order of the key {@code after} carries, locked {@code FOR UPDATE SKIP LOCKED}.
     */
    @FunctionalInterface
    public interface Claim<T> {

        List<T> next(int limit, @Nullable T after);

    }

    /**
     * Processes a claimed chunk in the claiming transaction.
     *
     * @return what was done, as counters to add up over the chunks
     */
    @FunctionalInterface
    public interface Work<T> {

        Map<String, Long> process(List<T> claimed);

    }

    private final TransactionTemplate transactions;

    private final int chunkSize;

    /**
     * @param chunkSize the rows of a chunk when a loop does not ask for another size
     * ({@code billing.lifecycle.chunk-size})
     */
    SkipLockedChunks(PlatformTransactionManager transactionManager,
            @Value("${billing.lifecycle.chunk-size:500}") int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("billing.lifecycle.chunk-size must be positive: " + chunkSize);
        }
        this.transactions = new TransactionTemplate(transactionManager);
        this.chunkSize = chunkSize;
    }

    /**
     * {@link #run(int, Claim, Work, String...)} in chunks of the configured size
     * ({@code billing.lifecycle.chunk-size}, 500 by default).
     */
    public <T> Map<String, Long> run(Claim<T> claim, Work<T> work, String... counters) {
        return run(chunkSize, claim, work, counters);
    }

    /**
     * Runs {@code work} over every chunk {@code claim} hands out.
     * @param counters the counters reported even when no chunk counted them
     * @return the counters of the committed chunks, added up
     * @throws LifecycleStep.Incomplete when some chunks failed (with the counters of
     * those that committed)
     * @throws RuntimeException what a claim throws that claimed nothing (the loop stops)
     */
    public <T> Map<String, Long> run(int chunkSize, Claim<T> claim, Work<T> work, String... counters) {
        Map<String, Long> totals = new TreeMap<>();
        for (String counter : counters) {
            totals.put(counter, 0L);
        }
        List<RuntimeException> failures = new ArrayList<>();
        int chunks = 0;
        T after = null;
        while (true) {
            List<T> claimed = new ArrayList<>();
            T cursor = after;
            try {
                Map<String, Long> counts = transactions.execute(status -> {
                    claimed.addAll(claim.next(chunkSize, cursor));
                    return claimed.isEmpty() ? Map.<String, Long>of() : work.process(claimed);
                });
                if (counts != null) {
                    counts.forEach((counter, count) -> totals.merge(counter, count, Long::sum));
                }
            }
            catch (RuntimeException ex) {
                if (claimed.isEmpty()) {
                    throw ex;
                }
                log.warn("A chunk of {} rows failed and was rolled back; the next run retries it", claimed.size(), ex);
                failures.add(ex);
            }
            if (!claimed.isEmpty()) {
                chunks++;
            }
            if (claimed.size() < chunkSize) {
                break;
            }
            after = claimed.get(claimed.size() - 1);
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            throw new LifecycleStep.Incomplete(failures.size() + " of " + chunks + " chunks failed ("
                    + first.getClass().getSimpleName() + "); their rows are retried on the next run", totals, first);
        }
        return totals;
    }

}
