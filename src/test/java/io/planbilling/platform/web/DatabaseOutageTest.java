package io.planbilling.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.hibernate.TransactionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The failures a PostgreSQL restart produced in {@code DatabaseOutageIT}, and some that
 * must stay what they are.
 */
class DatabaseOutageTest {

    @Test
    void recognisesWhatAnOutageThrows() {
        SQLException refused = new SQLException("Connection to localhost:5432 refused.", "08001",
                new ConnectException("Connection refused"));
        assertThat(DatabaseOutage.causedBy(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                new SQLTransientConnectionException("Connection is not available, request timed out after 5000ms"))))
            .isTrue();
        assertThat(DatabaseOutage
            .causedBy(new CannotCreateTransactionException("Could not open JPA EntityManager", refused))).isTrue();
        assertThat(DatabaseOutage.causedBy(new DataAccessResourceFailureException("PreparedStatementCallback",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01"))))
            .isTrue();
        assertThat(DatabaseOutage.causedBy(new IllegalStateException(new RuntimeException(refused)))).isTrue();
        // the rollback on a connection the pool closed after the server dropped it: no
        // SQLState at all
        assertThat(DatabaseOutage
            .causedBy(new JpaSystemException(new TransactionException("Unable to rollback against JDBC Connection",
                    new SQLException("Connection is closed")))))
            .isTrue();
        // the next statement on such a connection, as seen in a later outage run (a read,
        // and the test clock's query)
        assertThat(DatabaseOutage.causedBy(new org.springframework.orm.jpa.JpaSystemException(new RuntimeException(
                "Could not prepare statement [Connection is closed]", new SQLException("Connection is closed")))))
            .isTrue();
        assertThat(DatabaseOutage
            .causedBy(new org.springframework.jdbc.UncategorizedSQLException("PreparedStatementCallback",
                    "SELECT offset_micros FROM billing_clock WHERE id = 1", new SQLException("Connection is closed"))))
            .isTrue();
    }

    @Test
    void leavesOtherFailuresAlone() {
        assertThat(DatabaseOutage.causedBy(new IllegalStateException("bug"))).isFalse();
        assertThat(DatabaseOutage.causedBy(new DataIntegrityViolationException("duplicate key",
                new SQLException("duplicate key value violates unique constraint", "23505"))))
            .isFalse();
        assertThat(DatabaseOutage.causedBy(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(DatabaseOutage.causedBy(new SQLException("Connection is closed", "42000"))).isFalse();
    }

}
