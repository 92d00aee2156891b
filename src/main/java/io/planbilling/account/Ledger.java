package io.planbilling.account;

import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.EventOutbox;
import io.planbilling.shared.EventType;
import io.planbilling.shared.Money;
import io.planbilling.shared.PageQuery;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The append-only ledger. {@link #post} changes the balance and appends the entry in one
 * SQL statement: the {@code UPDATE} takes the account's row lock and re-checks "not below
 * zero" against the latest committed balance, so concurrent charges from any number of
 * instances serialise in the database and none can overdraw.
 */
@Component
class Ledger {

    static final String RESOURCE_TYPE = "LEDGER_ENTRY";

    /** The resource of the balance's events: the account itself. */
    static final String ACCOUNT_RESOURCE_TYPE = "ACCOUNT";

    private static final String COLUMNS = """
            id, posted_at, kind, amount, balance_after, resource_type, resource_id, description, reference, actor,
            request_id""";

    private final JdbcClient jdbc;

    private final BillingSettings settings;

    private final EventOutbox events;

    Ledger(JdbcClient jdbc, BillingSettings settings, EventOutbox events) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.events = events;
    }

    /**
     * Appends an entry of {@code amount} (signed) and moves the balance by it, unless
     * that would take the balance below zero or the account does not exist: then nothing
     * changes and the result is empty. A credit records {@code credit.created} and a
     * refund {@code refund.created}, with the entry as the ledger shows it.
     *
     * <p>
     * The same statement moves the account between OK and LOW against its low-balance
     * threshold (docs/alerts.md), under the row lock that the balance change takes: a
     * debit that leaves the balance below the threshold moves OK → LOW and records
     * {@code account.balance_low}; a credit or refund that leaves it at or above (or
     * finds the threshold turned off) moves LOW → OK and records
     * {@code account.balance_recovered}; nothing else moves it, so the two alternate. The
     * state before is read by locking the row first (its latest version, whatever
     * committed meanwhile), so concurrent postings see each transition once.
     */
    Optional<LedgerEntryView> post(UUID accountId, Instant at, LedgerKind kind, Money amount,
            @Nullable String resourceType, @Nullable UUID resourceId, String description, @Nullable String reference) {
        return jdbc.sql("""
                WITH before AS (
                    SELECT id, balance_low FROM accounts
                    WHERE id = :accountId AND balance + :amount >= 0
                    FOR UPDATE),
                account AS (
                    UPDATE accounts a SET balance = a.balance + :amount,
                        balance_low = CASE
                            WHEN :amount < 0 AND a.balance + :amount < a.low_balance_threshold THEN true
                            WHEN :amount > 0 AND (a.low_balance_threshold IS NULL
                                                  OR a.balance + :amount >= a.low_balance_threshold) THEN false
                            ELSE a.balance_low END
                    FROM before
                    WHERE a.id = before.id AND a.balance + :amount >= 0
                    RETURNING a.balance, a.name, a.created_at, a.low_balance_threshold, a.balance_low,
                              before.balance_low AS was_low),
                entry AS (
                    INSERT INTO ledger_entries (id, account_id, posted_at, kind, amount, balance_after, resource_type,
                                                resource_id, description, reference)
                    SELECT :id, :accountId, :at, :kind, :amount, account.balance, :resourceType, :resourceId,
                           :description, :reference
                    FROM account
                    RETURNING\s""" + COLUMNS + """
                )
                SELECT entry.*, account.name AS account_name, account.created_at AS account_created_at,
                       account.low_balance_threshold, account.balance_low, account.was_low
                FROM entry CROSS JOIN account
                """)
            .param("id", UUID.randomUUID())
            .param("accountId", accountId)
            .param("at", Timestamp.from(at))
            .param("kind", kind.name())
            .param("amount", amount.amount())
            .param("resourceType", resourceType)
            .param("resourceId", resourceId)
            .param("description", description)
            .param("reference", reference)
            .query((rs, row) -> {
                LedgerEntryView entry = entry(rs, row);
                if (kind == LedgerKind.CREDIT || kind == LedgerKind.REFUND) {
                    events.record(kind == LedgerKind.CREDIT ? EventType.CREDIT_CREATED : EventType.REFUND_CREATED,
                            accountId, RESOURCE_TYPE, entry.id(), entry);
                }
                boolean low = rs.getBoolean("balance_low");
                if (low != rs.getBoolean("was_low")) {
                    AccountView view = new AccountView(accountId, rs.getString("account_name"), entry.balanceAfter(),
                            rs.getTimestamp("account_created_at").toInstant());
                    BigDecimal threshold = rs.getBigDecimal("low_balance_threshold");
                    Map<String, @Nullable Object> change = new LinkedHashMap<>();
                    change.put("threshold", threshold == null ? null : Money.of(threshold, settings.currency()));
                    events.record(low ? EventType.ACCOUNT_BALANCE_LOW : EventType.ACCOUNT_BALANCE_RECOVERED, accountId,
                            ACCOUNT_RESOURCE_TYPE, accountId, view, change);
                }
                return entry;
            })
            .optional();
    }

    List<LedgerEntryView> page(UUID accountId, PageQuery page) {
        return jdbc
            .sql("SELECT " + COLUMNS + " FROM ledger_entries WHERE account_id = :accountId"
                    + " ORDER BY seq DESC LIMIT :limit OFFSET :offset")
            .param("accountId", accountId)
            .param("limit", page.size())
            .param("offset", page.offset())
            .query(this::entry)
            .list();
    }

    long count(UUID accountId) {
        return jdbc.sql("SELECT count(*) FROM ledger_entries WHERE account_id = :accountId")
            .param("accountId", accountId)
            .query(Long.class)
            .single();
    }

    /**
     * Entries other than credits in {@code [from, to)}, oldest first: the prepaid part of
     * a bill.
     */
    List<LedgerEntryView> charges(UUID accountId, Instant from, Instant to) {
        return jdbc
            .sql("SELECT " + COLUMNS + " FROM ledger_entries WHERE account_id = :accountId"
                    + " AND kind <> 'CREDIT' AND posted_at >= :from AND posted_at < :to ORDER BY seq")
            .param("accountId", accountId)
            .param("from", Timestamp.from(from))
            .param("to", Timestamp.from(to))
            .query(this::entry)
            .list();
    }

    /** The sum of all of the account's entries (what the balance must always equal). */
    BigDecimal sum(UUID accountId) {
        return jdbc.sql("SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE account_id = :accountId")
            .param("accountId", accountId)
            .query(BigDecimal.class)
            .single();
    }

    private LedgerEntryView entry(ResultSet rs, int row) throws SQLException {
        return new LedgerEntryView(rs.getObject("id", UUID.class), rs.getTimestamp("posted_at").toInstant(),
                LedgerKind.valueOf(rs.getString("kind")), Money.of(rs.getBigDecimal("amount"), settings.currency()),
                Money.of(rs.getBigDecimal("balance_after"), settings.currency()), rs.getString("resource_type"),
                rs.getObject("resource_id", UUID.class), rs.getString("description"), rs.getString("reference"),
                rs.getString("actor"), rs.getString("request_id"));
    }

}
