package io.planbilling.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two transactions write the same alert row with {@code INSERT … ON CONFLICT DO NOTHING},
 * overlapping and without any other lock between them: the first inserts and stays open,
 * the second starts and waits on the first one's entry in the unique index, then the
 * first commits. What each wrote shows whether the database's key alone refuses the
 * second copy.
 */
public final class SecondCopy {

    private SecondCopy() {
    }

    /**
     * @param insert an {@code INSERT INTO <table> … ON CONFLICT DO NOTHING} statement
     * @return the rows the first and the second transaction inserted
     */
    public static List<Integer> insertTwice(JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
            String insert, Object... args) {
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        CountDownLatch firstInserted = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> transaction.execute(status -> {
            int rows = jdbc.update(insert, args);
            firstInserted.countDown();
            waitFor(commit);
            return rows;
        }));
        waitFor(firstInserted);
        CompletableFuture<Integer> second = CompletableFuture
            .supplyAsync(() -> transaction.execute(status -> jdbc.update(insert, args)));
        String table = insert.strip().split("\\s+")[2];
        await().atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?",
                    Integer.class, "INSERT INTO " + table + "%") == 1);
        commit.countDown();
        try {
            return List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS));
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

}
