package io.planbilling.events;

import io.planbilling.shared.PageQuery;
import io.planbilling.shared.PageView;
import io.planbilling.shared.ProblemException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * An account's webhook endpoints: registration, changes, secret rotation, the delivery
 * log and redelivery.
 */
@Service
class WebhookEndpoints {

    static final Duration MAX_OVERLAP = Duration.ofDays(7);

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final String COLUMNS = """
            id, url, event_types, enabled, disabled_reason, consecutive_failures, previous_secret_expires_at,
            created_at""";

    private final JdbcClient jdbc;

    private final Clock clock;

    private final WebhookUrlPolicy urls;

    WebhookEndpoints(JdbcClient jdbc, Clock clock, WebhookSettings settings) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.urls = new WebhookUrlPolicy(settings.allowPrivateNetworks());
    }

    @Transactional
    public WebhookEndpointView create(UUID accountId, String url, List<String> eventTypes, @Nullable Boolean enabled) {
        urls.validate(url);
        String[] types = types(eventTypes);
        UUID id = UUID.randomUUID();
        String secret = newSecret();
        jdbc.sql("""
                INSERT INTO webhook_endpoints (id, account_id, url, event_types, enabled, secret, created_at)
                VALUES (:id, :account, :url, CAST(:types AS varchar[]), :enabled, :secret, :at)
                """)
            .param("id", id)
            .param("account", accountId)
            .param("url", url)
            .param("types", types)
            .param("enabled", enabled == null || enabled)
            .param("secret", secret)
            .param("at", Timestamp.from(clock.instant()))
            .update();
        return get(accountId, id).withSecret(secret);
    }

    @Transactional(readOnly = true)
    public PageView<WebhookEndpointView> list(UUID accountId, PageQuery page) {
        List<WebhookEndpointView> content = jdbc.sql("SELECT " + COLUMNS + " FROM webhook_endpoints"
                + " WHERE account_id = :account AND deleted_at IS NULL ORDER BY seq DESC LIMIT :limit OFFSET :offset")
            .param("account", accountId)
            .param("limit", page.size())
            .param("offset", page.offset())
            .query(WebhookEndpoints::endpoint)
            .list();
        long total = jdbc
            .sql("SELECT count(*) FROM webhook_endpoints WHERE account_id = :account" + " AND deleted_at IS NULL")
            .param("account", accountId)
            .query(Long.class)
            .single();
        return PageView.of(content, page, total);
    }

    @Transactional(readOnly = true)
    public WebhookEndpointView get(UUID accountId, UUID id) {
        return jdbc
            .sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE id = :id AND account_id = :account"
                    + " AND deleted_at IS NULL")
            .param("id", id)
            .param("account", accountId)
            .query(WebhookEndpoints::endpoint)
            .optional()
            .orElseThrow(() -> ProblemException.notFound("Webhook endpoint", id));
    }

    /** Changes what is given; enabling again starts a fresh run of failures. */
    @Transactional
    public WebhookEndpointView update(UUID accountId, UUID id, @Nullable String url, @Nullable List<String> eventTypes,
            @Nullable Boolean enabled) {
        lock(accountId, id);
        if (url != null) {
            urls.validate(url);
        }
        jdbc.sql("""
                UPDATE webhook_endpoints SET
                    url = coalesce(:url, url),
                    event_types = coalesce(CAST(:types AS varchar[]), event_types),
                    enabled = coalesce(:enabled, enabled),
                    disabled_reason = CASE WHEN :enabled THEN NULL ELSE disabled_reason END,
                    consecutive_failures = CASE WHEN :enabled THEN 0 ELSE consecutive_failures END
                WHERE id = :id
                """)
            .param("url", url)
            .param("types", eventTypes == null ? null : types(eventTypes))
            .param("enabled", enabled)
            .param("id", id)
            .update();
        return get(accountId, id);
    }

    /** Removes the endpoint; its pending deliveries are not sent. */
    @Transactional
    public void delete(UUID accountId, UUID id) {
        lock(accountId, id);
        jdbc.sql("UPDATE webhook_endpoints SET deleted_at = :at, enabled = false WHERE id = :id")
            .param("at", Timestamp.from(clock.instant()))
            .param("id", id)
            .update();
    }

    /**
     * A new secret, shown once; deliveries are signed with the old one too until
     * {@code overlap} from now (wall clock), so receivers can switch without missing a
     * delivery.
     */
    @Transactional
    public WebhookEndpointView rotateSecret(UUID accountId, UUID id, Duration overlap) {
        if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
            throw ProblemException.invalid("overlap", "must be between PT0S and P7D");
        }
        lock(accountId, id);
        String secret = newSecret();
        jdbc.sql("""
                UPDATE webhook_endpoints SET previous_secret = secret, secret = :secret,
                    previous_secret_expires_at = now() + CAST(:overlap AS interval)
                WHERE id = :id
                """)
            .param("secret", secret)
            .param("overlap", overlap.toMillis() + " milliseconds")
            .param("id", id)
            .update();
        return get(accountId, id).withSecret(secret);
    }

    @Transactional(readOnly = true)
    public PageView<WebhookDeliveryView> deliveries(UUID accountId, UUID endpointId, PageQuery page) {
        get(accountId, endpointId);
        List<WebhookDeliveryView> content = new ArrayList<>(jdbc.sql("""
                SELECT d.id, d.event_id, e.type, d.status, d.attempts, d.next_attempt_at, d.last_status_code,
                       d.created_at
                FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
                WHERE d.endpoint_id = :endpoint
                ORDER BY d.event_tx DESC, d.event_seq DESC LIMIT :limit OFFSET :offset
                """)
            .param("endpoint", endpointId)
            .param("limit", page.size())
            .param("offset", page.offset())
            .query((rs, row) -> new WebhookDeliveryView(rs.getObject("id", UUID.class),
                    rs.getObject("event_id", UUID.class), rs.getString("type"), rs.getString("status"),
                    rs.getInt("attempts"),
                    "PENDING".equals(rs.getString("status")) ? rs.getTimestamp("next_attempt_at").toInstant() : null,
                    (Integer) rs.getObject("last_status_code"), rs.getTimestamp("created_at").toInstant(), List.of()))
            .list());
        if (!content.isEmpty()) {
            Map<UUID, List<WebhookDeliveryView.Attempt>> attempts = new java.util.HashMap<>();
            jdbc.sql("""
                    SELECT delivery_id, attempted_at, status_code, duration_ms, error FROM webhook_delivery_attempts
                    WHERE delivery_id = ANY (CAST(:ids AS uuid[])) ORDER BY id
                    """).param("ids", content.stream().map(d -> d.id().toString()).toArray(String[]::new)).query(rs -> {
                attempts.computeIfAbsent(rs.getObject("delivery_id", UUID.class), k -> new ArrayList<>())
                    .add(new WebhookDeliveryView.Attempt(rs.getTimestamp("attempted_at").toInstant(),
                            (Integer) rs.getObject("status_code"), rs.getInt("duration_ms"), rs.getString("error")));
            });
            content.replaceAll(d -> new WebhookDeliveryView(d.id(), d.eventId(), d.eventType(), d.status(),
                    d.attemptCount(), d.nextAttemptAt(), d.lastStatusCode(), d.createdAt(),
                    List.copyOf(attempts.getOrDefault(d.id(), List.of()))));
        }
        long total = jdbc.sql("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = :endpoint")
            .param("endpoint", endpointId)
            .query(Long.class)
            .single();
        return PageView.of(content, page, total);
    }

    /**
     * Sends a delivery again as soon as possible, with a fresh set of attempts, whatever
     * became of it.
     */
    @Transactional
    public void redeliver(UUID accountId, UUID endpointId, UUID deliveryId) {
        lock(accountId, endpointId);
        int changed = jdbc.sql("""
                UPDATE webhook_deliveries SET status = 'PENDING', attempts = 0, next_attempt_at = now(),
                    locked_until = NULL
                WHERE id = :id AND endpoint_id = :endpoint
                """).param("id", deliveryId).param("endpoint", endpointId).update();
        if (changed == 0) {
            throw ProblemException.notFound("Webhook delivery", deliveryId);
        }
    }

    private void lock(UUID accountId, UUID id) {
        jdbc.sql("SELECT id FROM webhook_endpoints WHERE id = :id AND account_id = :account AND deleted_at IS NULL"
                + " FOR UPDATE")
            .param("id", id)
            .param("account", accountId)
            .query(UUID.class)
            .optional()
            .orElseThrow(() -> ProblemException.notFound("Webhook endpoint", id));
    }

    private static String[] types(List<String> eventTypes) {
        if (eventTypes.isEmpty()) {
            throw ProblemException.invalid("eventTypes", "must name at least one event type, or \"*\"");
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < eventTypes.size(); i++) {
            String type = eventTypes.get(i);
            if (!EventTypes.ALL.equals(type) && !EventTypes.ALL_TYPES.contains(type)) {
                List<String> allowed = new ArrayList<>(List.of(EventTypes.ALL));
                allowed.addAll(EventTypes.ALL_TYPES);
                throw ProblemException.notOneOf("eventTypes[" + i + "]", allowed);
            }
            distinct.add(type);
        }
        return distinct.toArray(String[]::new);
    }

    private static String newSecret() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static WebhookEndpointView endpoint(ResultSet rs, int row) throws SQLException {
        Array types = rs.getArray("event_types");
        Timestamp previousExpires = rs.getTimestamp("previous_secret_expires_at");
        return new WebhookEndpointView(rs.getObject("id", UUID.class), rs.getString("url"),
                Arrays.asList((String[]) types.getArray()), rs.getBoolean("enabled"), rs.getString("disabled_reason"),
                rs.getInt("consecutive_failures"), previousExpires == null ? null : previousExpires.toInstant(),
                rs.getTimestamp("created_at").toInstant(), null);
    }

}
