package io.planbilling.events;

import io.planbilling.shared.EventOutbox;
import io.planbilling.shared.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The webhook deliveries' state in the database, for {@link WebhookDispatcher}: claiming
 * what is due and recording each attempt's outcome.
 *
 * <p>
 * A claim takes due deliveries in one statement ({@code FOR UPDATE SKIP LOCKED}, then a
 * lease in {@code locked_until}), so each event goes to each endpoint from one instance
 * at a time, and a crashed instance's lease simply runs out. A delivery is claimed only
 * when no earlier delivery of the same resource to the same endpoint is still pending,
 * and only from transactions below the feed's horizon: per resource, endpoints receive
 * events in feed order. Each outcome is recorded in its own short transaction: success,
 * or the next attempt after an exponentially growing, jittered wait; after
 * {@code max-attempts} the delivery is given up, and after {@code disable-after-failures}
 * consecutive failed attempts the endpoint is disabled (with a
 * {@code webhook_endpoint.disabled} event: the endpoint's view and the attempt that
 * tipped it, recorded in the same transaction).
 */
@Component
class WebhookDeliveryRepository {

    private static final Logger log = LoggerFactory.getLogger(WebhookDeliveryRepository.class);

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final WebhookEndpoints endpoints;

    private final EventOutbox outbox;

    private final WebhookSettings settings;

    WebhookDeliveryRepository(JdbcClient jdbc, TransactionTemplate transactions, WebhookEndpoints endpoints,
            EventOutbox outbox, WebhookSettings settings) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.endpoints = endpoints;
        this.outbox = outbox;
        this.settings = settings;
    }

    /** A claimed delivery: which event goes where, signed with which secrets. */
    record Claim(UUID deliveryId, UUID endpointId, UUID accountId, UUID eventId, int attempt, String url,
            List<String> secrets) {
    }

    /** What one attempt got: a status code, or an error without one. */
    record Outcome(@Nullable Integer status, int durationMs, @Nullable String error) {

        boolean succeeded() {
            return status != null && status >= 200 && status < 300;
        }
    }

    /** Claims the due deliveries, leased to this instance. */
    List<Claim> claim() {
        return jdbc.sql("""
                WITH due AS (
                    SELECT d.id FROM webhook_deliveries d
                    JOIN webhook_endpoints w ON w.id = d.endpoint_id AND w.enabled AND w.deleted_at IS NULL
                    WHERE d.status = 'PENDING' AND d.next_attempt_at <= now()
                      AND (d.locked_until IS NULL OR d.locked_until < now())
                      AND d.event_tx < pg_snapshot_xmin(pg_current_snapshot())
                      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p
                                      WHERE p.endpoint_id = d.endpoint_id AND p.resource_id = d.resource_id
                                        AND p.status = 'PENDING'
                                        AND (p.event_tx, p.event_seq) < (d.event_tx, d.event_seq))
                    ORDER BY d.event_tx, d.event_seq
                    LIMIT :batch
                    FOR UPDATE OF d SKIP LOCKED)
                UPDATE webhook_deliveries d SET locked_until = now() + CAST(:lease AS interval),
                    attempts = d.attempts + 1
                FROM due, webhook_endpoints w
                WHERE d.id = due.id AND w.id = d.endpoint_id
                RETURNING d.id, d.endpoint_id, w.account_id, d.event_id, d.attempts, w.url, w.secret,
                    CASE WHEN w.previous_secret_expires_at > now() THEN w.previous_secret END AS previous_secret
                """)
            .param("batch", settings.batchSize())
            .param("lease", settings.lease().toMillis() + " milliseconds")
            .query((rs, row) -> {
                List<String> secrets = new ArrayList<>(List.of(rs.getString("secret")));
                if (rs.getString("previous_secret") != null) {
                    secrets.add(rs.getString("previous_secret"));
                }
                return new Claim(rs.getObject("id", UUID.class), rs.getObject("endpoint_id", UUID.class),
                        rs.getObject("account_id", UUID.class), rs.getObject("event_id", UUID.class),
                        rs.getInt("attempts"), rs.getString("url"), List.copyOf(secrets));
            })
            .list();
    }

    /** Records the outcome of the attempt at {@code claim}. */
    void record(Claim claim, Outcome outcome) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("""
                    INSERT INTO webhook_delivery_attempts (delivery_id, attempted_at, status_code, duration_ms, error)
                    VALUES (:delivery, now(), :status, :duration, :error)
                    """)
                .param("delivery", claim.deliveryId())
                .param("status", outcome.status())
                .param("duration", outcome.durationMs())
                .param("error", outcome.error())
                .update();
            if (outcome.succeeded()) {
                jdbc.sql("UPDATE webhook_deliveries SET status = 'SUCCEEDED', last_status_code = :status,"
                        + " locked_until = NULL WHERE id = :id")
                    .param("status", outcome.status())
                    .param("id", claim.deliveryId())
                    .update();
                jdbc.sql("UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = :id"
                        + " AND consecutive_failures <> 0")
                    .param("id", claim.endpointId())
                    .update();
                return;
            }
            Duration wait = jittered(settings.backoff(claim.attempt()));
            jdbc.sql("""
                    UPDATE webhook_deliveries SET
                        status = CASE WHEN attempts >= :max THEN 'FAILED' ELSE 'PENDING' END,
                        next_attempt_at = now() + CAST(:wait AS interval), last_status_code = :status,
                        locked_until = NULL
                    WHERE id = :id
                    """)
                .param("max", settings.maxAttempts())
                .param("wait", wait.toMillis() + " milliseconds")
                .param("status", outcome.status())
                .param("id", claim.deliveryId())
                .update();
            int failures = jdbc
                .sql("UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1"
                        + " WHERE id = :id RETURNING consecutive_failures")
                .param("id", claim.endpointId())
                .query(Integer.class)
                .single();
            if (failures >= settings.disableAfterFailures()) {
                int disabled = jdbc
                    .sql("UPDATE webhook_endpoints SET enabled = false,"
                            + " disabled_reason = 'TOO_MANY_FAILURES' WHERE id = :id AND enabled")
                    .param("id", claim.endpointId())
                    .update();
                if (disabled == 1) {
                    log.warn("Webhook endpoint {} disabled after {} consecutive failed attempts", claim.endpointId(),
                            failures);
                    Map<String, @Nullable Object> change = new LinkedHashMap<>();
                    change.put("lastStatusCode", outcome.status());
                    change.put("lastError", outcome.error());
                    outbox.record(EventType.WEBHOOK_ENDPOINT_DISABLED, claim.accountId(), "WEBHOOK_ENDPOINT",
                            claim.endpointId(), endpoints.get(claim.accountId(), claim.endpointId()), change);
                }
            }
        });
    }

    private Duration jittered(Duration wait) {
        int cut = settings.jitterPercent() == 0 ? 0 : ThreadLocalRandom.current().nextInt(settings.jitterPercent() + 1);
        return wait.multipliedBy(100 - cut).dividedBy(100);
    }

}
