package io.planbilling.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planbilling.testing.PostgresJdbcTest;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The preview mechanism on real PostgreSQL (a JDBC slice): the real operation runs, with
 * its rules and the database's constraints, and answers what it would do; nothing it
 * wrote is kept, no event included, even when the caller's own transaction commits.
 */
@PostgresJdbcTest
@Import(Previews.class)
class PreviewsTest {

    private static final Currency CNY = Currency.getInstance("CNY");

    @Autowired
    Previews previews;

    @Autowired
    EventOutbox events;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    private UUID account(String balance) {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO accounts (id, name, balance, created_at, version) VALUES (:id, 'preview', :b, now(), 0)")
            .param("id", id)
            .param("b", new BigDecimal(balance))
            .update();
        return id;
    }

    private BigDecimal charge(UUID account, String amount) {
        BigDecimal balance = jdbc
            .sql("UPDATE accounts SET balance = balance - :amount WHERE id = :id RETURNING balance")
            .param("amount", new BigDecimal(amount))
            .param("id", account)
            .query(BigDecimal.class)
            .single();
        events.record(EventType.CREDIT_CREATED, account, "ACCOUNT", account, Map.of("balance", balance));
        return balance;
    }

    private BigDecimal balance(UUID account) {
        return jdbc.sql("SELECT balance FROM accounts WHERE id = :id")
            .param("id", account)
            .query(BigDecimal.class)
            .single();
    }

    private long events(UUID account) {
        return jdbc.sql("SELECT count(*) FROM events WHERE account_id = :id")
            .param("id", account)
            .query(Long.class)
            .single();
    }

    @Test
    void answersWhatTheOperationWouldDoAndKeepsNothing() {
        UUID account = account("10.00");

        BigDecimal after = previews.dryRun(() -> charge(account, "4.00"));

        assertThat(after).isEqualByComparingTo("6.00");
        assertThat(balance(account)).isEqualByComparingTo("10.00");
        assertThat(events(account)).isZero();
    }

    @Test
    void keepsNothingEvenInsideACallersTransactionThatCommits() {
        UUID account = account("10.00");

        transactions.executeWithoutResult(status -> previews.dryRun(() -> charge(account, "4.00")));

        assertThat(balance(account)).isEqualByComparingTo("10.00");
        assertThat(events(account)).isZero();
    }

    @Test
    void appliesTheDatabasesConstraintsAsTheRealCallWould() {
        UUID account = account("1.00");

        assertThatThrownBy(() -> previews.dryRun(() -> charge(account, "4.00")))
            .isInstanceOf(DataIntegrityViolationException.class)
            .hasMessageContaining("accounts_balance_not_negative");
        assertThatThrownBy(() -> previews.dryRun(() -> {
            throw ProblemException.invalid("amount", "is too large");
        })).isInstanceOf(ProblemException.class);
        assertThat(balance(account)).isEqualByComparingTo("1.00");
    }

    @Test
    void runsForRealWithoutThePreviewFlag() {
        UUID account = account("10.00");

        transactions.executeWithoutResult(status -> previews.run(false, () -> charge(account, "4.00")));
        BigDecimal previewed = previews.run(true, () -> charge(account, "1.00"));

        assertThat(previewed).isEqualByComparingTo("5.00");
        assertThat(balance(account)).isEqualByComparingTo("6.00");
        assertThat(events(account)).isEqualTo(1);
    }

    @Test
    void answersTheQuoteWhenPreviewingAndTheResultOtherwise() {
        Quote<String> quote = new Quote<>(Money.zero(CNY), Money.zero(CNY), Money.zero(CNY), "result");

        assertThat(previews.answer(true, () -> quote)).isSameAs(quote);
        assertThat(previews.answer(false, () -> quote)).isEqualTo("result");
    }

    @Test
    void aNewResourceIsCreatedAtItsLocationUnlessPreviewed() {
        Quote<String> quote = new Quote<>(Money.zero(CNY), Money.zero(CNY), Money.zero(CNY), "42");

        ResponseEntity<Object> previewed = previews.created(true, () -> quote, id -> "/api/v1/things/" + id);
        ResponseEntity<Object> created = previews.created(false, () -> quote, id -> "/api/v1/things/" + id);

        assertThat(previewed.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(previewed.getBody()).isSameAs(quote);
        assertThat(previewed.getHeaders().getLocation()).isNull();
        assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(created.getBody()).isEqualTo("42");
        assertThat(created.getHeaders().getLocation()).hasToString("/api/v1/things/42");
    }

}
