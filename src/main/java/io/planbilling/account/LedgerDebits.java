package io.planbilling.account;

import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.EventOutbox;
import io.planbilling.shared.EventType;
import io.planbilling.shared.Money;
import io.planbilling.shared.SqlArrays;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Many debits of the prepaid balance at once, set-based (a lifecycle chunk's
 * auto-renewals): the same outcome as posting them one by one with {@link Ledger#post} in
 * the order given — each posted when the balance covers it at its turn, the balance's OK
 * → LOW transition and its {@code account.balance_low} alert at the debit that crosses
 * the threshold — in three statements whatever their number: the accounts' rows locked in
 * id order (the latest committed balances), the entries appended in one {@code INSERT},
 * the balances moved in one {@code UPDATE}. The row locks make the balances read the ones
 * the statements change; the database still settles "never below zero" (the
 * {@code CHECK}s on the balance and on every entry's {@code balance_after}), and the
 * {@code UPDATE} must land on exactly the balances computed, or the whole transaction
 * fails.
 */
@Component
class LedgerDebits {

    private final JdbcClient jdbc;

    private final BillingSettings settings;

    private final EventOutbox events;

    LedgerDebits(JdbcClient jdbc, BillingSettings settings, EventOutbox events) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.events = events;
    }

    /** An account's row as locked, and what the debits so far have done to it. */
    private static final class State {

        final String name;

        final Instant createdAt;

        final @Nullable BigDecimal threshold;

        BigDecimal balance;

        boolean low;

        BigDecimal debited = BigDecimal.ZERO;

        State(String name, Instant createdAt, BigDecimal balance, @Nullable BigDecimal threshold, boolean low) {
            this.name = name;
            this.createdAt = createdAt;
            this.balance = balance;
            this.threshold = threshold;
            this.low = low;
        }

    }

    /**
     * Posts each debit the balance covers at its turn (amounts positive); answers, in the
     * order given, which were posted. A debit of an account that does not exist is not.
     */
    List<Boolean> post(List<Accounts.Debit> debits, Instant at) {
        Map<UUID, State> states = lock(debits.stream().map(Accounts.Debit::accountId).distinct().toList());
        List<Boolean> posted = new ArrayList<>(debits.size());
        List<String> ids = new ArrayList<>();
        List<String> accounts = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        List<String> amounts = new ArrayList<>();
        List<String> balancesAfter = new ArrayList<>();
        List<String> resourceTypes = new ArrayList<>();
        List<String> resourceIds = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        for (Accounts.Debit debit : debits) {
            State state = states.get(debit.accountId());
            BigDecimal amount = debit.amount().amount();
            if (state == null || state.balance.compareTo(amount) < 0) {
                posted.add(false);
                continue;
            }
            state.balance = state.balance.subtract(amount);
            state.debited = state.debited.add(amount);
            posted.add(true);
            ids.add(UUID.randomUUID().toString());
            accounts.add(debit.accountId().toString());
            kinds.add(debit.kind().name());
            amounts.add(amount.negate().toPlainString());
            balancesAfter.add(state.balance.toPlainString());
            resourceTypes.add(debit.resourceType());
            resourceIds.add(debit.resourceId().toString());
            descriptions.add(debit.description());
            if (!state.low && state.threshold != null && state.balance.compareTo(state.threshold) < 0) {
                state.low = true;
                alertLow(debit.accountId(), state);
            }
        }
        if (ids.isEmpty()) {
            return posted;
        }
        jdbc.sql("""
                INSERT INTO ledger_entries (id, account_id, posted_at, kind, amount, balance_after, resource_type,
                                            resource_id, description)
                SELECT e.id, e.account_id, :at, e.kind, e.amount, e.balance_after, e.resource_type, e.resource_id,
                       e.description
                FROM unnest(CAST(:ids AS uuid[]), CAST(:accounts AS uuid[]), CAST(:kinds AS varchar[]),
                            CAST(:amounts AS numeric[]), CAST(:balancesAfter AS numeric[]),
                            CAST(:resourceTypes AS varchar[]), CAST(:resourceIds AS uuid[]),
                            CAST(:descriptions AS varchar[]))
                     WITH ORDINALITY AS e(id, account_id, kind, amount, balance_after, resource_type, resource_id,
                                          description, n)
                ORDER BY e.n
                """)
            .param("at", Timestamp.from(at))
            .param("ids", ids.toArray(String[]::new))
            .param("accounts", accounts.toArray(String[]::new))
            .param("kinds", kinds.toArray(String[]::new))
            .param("amounts", amounts.toArray(String[]::new))
            .param("balancesAfter", balancesAfter.toArray(String[]::new))
            .param("resourceTypes", resourceTypes.toArray(String[]::new))
            .param("resourceIds", resourceIds.toArray(String[]::new))
            .param("descriptions", descriptions.toArray(String[]::new))
            .update();
        move(states);
        return posted;
    }

    private Map<UUID, State> lock(List<UUID> accountIds) {
        Map<UUID, State> states = new HashMap<>();
        jdbc.sql("""
                SELECT id, name, created_at, balance, low_balance_threshold, balance_low FROM accounts
                WHERE id IN (SELECT unnest(CAST(:ids AS uuid[]))) ORDER BY id FOR UPDATE
                """).param("ids", SqlArrays.uuids(accountIds)).query(rs -> {
            states.put(rs.getObject("id", UUID.class),
                    new State(rs.getString("name"), rs.getTimestamp("created_at").toInstant(),
                            rs.getBigDecimal("balance"), rs.getBigDecimal("low_balance_threshold"),
                            rs.getBoolean("balance_low")));
        });
        return states;
    }

    /**
     * Moves every debited balance by its total; each must land on the balance computed.
     */
    private void move(Map<UUID, State> states) {
        List<String> ids = new ArrayList<>();
        List<String> totals = new ArrayList<>();
        List<Boolean> lows = new ArrayList<>();
        states.forEach((id, state) -> {
            if (state.debited.signum() > 0) {
                ids.add(id.toString());
                totals.add(state.debited.toPlainString());
                lows.add(state.low);
            }
        });
        Map<UUID, BigDecimal> landed = new HashMap<>();
        jdbc.sql("""
                UPDATE accounts a SET balance = a.balance - u.total, balance_low = u.low
                FROM unnest(CAST(:ids AS uuid[]), CAST(:totals AS numeric[]), CAST(:lows AS boolean[]))
                     AS u(id, total, low)
                WHERE a.id = u.id
                RETURNING a.id, a.balance
                """)
            .param("ids", ids.toArray(String[]::new))
            .param("totals", totals.toArray(String[]::new))
            .param("lows", lows.toArray(Boolean[]::new))
            .query(rs -> {
                landed.put(rs.getObject("id", UUID.class), rs.getBigDecimal("balance"));
            });
        states.forEach((id, state) -> {
            if (state.debited.signum() > 0
                    && (landed.get(id) == null || landed.get(id).compareTo(state.balance) != 0)) {
                throw new IllegalStateException("The balance of account " + id + " moved under its row lock");
            }
        });
    }

    private void alertLow(UUID accountId, State state) {
        AccountView view = new AccountView(accountId, state.name, Money.of(state.balance, settings.currency()),
                state.createdAt);
        Map<String, @Nullable Object> change = new LinkedHashMap<>();
        change.put("threshold", state.threshold == null ? null : Money.of(state.threshold, settings.currency()));
        events.record(EventType.ACCOUNT_BALANCE_LOW, accountId, Ledger.ACCOUNT_RESOURCE_TYPE, accountId, view, change);
    }

}
