package io.planbilling.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import io.planbilling.testing.PostgresJdbcTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.AutoConfigureDataJpa;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger's SQL on real PostgreSQL (a JDBC slice): the balance moves with each entry,
 * never below zero, never edited, always the sum of the entries.
 */
@PostgresJdbcTest
@AutoConfigureDataJpa
@Import({ Accounts.class, ApiKeys.class, Ledger.class, LedgerDebits.class, PostpaidMonths.class })
class LedgerTest {

    @Autowired
    Ledger ledger;

    @Autowired
    Accounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    BillingSettings settings;

    @Autowired
    TransactionTemplate transactions;

    private Money cny(String amount) {
        return settings.money(amount);
    }

    private Optional<LedgerEntryView> post(UUID account, String amount) {
        return transactions.execute(status -> ledger.post(account, Instant.now(), LedgerKind.PURCHASE, cny(amount),
                "TEST", UUID.randomUUID(), "test", null));
    }

    @Test
    void movesTheBalanceWithEachEntryAndRecordsItAfterwards() {
        UUID account = accounts.create("ledger").id();

        LedgerEntryView credit = post(account, "100.00").orElseThrow();
        LedgerEntryView charge = post(account, "-30.01").orElseThrow();

        assertThat(credit.balanceAfter()).isEqualTo(cny("100.00"));
        assertThat(charge.balanceAfter()).isEqualTo(cny("69.99"));
        assertThat(accounts.balance(account)).isEqualTo(cny("69.99"));
        assertThat(ledger.sum(account)).isEqualByComparingTo("69.99");
    }

    @Test
    void refusesAnEntryThatWouldTakeTheBalanceBelowZeroAndChangesNothing() {
        UUID account = accounts.create("ledger").id();
        post(account, "10.00");

        Optional<LedgerEntryView> overdraft = post(account, "-10.01");

        assertThat(overdraft).isEmpty();
        assertThat(accounts.balance(account)).isEqualTo(cny("10.00"));
        assertThat(ledger.count(account)).isEqualTo(1);
    }

    @Test
    void refusesEntriesForAMissingAccount() {
        assertThat(post(UUID.randomUUID(), "10.00")).isEmpty();
    }

    @Test
    void isAppendOnly() {
        UUID account = accounts.create("ledger").id();
        UUID entry = post(account, "10.00").orElseThrow().id();

        assertThatThrownBy(
                () -> jdbc.sql("UPDATE ledger_entries SET amount = 1000 WHERE id = :id").param("id", entry).update())
            .isInstanceOf(DataAccessException.class)
            .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM ledger_entries WHERE id = :id").param("id", entry).update())
            .isInstanceOf(DataAccessException.class)
            .hasMessageContaining("append-only");
        assertThat(ledger.sum(account)).isEqualByComparingTo("10.00");
    }

    @Test
    void concurrentChargesNeverOverdraw() throws Exception {
        UUID account = accounts.create("race").id();
        post(account, "100.00");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<Boolean>> charges = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            charges.add(() -> post(account, "-30.00").isPresent());
        }

        long succeeded = 0;
        for (Future<Boolean> result : pool.invokeAll(charges)) {
            succeeded += result.get() ? 1 : 0;
        }
        pool.shutdown();

        assertThat(succeeded).isEqualTo(3);
        assertThat(accounts.balance(account)).isEqualTo(cny("10.00"));
        assertThat(ledger.sum(account)).isEqualByComparingTo("10.00");
    }

    @Test
    void chargeRefusesWithInsufficientBalanceAndRefundGivesBack() {
        UUID account = accounts.create("charge").id();
        accounts.credit(account, cny("50.00"), "ref-" + UUID.randomUUID());

        assertThatThrownBy(() -> accounts.charge(account, cny("50.01"), LedgerKind.PURCHASE, "TEST", UUID.randomUUID(),
                "too much"))
            .hasFieldOrPropertyWithValue("code", io.planbilling.shared.ErrorCode.INSUFFICIENT_BALANCE);
        LedgerEntryView charged = accounts
            .charge(account, cny("20.00"), LedgerKind.PURCHASE, "TEST", UUID.randomUUID(), "ok")
            .orElseThrow();
        LedgerEntryView refunded = accounts
            .refund(account, cny("5.55"), LedgerKind.REFUND, "TEST", UUID.randomUUID(), "back")
            .orElseThrow();

        assertThat(charged.amount()).isEqualTo(cny("-20.00"));
        assertThat(refunded.amount()).isEqualTo(cny("5.55"));
        assertThat(accounts.balance(account)).isEqualTo(cny("35.55"));
        assertThat(accounts.charge(account, cny("0"), LedgerKind.PURCHASE, "TEST", UUID.randomUUID(), "free"))
            .isEmpty();
    }

    @Test
    void tryChargeReportsAShortBalanceWithoutSpoilingTheTransaction() {
        UUID account = accounts.create("try").id();
        accounts.credit(account, cny("10.00"), "ref-" + UUID.randomUUID());

        Boolean[] outcomes = transactions.execute(status -> new Boolean[] {
                accounts.tryCharge(account, cny("10.01"), LedgerKind.AUTO_RENEWAL, "TEST", UUID.randomUUID(), "short"),
                accounts.tryCharge(account, cny("4.00"), LedgerKind.AUTO_RENEWAL, "TEST", UUID.randomUUID(), "ok"),
                accounts.tryCharge(account, cny("0"), LedgerKind.AUTO_RENEWAL, "TEST", UUID.randomUUID(), "free") });

        assertThat(outcomes).containsExactly(false, true, true);
        assertThat(accounts.balance(account)).isEqualTo(cny("6.00"));
        assertThat(ledger.count(account)).isEqualTo(2);
    }

    @Test
    void movesBetweenOkAndLowOnceEachWayWithAnEventPerMove() {
        UUID account = accounts.create("low balance").id();
        jdbc.sql("UPDATE accounts SET low_balance_threshold = 50 WHERE id = :id").param("id", account).update();

        post(account, "100.00");
        post(account, "-60.00");
        post(account, "-5.00");
        post(account, "20.00");
        post(account, "-10.00");

        assertThat(jdbc
            .sql("SELECT type FROM events WHERE account_id = :id AND type LIKE 'account.balance_%' ORDER BY seq")
            .param("id", account)
            .query(String.class)
            .list()).containsExactly("account.balance_low", "account.balance_recovered", "account.balance_low");
        assertThat(jdbc.sql("SELECT balance_low FROM accounts WHERE id = :id")
            .param("id", account)
            .query(Boolean.class)
            .single()).isTrue();
    }

}
