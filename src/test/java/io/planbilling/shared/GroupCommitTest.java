package io.planbilling.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How requests are grouped, without a database: who joins a group, who runs alone, and
 * that each request gets its own answer (docs/traffic-packages.md, coalesced requests).
 * Steps are ordered by latches and Awaitility, never by timing.
 */
class GroupCommitTest {

    /** Transactions that do nothing but mark the thread as in one. */
    static final class Transactions extends AbstractPlatformTransactionManager {

        final List<String> committed = new CopyOnWriteArrayList<>();

        @Override
        protected Object doGetTransaction() {
            return new Object();
        }

        @Override
        protected void doBegin(Object transaction, TransactionDefinition definition) {
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            committed.add(Thread.currentThread().getName());
        }

        @Override
        protected void doRollback(DefaultTransactionStatus status) {
        }

    }

    final Transactions transactions = new Transactions();

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** The groups the work was given, in order. */
    final List<List<String>> groups = new CopyOnWriteArrayList<>();

    /** The request id each group's work ran under. */
    final List<String> requestIds = new CopyOnWriteArrayList<>();

    final CountDownLatch releaseWork = new CountDownLatch(1);

    volatile boolean blockWork;

    volatile boolean failWork;

    final List<GroupCommit<String, String>> made = new ArrayList<>();

    GroupCommit<String, String> groupCommit(IngestionSettings settings) {
        GroupCommit<String, String> commit = new GroupCommit<>("test", settings, new TransactionTemplate(transactions),
                meters, members -> {
                    groups.add(List.copyOf(members));
                    requestIds.add(String.valueOf(Audit.requestId()));
                    if (blockWork) {
                        hold(releaseWork);
                    }
                    if (failWork) {
                        throw new IllegalStateException("the group's transaction failed");
                    }
                    return members.stream().map(member -> "grouped " + member).toList();
                });
        made.add(commit);
        return commit;
    }

    static IngestionSettings settings(boolean enabled, Duration maxWait) {
        return new IngestionSettings(enabled, maxWait, 32, 100, 1);
    }

    static String alone(String request) {
        return "alone " + request + " on " + Thread.currentThread().getName();
    }

    static CompletableFuture<String> submit(GroupCommit<String, String> commit, String request,
            Supplier<String> prepare) {
        return CompletableFuture.supplyAsync(() -> commit.submit(1, prepare, GroupCommitTest::alone));
    }

    double count(String outcome) {
        return meters.counter(BillingMeters.INGESTION_REQUESTS, "stream", "test", BillingMeters.OUTCOME, outcome)
            .count();
    }

    @AfterEach
    void close() {
        made.forEach(GroupCommit::close);
    }

