package io.planbilling.platform.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code idempotency_keys} table. Every method runs in the caller's transaction. */
@Component
class IdempotencyRepository {

    private final JdbcClient jdbc;

    private final Clock clock;

    IdempotencyRepository(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * A transaction-scoped lock on (scope, key): false when another transaction holds it
     * right now.
     */
    boolean tryLock(String scope, String key) {
        return jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtextextended(:scope || chr(31) || :key, 0))")
            .param("scope", scope)
            .param("key", key)
            .query(Boolean.class)
            .single();
    }

    Optional<StoredResponse> find(String scope, String key) {
        return jdbc.sql("""
                SELECT fingerprint, response_status, content_type, location, response_body
                FROM idempotency_keys WHERE scope = :scope AND idempotency_key = :key""")
            .param("scope", scope)
            .param("key", key)
            .query((rs, row) -> new StoredResponse(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                    rs.getBytes(5)))
            .optional();
    }

    void save(String scope, String key, String fingerprint, StoredResponse response) {
        jdbc.sql("""
                INSERT INTO idempotency_keys (scope, idempotency_key, fingerprint, response_status, content_type,
                                              location, response_body, created_at)
                VALUES (:scope, :key, :fingerprint, :status, :contentType, :location, :body, :createdAt)""")
            .param("scope", scope)
            .param("key", key)
            .param("fingerprint", fingerprint)
            .param("status", response.status())
            .param("contentType", response.contentType())
            .param("location", response.location())
            .param("body", response.body())
            .param("createdAt", java.sql.Timestamp.from(clock.instant()))
            .update();
    }

    /** Forgets responses stored before {@code now - retention}. */
    long purge(Instant now, Duration retention) {
        return jdbc.sql("DELETE FROM idempotency_keys WHERE created_at < :cutoff")
            .param("cutoff", java.sql.Timestamp.from(now.minus(retention)))
            .update();
    }

}
