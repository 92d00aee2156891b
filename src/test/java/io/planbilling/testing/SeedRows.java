package io.planbilling.testing;

import java.sql.Timestamp;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Seeding a storm's rows in SQL, set-based: rows gathered as {@code Object[]} and written
 * by one {@code INSERT … SELECT FROM unnest(…)} a table, each column bound as a text
 * array and cast in the statement.
 */
public final class SeedRows {

    private SeedRows() {
    }

    /** One column of the rows as array elements (text, cast in the statement). */
    public static @Nullable String[] column(List<Object[]> rows, int column) {
        return rows.stream().map(row -> row[column] == null ? null : row[column].toString()).toArray(String[]::new);
    }

    /**
     * Accounts as the API leaves them after a top-up: rows of id, balance and low-balance
     * threshold (or null), created at {@code created}, each with a positive balance
     * carrying the one {@code CREDIT} entry that explains it.
     */
    public static void fundedAccounts(JdbcClient jdbc, Timestamp created, List<Object[]> accounts) {
        jdbc.sql("""
                INSERT INTO accounts (id, name, balance, created_at, version, low_balance_threshold)
                SELECT a.id, 'storm', a.balance, :created, 0, a.threshold
                FROM unnest(CAST(:ids AS uuid[]), CAST(:balances AS numeric[]), CAST(:thresholds AS numeric[]))
                     AS a(id, balance, threshold)
                """)
            .param("created", created)
            .param("ids", column(accounts, 0))
            .param("balances", column(accounts, 1))
            .param("thresholds", column(accounts, 2))
            .update();
        jdbc.sql("""
                INSERT INTO ledger_entries (id, account_id, posted_at, kind, amount, balance_after, description)
                SELECT gen_random_uuid(), a.id, :created, 'CREDIT', a.balance, a.balance, 'Storm top-up'
                FROM unnest(CAST(:ids AS uuid[]), CAST(:balances AS numeric[])) AS a(id, balance)
                WHERE a.balance > 0
                """)
            .param("created", created)
            .param("ids", column(accounts, 0))
            .param("balances", column(accounts, 1))
            .update();
    }

}
