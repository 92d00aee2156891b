package io.planbilling.events;

import io.planbilling.shared.EventWriter;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes a transaction's events into the append-only {@code events} table and, in the
 * same statement, creates a delivery for every enabled webhook endpoint of the event's
 * account that subscribes to its type (docs/events.md, "Webhook fan-out"): an event
 * exists exactly when its deliveries do. One statement per transaction whatever the
 * number of events (a usage batch can exhaust hundreds of packages); rows keep the order
 * they were recorded in, so their sequence numbers do too. The transaction id column
 * defaults to the writing transaction's, which is the change's own: that is what keeps
 * the feed from skipping a late commit.
 */
@Component
class EventTable implements EventWriter {

    private final JdbcClient jdbc;

    EventTable(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void write(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        String[] types = new String[n];
        int[] versions = new int[n];
        String[] accounts = new String[n];
        String[] resourceTypes = new String[n];
        String[] resources = new String[n];
        String[] occurred = new String[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            types[i] = row.type();
            versions[i] = row.version();
            accounts[i] = row.accountId().toString();
            resourceTypes[i] = row.resourceType();
            resources[i] = row.resourceId().toString();
            occurred[i] = row.occurredAt().toString();
            payloads[i] = row.payload();
        }
        jdbc.sql("""
                WITH written AS (
                    INSERT INTO events (type, version, account_id, resource_type, resource_id, occurred_at, payload)
                    SELECT e.type, e.version, e.account_id, e.resource_type, e.resource_id, e.occurred_at, e.payload
                    FROM unnest(CAST(:types AS varchar[]), CAST(:versions AS integer[]), CAST(:accounts AS uuid[]),
                                CAST(:resourceTypes AS varchar[]), CAST(:resources AS uuid[]),
                                CAST(:occurred AS timestamptz[]), CAST(:payloads AS jsonb[])) WITH ORDINALITY
                         AS e(type, version, account_id, resource_type, resource_id, occurred_at, payload, n)
                    ORDER BY e.n
                    RETURNING id, tx, seq, type, account_id, resource_id)
                INSERT INTO webhook_deliveries (endpoint_id, event_id, event_tx, event_seq, resource_id, status,
                                                next_attempt_at)
                SELECT w.id, e.id, e.tx, e.seq, e.resource_id, 'PENDING', now()
                FROM written e
                JOIN webhook_endpoints w ON w.account_id = e.account_id AND w.enabled AND w.deleted_at IS NULL
                                         AND (e.type = ANY (w.event_types) OR '*' = ANY (w.event_types))
                """)
            .param("types", types)
            .param("versions", versions)
            .param("accounts", accounts)
            .param("resourceTypes", resourceTypes)
            .param("resources", resources)
            .param("occurred", occurred)
            .param("payloads", payloads)
            .update();
    }

}
