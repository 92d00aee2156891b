package io.planbilling.testing;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A row the database refuses to write: a trigger that raises a check violation when one
 * row is inserted or updated, so that one chunk of a set-based job fails while the others
 * commit. {@link #close()} drops it (before a retry, and in any case at the end of the
 * test); closing twice is harmless.
 */
public final class PoisonedRow implements AutoCloseable {

    private final JdbcClient jdbc;

    private final String table;

    private final String name;

    private boolean dropped;

    private PoisonedRow(JdbcClient jdbc, String table, String operation, String condition) {
        this.jdbc = jdbc;
        this.table = table;
        this.name = table + "_poison";
        jdbc.sql("CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "RAISE EXCEPTION 'poisoned % of %', TG_OP, TG_TABLE_NAME USING ERRCODE = 'check_violation'; END $$")
            .update();
        jdbc.sql("CREATE TRIGGER " + name + " BEFORE " + operation + " ON " + table + " FOR EACH ROW WHEN (" + condition
                + ") EXECUTE FUNCTION " + name + "()")
            .update();
    }

    /** Refuses to update the row of {@code table} with this {@code id}. */
    public static PoisonedRow update(JdbcClient jdbc, String table, UUID id) {
        return new PoisonedRow(jdbc, table, "UPDATE", "OLD.id = '" + id + "'");
    }

    /**
     * Refuses to insert a row of {@code table} whose {@code column} holds {@code value}.
     */
    public static PoisonedRow insert(JdbcClient jdbc, String table, String column, UUID value) {
        return new PoisonedRow(jdbc, table, "INSERT", "NEW." + column + " = '" + value + "'");
    }

    /** Lets the row be written again. */
    @Override
    public void close() {
        if (!dropped) {
            jdbc.sql("DROP TRIGGER IF EXISTS " + name + " ON " + table).update();
            jdbc.sql("DROP FUNCTION IF EXISTS " + name + "()").update();
            dropped = true;
        }
    }

}
