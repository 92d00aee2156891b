package io.planbilling.shared;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit of small ingestion requests (docs/traffic-packages.md, coalesced
 * requests): concurrent requests of one stream (usage records, samples) are applied
 * together, in one database transaction, by a worker thread, and each request gets its
 * own answer.
 *
 * <ul>
 * <li>A request is validated on its own thread before it joins ({@code prepare}), so a
 * bad request is refused alone and never spoils a group.</li>
 * <li>A worker takes the first waiting request and whatever else waits, up to
 * {@link IngestionSettings#maxGroupSize()}; it waits for more, at most
 * {@link IngestionSettings#maxWait()}, only while other requests are being validated, so
 * a lone request pays no wait. Only requests of one actor share a group.</li>
 * <li>A group of one is applied by the worker too, in a transaction of its own under its
 * request's own id (as without grouping, but for the thread): while a worker commits, the
 * requests that arrive queue up and form the next group, where handing a lone request
 * back to its thread would leave the worker idle and the next requests alone as well.
 * When a group's transaction fails (a concurrent update, a deadlock, a lost connection:
 * nothing is one request's fault, since each was validated), nothing of it was applied
 * and each request runs again alone, in its own transaction, and answers what that
 * gives.</li>
 * <li>A request that already runs in a transaction (an {@code Idempotency-Key} request,
 * whose stored response must commit with its effect), one larger than
 * {@link IngestionSettings#maxRequestSize()}, and every request while grouping is off run
 * alone.</li>
 * </ul>
 *
 * Retrying alone rather than rolling back to a savepoint per request keeps the group one
 * set-based batch (its records are locked, allocated and inserted by one statement each,
 * which is where the time goes); savepoints would need each request's statements of its
 * own. A group's transaction is stamped with the group's own request id
 * ({@code group-<uuid>}; a group of one with its request's); each record row carries its
 * request's id and source.
 *
 * @param <T> a validated request
 * @param <R> its answer
 */
public final class GroupCommit<T, R> {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /** What a group's transaction does: every member's work at once, an answer each. */
    @FunctionalInterface
    public interface Work<T, R> {

        List<R> apply(List<T> members);

    }

    private static final Object ALONE = new Object();

    private record Member<T>(T request, @Nullable String actor, @Nullable String requestId,
            CompletableFuture<Object> answer) {
    }

    private final String stream;

    private final IngestionSettings settings;

    private final TransactionTemplate transactions;

    private final Work<T, R> work;

    private final LinkedBlockingDeque<Member<T>> queue = new LinkedBlockingDeque<>();

    /** Requests being validated, soon to join. */
    private final AtomicInteger arriving = new AtomicInteger();

    private final Counter grouped;

    private final Counter alone;

    private final Counter retried;

    private final DistributionSummary groupSizes;

    private final List<Thread> workers = new ArrayList<>();

    /** Groups a worker has begun to collect. */
    private final AtomicInteger collected = new AtomicInteger();

    private volatile boolean closed;

    GroupCommit(String stream, IngestionSettings settings, TransactionTemplate transactions, MeterRegistry meters,
            Work<T, R> work) {
        this.stream = stream;
        this.settings = settings;
        this.transactions = transactions;
        this.work = work;
        this.grouped = counter(meters, "grouped");
        this.alone = counter(meters, "alone");
        this.retried = counter(meters, "retried");
        this.groupSizes = DistributionSummary.builder(BillingMeters.INGESTION_GROUP_SIZE)
            .tag("stream", stream)
            .description("Requests in each group a worker collected")
            .register(meters);
    }

    private Counter counter(MeterRegistry meters, String outcome) {
        return meters.counter(BillingMeters.INGESTION_REQUESTS, "stream", stream, BillingMeters.OUTCOME, outcome);
    }

    /**
     * Answers one request of {@code size} records: {@code prepare} validates it (and
     * throws to refuse it), then it is applied in a group, or by {@code runAlone} in a
     * transaction of its own.
     */
    public R submit(int size, Supplier<T> prepare, Function<T, R> runAlone) {
        if (!settings.enabled() || closed || size > settings.maxRequestSize()
                || TransactionSynchronizationManager.isActualTransactionActive()) {
            T request = prepare.get();
            alone.increment();
            return runAlone.apply(request);
        }
        T request;
        arriving.incrementAndGet();
        try {
            request = prepare.get();
        }
        finally {
            // before it joins the queue: a worker that takes it must not wait for it
            arriving.decrementAndGet();
        }
        Member<T> member = new Member<>(request, Audit.actor(), Audit.requestId(), new CompletableFuture<>());
        startWorkers();
        queue.addLast(member);
        if (closed && queue.remove(member)) {
            member.answer().complete(ALONE);
        }
        Object answer = await(member.answer());
        if (answer == ALONE) {
            return runAlone.apply(member.request());
        }
        @SuppressWarnings("unchecked")
        R result = (R) answer;
        return result;
    }

    /**
     * Waits for the group's answer; an interrupt does not abandon a request its group may
     * be applying (the flag is restored afterwards).
     */
    private static Object await(CompletableFuture<Object> answer) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return answer.get();
                }
                catch (InterruptedException ex) {
                    interrupted = true;
                }
                catch (ExecutionException ex) {
                    throw new IllegalStateException("a group answered with a failure", ex.getCause());
                }
            }
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void startWorkers() {
        while (workers.size() < settings.workers()) {
            Thread worker = new Thread(this::work, "ingest-" + stream + "-" + (workers.size() + 1));
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    private void work() {
        while (!closed && !Thread.currentThread().isInterrupted()) {
            Member<T> first;
            try {
                first = queue.pollFirst(1, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                return;
            }
            if (first != null) {
                collected.incrementAndGet();
                commit(collect(first));
            }
        }
    }

    private List<Member<T>> collect(Member<T> first) {
        List<Member<T>> group = new ArrayList<>();
        group.add(first);
        long deadline = System.nanoTime() + settings.maxWait().toNanos();
        while (group.size() < settings.maxGroupSize()) {
            Member<T> next = queue.pollFirst();
            if (next == null) {
                long left = deadline - System.nanoTime();
                if (arriving.get() == 0 || left <= 0) {
                    break;
                }
                try {
                    next = queue.pollFirst(left, TimeUnit.NANOSECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (next == null) {
                    break;
                }
            }
            if (!Objects.equals(next.actor(), first.actor())) {
                queue.addFirst(next);
                break;
            }
            group.add(next);
        }
        return group;
    }

    private void commit(List<Member<T>> group) {
        groupSizes.record(group.size());
        // a group of one is its request's own transaction, under its own request id
        String requestId = group.size() == 1 ? group.get(0).requestId() : null;
        String groupId = requestId != null ? requestId : "group-" + UUID.randomUUID();
        try {
            List<T> requests = group.stream().map(Member::request).toList();
            String actor = group.get(0).actor();
            List<R> answers = Audit.as(actor == null ? "system" : actor, groupId,
                    () -> transactions.execute(status -> work.apply(requests)));
            if (answers == null || answers.size() != group.size()) {
                throw new IllegalStateException("a group of " + group.size() + " got " + answers);
            }
            log.debug("{} applied {} {} requests", groupId, group.size(), stream);
            (group.size() == 1 ? alone : grouped).increment(group.size());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).answer().complete(answers.get(i));
            }
        }
        catch (RuntimeException ex) {
            log.debug("{} of {} {} requests failed; each runs again alone", groupId, group.size(), stream, ex);
            retried.increment(group.size());
        }
        finally {
            // whatever happened, no request is left waiting: those not answered run alone
            group.forEach(member -> member.answer().complete(ALONE));
        }
    }

    /** Requests waiting for a worker. */
    int waiting() {
        return queue.size();
    }

    /** Groups a worker has begun to collect. */
    int collected() {
        return collected.get();
    }

    /**
     * Stops grouping: later requests run alone, and the waiting ones are handed back to
     * run alone on their own threads.
     */
    void close() {
        closed = true;
        for (Member<T> member = queue.pollFirst(); member != null; member = queue.pollFirst()) {
            member.answer().complete(ALONE);
        }
    }

}
