package io.planbilling.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planbilling.shared.Audit;
import io.planbilling.shared.Caller;
import io.planbilling.testing.PostgresJdbcTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail on real PostgreSQL (a JDBC slice): every read-write transaction is
 * stamped with its actor and request id, which the database's column defaults and
 * triggers (V30) write beside each ledger entry and into {@code audit_log} for each
 * changed row; a transaction without a cause is the system's, the stamp ends with its
 * transaction, and the trail cannot be edited.
 */
@PostgresJdbcTest
@Import(AuditTransactionListener.class)
class AuditTrailSqlTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @AfterEach
    void forgetTheCaller() {
        SecurityContextHolder.clearContext();
        MDC.clear();
    }

    /** An account and a credit, written in one transaction as a request would. */
    private UUID write() {
        UUID account = UUID.randomUUID();
        transactions.executeWithoutResult(status -> {
            jdbc.sql("INSERT INTO accounts (id, name, created_at, version) VALUES (:id, 'audited', now(), 0)")
                .param("id", account)
                .update();
            jdbc.sql("UPDATE accounts SET balance = 10 WHERE id = :id").param("id", account).update();
            jdbc.sql("""
                    INSERT INTO ledger_entries (id, account_id, posted_at, kind, amount, balance_after, description)
                    VALUES (:id, :account, now(), 'CREDIT', 10, 10, 'audited credit')""")
                .param("id", UUID.randomUUID())
                .param("account", account)
                .update();
        });
        return account;
    }

    private Map<String, Object> entry(UUID account) {
        return jdbc.sql("SELECT actor, request_id FROM ledger_entries WHERE account_id = :account")
            .param("account", account)
            .query()
            .singleRow();
    }

    private Map<String, Object> trail(UUID account) {
        return jdbc.sql("""
                SELECT string_agg(DISTINCT actor, ',') AS actor, string_agg(DISTINCT request_id, ',') AS request_id,
                       string_agg(operation, ',' ORDER BY id) AS operations
                FROM audit_log WHERE table_name = 'accounts' AND resource_id = :account""")
            .param("account", account.toString())
            .query()
            .singleRow();
    }

    @Test
    void aRequestsWritesCarryTheAccountKeyAndTheRequestId() {
        UUID key = UUID.randomUUID();
        SecurityContextHolder.getContext()
            .setAuthentication(new TestingAuthenticationToken(Caller.account(UUID.randomUUID(), key), null));
        MDC.put(Audit.REQUEST_ID, "req-audit-1");

        UUID account = write();

        assertThat(entry(account)).containsEntry("actor", "account-key:" + key)
            .containsEntry("request_id", "req-audit-1");
        assertThat(trail(account)).containsEntry("actor", "account-key:" + key)
            .containsEntry("request_id", "req-audit-1")
            .containsEntry("operations", "INSERT,UPDATE");
    }

    @Test
    void theOperatorsWritesCarryTheOperator() {
        SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken(Caller.operator(), null));
        MDC.put(Audit.REQUEST_ID, "req-audit-2");

        UUID account = write();

        assertThat(entry(account)).containsEntry("actor", "operator").containsEntry("request_id", "req-audit-2");
    }

    @Test
    void aJobsWritesCarryItsNameAndItsRunId() {
        UUID account = Audit.asJob("slice-job", this::write);

        Map<String, Object> entry = entry(account);
        assertThat(entry).containsEntry("actor", "job:slice-job");
        assertThat((String) entry.get("request_id")).startsWith("slice-job-");
        assertThat(trail(account)).containsEntry("actor", "job:slice-job")
            .containsEntry("request_id", entry.get("request_id"));
    }

    @Test
    void aWriteWithoutACauseIsTheSystemsAndAStampEndsWithItsTransaction() {
        MDC.put(Audit.REQUEST_ID, "req-audit-3");
        write();
        MDC.clear();

        UUID account = write();

        assertThat(entry(account)).containsEntry("actor", "system").containsEntry("request_id", null);
        String leftOver = transactions
            .execute(status -> jdbc.sql("SELECT audit_request_id()").query(String.class).optional().orElse(null));
        assertThat(leftOver).isNull();
    }

    @Test
    void theTrailCannotBeEditedOrErased() {
        UUID account = write();

        assertThatThrownBy(() -> jdbc
            .sql("UPDATE audit_log SET actor = 'someone else' WHERE table_name = 'accounts' AND resource_id = :id")
            .param("id", account.toString())
            .update()).isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_log WHERE resource_id = :id")
            .param("id", account.toString())
            .update()).isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
    }

}
