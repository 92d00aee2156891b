package io.planbilling.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planbilling.shared.BillingSettings;
import io.planbilling.testing.PostgresJdbcTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.AutoConfigureDataJpa;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The account's JPA repository on real PostgreSQL (a JDBC slice with JPA): the row lock
 * that serialises key rotations, and the balance that only the ledger writes.
 */
@PostgresJdbcTest
@AutoConfigureDataJpa
@Import({ Accounts.class, ApiKeys.class, Ledger.class, LedgerDebits.class, PostpaidMonths.class })
class AccountRepositoryTest {

    @Autowired
    AccountRepository repository;

    @Autowired
    Accounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    BillingSettings settings;

    @Test
    void lockByIdMakesASecondLockerWaitForTheFirstToCommit() throws Exception {
        UUID account = accounts.create("locked").id();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> holder = pool.submit(() -> transactions.executeWithoutResult(status -> {
                repository.lockById(account).orElseThrow();
                locked.countDown();
                await().until(() -> release.getCount() == 0);
            }));
            assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Integer> waiterPid = new CompletableFuture<>();
            Future<Boolean> waiter = pool.submit(() -> transactions.execute(status -> {
                waiterPid.complete(jdbc.sql("SELECT pg_backend_pid()").query(Integer.class).single());
                return repository.lockById(account).isPresent();
            }));
            int pid = waiterPid.get(30, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(30))
                .until(() -> "Lock".equals(jdbc.sql("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid")
                    .param("pid", pid)
                    .query(String.class)
                    .optional()
                    .orElse(null)));
            assertThat(waiter).isNotDone();
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);

            assertThat(waiter.get(30, TimeUnit.SECONDS)).isTrue();
        }
        finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentRotationsOfOneAccountLeaveExactlyOneLiveKey() throws Exception {
        UUID account = accounts.create("rotations").id();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<IssuedApiKey>> rotations = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            rotations.add(pool.submit(() -> accounts.rotateKey(account)));
        }
        for (Future<IssuedApiKey> rotation : rotations) {
            rotation.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(jdbc.sql("SELECT count(*) FROM account_api_keys WHERE account_id = :id")
            .param("id", account)
            .query(Long.class)
            .single()).isEqualTo(9);
        assertThat(jdbc.sql("SELECT count(*) FROM account_api_keys WHERE account_id = :id AND revoked_at IS NULL")
            .param("id", account)
            .query(Long.class)
            .single()).isEqualTo(1);
    }

    @Test
    void theEntityReadsTheBalanceTheLedgerKeepsAndStartsAtVersionZero() {
        UUID account = accounts.create("  padded name  ").id();
        accounts.credit(account, settings.money("12.34"), "ref-" + UUID.randomUUID());

        Account loaded = repository.findById(account).orElseThrow();

        assertThat(loaded.name()).isEqualTo("padded name");
        assertThat(loaded.balance()).isEqualByComparingTo("12.34");
        assertThat(
                jdbc.sql("SELECT version FROM accounts WHERE id = :id").param("id", account).query(Long.class).single())
            .isZero();
    }

}
