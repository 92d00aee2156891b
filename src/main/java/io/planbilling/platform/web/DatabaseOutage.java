package io.planbilling.platform.web;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.hibernate.TransactionException;
import org.hibernate.exception.JDBCConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Recognises a failure caused by the database being unreachable, wherever it surfaces: a
 * connection refused or not available in time from the pool
 * ({@code CannotGetJdbcConnectionException}, {@code CannotCreateTransactionException},
 * Hibernate's {@code JDBCConnectionException}), a session the server terminated (SQLState
 * {@code 57P01} "terminating connection due to administrator command", {@code 57P02},
 * {@code 57P03}), a connection error of SQLState class {@code 08}, or a transaction that
 * could not be ended on its JDBC connection: when the server drops a session
 * mid-transaction the pool closes the connection, and the rollback then fails with a bare
 * {@code SQLException} ("Connection is closed", no SQLState) that Spring reports as a
 * {@code JpaSystemException} (Hibernate's {@code TransactionException}) or a
 * {@code TransactionSystemException}, while the original error is only logged. The whole
 * cause chain is searched, because the framework wraps these in exceptions of its own.
 */
final class DatabaseOutage {

    static final String DETAIL = "The service cannot reach its database right now; retry shortly.";
    static final String RETRY_AFTER_SECONDS = "5";

    private static final Set<String> SERVER_GONE = Set.of("57P01", "57P02", "57P03");

    private static final String CLOSED_BY_POOL = "Connection is closed";

    private DatabaseOutage() {
    }

    static boolean causedBy(Throwable failure) {
        return Causes.anyMatch(failure, DatabaseOutage::isOutage);
    }

    private static boolean isOutage(Throwable cause) {
        if (cause instanceof DataAccessResourceFailureException || cause instanceof CannotCreateTransactionException
                || cause instanceof JDBCConnectionException || cause instanceof SQLTransientConnectionException
                || cause instanceof SQLNonTransientConnectionException || cause instanceof ConnectException) {
            return true;
        }
        if ((cause instanceof TransactionException || cause instanceof TransactionSystemException)
                && cause.getCause() instanceof SQLException) {
            return true;
        }
        if (cause instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("08") || SERVER_GONE.contains(sql.getSQLState()))) {
            return true;
        }
        // HikariCP's answer to any use of a connection it has already closed because the
        // server dropped it (no SQLState): the next statement of the same transaction
        // fails this way, not with the original error
        return cause instanceof SQLException sql && sql.getSQLState() == null
                && CLOSED_BY_POOL.equals(sql.getMessage());
    }

}
