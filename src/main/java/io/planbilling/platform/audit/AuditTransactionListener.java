package io.planbilling.platform.audit;

import io.planbilling.shared.Audit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;

/**
 * Hands the {@link Audit} context to PostgreSQL at the start of every new read-write
 * transaction, as the transaction-local settings {@code billing.actor} and
 * {@code billing.request_id} that the audit trail's column defaults and triggers read
 * (V30). Transaction-local ({@code set_config(..., true)}): they end with the transaction
 * and never leak to the next user of the pooled connection.
 *
 * <p>
 * Spring Boot registers every {@link TransactionExecutionListener} bean with the
 * auto-configured transaction manager, so declarative, programmatic and filter-level
 * ({@code Idempotency-Key}) transactions all carry it. It costs one statement per
 * read-write transaction; read-only transactions and transactions with no request or job
 * behind them skip it.
 */
@Component
class AuditTransactionListener implements TransactionExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(AuditTransactionListener.class);

    private final JdbcTemplate jdbc;

    AuditTransactionListener(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void afterBegin(TransactionExecution transaction, @Nullable Throwable beginFailure) {
        if (beginFailure != null || !transaction.isNewTransaction() || transaction.isReadOnly()) {
            return;
        }
        String actor = Audit.actor();
        String requestId = Audit.requestId();
        if (actor == null && requestId == null) {
            return;
        }
        try {
            jdbc.query("SELECT set_config('billing.actor', ?, true), set_config('billing.request_id', ?, true)", rs -> {
                // the row only confirms the settings
            }, actor == null ? "" : actor, requestId == null ? "" : requestId);
        }
        catch (RuntimeException ex) {
            // Never throw from here: the transaction has begun and an exception would
            // leave it bound to the thread
            // with nobody to end it. The statement only fails on a broken connection (or
            // leaves the transaction
            // aborted), so the work's own first statement fails too and the transaction
            // rolls back the usual way.
            log.warn("Could not stamp the transaction for the audit trail: {}", ex.toString());
        }
    }

}