    @Test
    void requestsArrivingWhileAGroupCommitsFormTheNextGroupAndEachGetsItsOwnAnswer() throws Exception {
        GroupCommit<String, String> commit = groupCommit(settings(true, Duration.ofSeconds(30)));
        blockWork = true;
        CountDownLatch releaseB = new CountDownLatch(1);

        CountDownLatch validatingB = new CountDownLatch(1);
        CompletableFuture<String> b = submit(commit, "b", () -> {
            validatingB.countDown();
            hold(releaseB);
            return "b";
        });
        hold(validatingB);
        CompletableFuture<String> a = submit(commit, "a", () -> "a");
        // the worker takes a and waits for more while b is still being validated
        await().until(() -> commit.collected() == 1);
        releaseB.countDown();
        await().until(() -> groups.size() == 1);
        // the first group is committing: c, d and e queue up behind it
        List<CompletableFuture<String>> later = List.of(submit(commit, "c", () -> "c"), submit(commit, "d", () -> "d"),
                submit(commit, "e", () -> "e"));
        await().until(() -> commit.waiting() == 3);
        blockWork = false;
        releaseWork.countDown();

        assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo("grouped a");
        assertThat(b.get(30, TimeUnit.SECONDS)).isEqualTo("grouped b");
        for (CompletableFuture<String> request : later) {
            assertThat(request.get(30, TimeUnit.SECONDS)).startsWith("grouped ");
        }
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0)).containsExactly("a", "b");
        assertThat(groups.get(1)).containsExactlyInAnyOrder("c", "d", "e");
        assertThat(requestIds).as("a group's transaction has its own request id")
            .allMatch(id -> id.startsWith("group-"));
        assertThat(transactions.committed).as("one transaction per group, on the worker")
            .containsExactly("ingest-test-1", "ingest-test-1");
        assertThat(count("grouped")).isEqualTo(5);
    }

    @Test
    void aLoneRequestIsAppliedByAWorkerWithoutWaitingInATransactionOfItsOwnUnderItsOwnRequestId() {
        GroupCommit<String, String> commit = groupCommit(settings(true, Duration.ofSeconds(30)));

        MDC.put(Audit.REQUEST_ID, "request-a");
        String answer;
        try {
            answer = commit.submit(1, () -> "a", GroupCommitTest::alone);
        }
        finally {
            MDC.remove(Audit.REQUEST_ID);
        }

        assertThat(answer).isEqualTo("grouped a");
        assertThat(groups).containsExactly(List.of("a"));
        assertThat(requestIds).containsExactly("request-a");
        assertThat(transactions.committed).containsExactly("ingest-test-1");
        assertThat(count("alone")).isEqualTo(1);
        assertThat(meters.summary(BillingMeters.INGESTION_GROUP_SIZE, "stream", "test").count()).isEqualTo(1);
    }

    @Test
    void whenAGroupsTransactionFailsEachRequestRunsAgainAloneAndAnswersWhatThatGives() throws Exception {
        GroupCommit<String, String> commit = groupCommit(settings(true, Duration.ofSeconds(30)));
        failWork = true;
        CountDownLatch releaseB = new CountDownLatch(1);

        CountDownLatch validatingB = new CountDownLatch(1);
        CompletableFuture<String> b = submit(commit, "b", () -> {
            validatingB.countDown();
            hold(releaseB);
            return "b";
        });
        hold(validatingB);
        CompletableFuture<String> a = submit(commit, "a", () -> "a");
        await().until(() -> commit.collected() == 1);
        releaseB.countDown();

        assertThat(a.get(30, TimeUnit.SECONDS)).startsWith("alone a on ").doesNotContain("ingest-test");
        assertThat(b.get(30, TimeUnit.SECONDS)).startsWith("alone b on ").doesNotContain("ingest-test");
        assertThat(groups).singleElement().isEqualTo(List.of("a", "b"));
        assertThat(transactions.committed).isEmpty();
        assertThat(count("retried")).isEqualTo(2);
    }

    @Test
    void aRefusedRequestIsRefusedOnItsOwnBeforeItCouldJoinAGroup() {
        GroupCommit<String, String> commit = groupCommit(settings(true, Duration.ofSeconds(30)));

        assertThatThrownBy(() -> commit.submit(1, () -> {
            throw ProblemException.invalid("records", "must hold 1 to 10000 records");
        }, GroupCommitTest::alone)).isInstanceOf(ProblemException.class);
        assertThat(commit.waiting()).isZero();
        assertThat(groups).isEmpty();
    }

    @Test
    void requestsInATransactionLargeOnesAndAllWithGroupingOffRunAlone() {
        GroupCommit<String, String> commit = groupCommit(settings(true, Duration.ofSeconds(30)));
        GroupCommit<String, String> off = groupCommit(settings(false, Duration.ofSeconds(30)));
        String thread = Thread.currentThread().getName();

        String keyed = new TransactionTemplate(transactions)
            .execute(status -> commit.submit(1, () -> "keyed", GroupCommitTest::alone));
        String large = commit.submit(101, () -> "large", GroupCommitTest::alone);
        String unGrouped = off.submit(1, () -> "off", GroupCommitTest::alone);

        assertThat(List.of(keyed, large, unGrouped)).containsExactly("alone keyed on " + thread,
                "alone large on " + thread, "alone off on " + thread);
        assertThat(groups).isEmpty();
    }

    @Test
    void afterCloseRequestsRunAlone() {
        GroupCommit<String, String> commit = groupCommit(settings(true, Duration.ofSeconds(30)));
        commit.close();

        assertThat(commit.submit(1, () -> "late", GroupCommitTest::alone)).startsWith("alone late on ");
    }

    static void hold(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
