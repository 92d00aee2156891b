package io.planbilling.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.planbilling.shared.Audit;
import io.planbilling.shared.EventOutbox;
import io.planbilling.shared.EventType;
import io.planbilling.shared.BillingMeters;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends webhook deliveries, on every instance at once.
 *
 * <p>
 * Each poll claims due deliveries in one statement ({@code FOR UPDATE SKIP LOCKED}, then
 * a lease in {@code locked_until}), so each event goes to each endpoint from one instance
 * at a time, and a crashed instance's lease simply runs out. A delivery is claimed only
 * when no earlier delivery of the same resource to the same endpoint is still pending,
 * and only from transactions below the feed's horizon: per resource, endpoints receive
 * events in feed order. The HTTP calls run on this class's own small pool with connect
 * and request timeouts — never on a request thread, never inside a database transaction —
 * and each outcome is recorded in its own short transaction: success, or the next attempt
 * after an exponentially growing, jittered wait; after {@code max-attempts} the delivery
 * is given up, and after {@code disable-after-failures} consecutive failed attempts the
 * endpoint is disabled (with a {@code webhook_endpoint.disabled} event: the endpoint's
 * view and the attempt that tipped it, recorded in the same transaction).
 */
@Component
class WebhookDispatcher {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final EventFeed events;

    private final WebhookEndpoints endpoints;

    private final EventOutbox outbox;

    private final JsonMapper json;

    private final WebhookSettings settings;

    private final WebhookUrlPolicy urls;

    private final HttpClient http;

    private final ExecutorService senders;

    /**
     * The signature's timestamp is real time on purpose, not the (adjustable) billing
     * clock: receivers compare it with their own clocks to refuse replays, and retries,
     * leases and timeouts are about real time too.
     */
    private final Clock wallClock = Clock.systemUTC();

    private final MeterRegistry meters;

    WebhookDispatcher(JdbcClient jdbc, TransactionTemplate transactions, EventFeed events, WebhookEndpoints endpoints,
            EventOutbox outbox, JsonMapper json, WebhookSettings settings, MeterRegistry meters) {
        this.meters = meters;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.events = events;
        this.endpoints = endpoints;
        this.outbox = outbox;
        this.json = json;
        this.settings = settings;
        this.urls = new WebhookUrlPolicy(settings.allowPrivateNetworks());
        this.senders = Executors.newFixedThreadPool(settings.senders(), runnable -> {
            Thread thread = new Thread(runnable, "webhook-sender");
            thread.setDaemon(true);
            return thread;
        });
        // the client keeps its own executor: a sender blocked in send() must never wait
        // for a thread of its own pool
        this.http = HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    }

    /**
     * Dispatches until nothing more is due (at most 100 rounds), so that a resource's
     * events, which go out one after the other, do not wait a poll interval each.
     */
    @Scheduled(fixedDelayString = "${billing.webhooks.poll-interval:PT1S}")
    void poll() {
        try {
            Audit.asJob("webhook-dispatcher", () -> {
                int rounds = 0;
                while (dispatchOnce() > 0 && ++rounds < 100) {
                    // next round at once
                }
                return rounds;
            });
        }
        catch (RuntimeException ex) {
            log.warn("Webhook dispatch failed; retrying on the next poll", ex);
        }
    }

    /**
     * Claims what is due, sends it and records the outcomes; the number of deliveries
     * attempted.
     */
    public int dispatchOnce() {
        List<Claim> claims = claim();
        if (claims.isEmpty()) {
            return 0;
        }
        Map<UUID, EventView> byId = new HashMap<>();
        jdbc.sql("SELECT " + EventFeed.COLUMNS + " FROM events WHERE id = ANY (CAST(:ids AS uuid[]))")
            .param("ids", claims.stream().map(c -> c.eventId().toString()).distinct().toArray(String[]::new))
            .query(events::event)
            .list()
            .forEach(e -> byId.put(e.id(), e));
        List<Future<Outcome>> sent = new ArrayList<>();
        for (Claim claim : claims) {
            // a delivery references its event (foreign key), which is never deleted
            EventView event = Objects.requireNonNull(byId.get(claim.eventId()));
            sent.add(senders.submit(() -> send(claim, event)));
        }
        long waitMillis = settings.connectTimeout().plus(settings.requestTimeout()).plusSeconds(5).toMillis();
        for (int i = 0; i < claims.size(); i++) {
            Outcome outcome;
            try {
                outcome = sent.get(i).get(waitMillis, TimeUnit.MILLISECONDS);
            }
            catch (TimeoutException ex) {
                sent.get(i).cancel(true);
                outcome = new Outcome(null, (int) waitMillis, "timeout");
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return i;
            }
            catch (java.util.concurrent.ExecutionException ex) {
                outcome = new Outcome(null, 0, "failed: " + ex.getCause());
            }
            record(claims.get(i), outcome);
            meters
                .counter(BillingMeters.WEBHOOK_DELIVERIES, BillingMeters.OUTCOME,
                        outcome.succeeded() ? "delivered"
                                : claims.get(i).attempt() >= settings.maxAttempts() ? "failed" : "retrying")
                .increment();
        }
        return claims.size();
    }

    private record Claim(UUID deliveryId, UUID endpointId, UUID accountId, UUID eventId, int attempt, String url,
            List<String> secrets) {
    }

    private record Outcome(@Nullable Integer status, int durationMs, @Nullable String error) {

        boolean succeeded() {
            return status != null && status >= 200 && status < 300;
        }
    }

    private List<Claim> claim() {
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

    private Outcome send(Claim claim, EventView event) {
        long started = System.nanoTime();
        try {
            URI uri = urls.validate(claim.url());
            byte[] body = json.writeValueAsBytes(event);
            long timestamp = wallClock.instant().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "plan-billing-webhooks/1")
                .header(WebhookSignature.HEADER, WebhookSignature.header(timestamp, body, claim.secrets()))
                .header("Billing-Event-Id", event.id().toString())
                .header("Billing-Event-Type", event.type())
                .header("Billing-Delivery-Id", claim.deliveryId().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return new Outcome(response.statusCode(), elapsed(started), null);
        }
        catch (HttpConnectTimeoutException ex) {
            return new Outcome(null, elapsed(started), "connect timeout");
        }
        catch (HttpTimeoutException ex) {
            return new Outcome(null, elapsed(started), "timeout");
        }
        catch (IOException | RuntimeException ex) {
            return new Outcome(null, elapsed(started), truncate(ex.toString()));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new Outcome(null, elapsed(started), "interrupted");
        }
    }

    private void record(Claim claim, Outcome outcome) {
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

    private static int elapsed(long startedNanos) {
        return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startedNanos) / 1_000_000);
    }

    private static String truncate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500);
    }

    @PreDestroy
    void stop() {
        senders.shutdownNow();
    }

}
