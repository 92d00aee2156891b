package io.planbilling.platform.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.planbilling.testing.PostgresJdbcTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The idempotency keys' SQL on real PostgreSQL (a JDBC slice): a key is claimed by one
 * transaction at a time (another one sees it in progress), a stored response is replayed
 * byte for byte within its caller's scope only, a key is stored once, and the purge
 * forgets only what is older than the retention.
 */
@PostgresJdbcTest
@Import(IdempotencyRepository.class)
class IdempotencyRepositoryTest {

    @Autowired
    IdempotencyRepository keys;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    /**
     * A request's SHA-256, as {@code RequestFingerprint} writes it (the column is 64
     * characters).
     */
    private static final String F1 = "1".repeat(64);

    private static final String F2 = "2".repeat(64);

    private static StoredResponse response(String fingerprint, String body) {
        return new StoredResponse(fingerprint, 201, "application/json", "/api/v1/accounts/1",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private boolean claim(String scope, String key) {
        return Boolean.TRUE.equals(transactions.execute(status -> keys.tryLock(scope, key)));
    }

    @Test
    void aKeyHeldByATransactionInFlightIsInProgressForEveryOtherUntilItEnds() throws Exception {
        String key = UUID.randomUUID().toString();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> first = pool.submit(() -> transactions.execute(status -> {
                boolean claimed = keys.tryLock("scope-a", key);
                held.countDown();
                await().until(() -> release.getCount() == 0);
                return claimed;
            }));
            assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();

            assertThat(claim("scope-a", key)).as("the same key in the same scope").isFalse();
            assertThat(claim("scope-b", key)).as("the same key in another caller's scope").isTrue();
            assertThat(claim("scope-a", key + "-other")).as("another key").isTrue();
            release.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(claim("scope-a", key)).as("after the holder ended").isTrue();
        }
        finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aStoredResponseIsFoundByteForByteInItsScopeOnly() {
        String key = UUID.randomUUID().toString();
        StoredResponse stored = response(F1, "{\"id\": \"ü\"}");

        transactions.executeWithoutResult(status -> keys.save("scope-a", key, F1, stored));

        StoredResponse found = keys.find("scope-a", key).orElseThrow();
        assertThat(found.fingerprint()).isEqualTo(F1);
        assertThat(found.status()).isEqualTo(201);
        assertThat(found.contentType()).isEqualTo("application/json");
        assertThat(found.location()).isEqualTo("/api/v1/accounts/1");
        assertThat(found.body()).isEqualTo(stored.body());
        assertThat(keys.find("scope-b", key)).isEmpty();
    }

    @Test
    void aKeyIsStoredOnce() {
        String key = UUID.randomUUID().toString();
        transactions.executeWithoutResult(status -> keys.save("scope-a", key, F1, response(F1, "{}")));

        assertThatThrownBy(() -> transactions
            .executeWithoutResult(status -> keys.save("scope-a", key, F2, response(F2, "{\"second\": true}"))))
            .isInstanceOf(DuplicateKeyException.class);
        assertThat(keys.find("scope-a", key).orElseThrow().fingerprint()).isEqualTo(F1);
    }

    @Test
    void thePurgeForgetsOnlyResponsesOlderThanTheRetention() {
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        transactions.executeWithoutResult(status -> {
            keys.save("purge", old, F1, response(F1, "{}"));
            keys.save("purge", recent, F1, response(F1, "{}"));
        });
        jdbc.sql("UPDATE idempotency_keys SET created_at = :at WHERE scope = 'purge' AND idempotency_key = :key")
            .param("at", java.sql.Timestamp.from(Instant.parse("1999-12-31T23:59:59Z")))
            .param("key", old)
            .update();
        jdbc.sql("UPDATE idempotency_keys SET created_at = :at WHERE scope = 'purge' AND idempotency_key = :key")
            .param("at", java.sql.Timestamp.from(Instant.parse("2000-01-01T00:00:00Z")))
            .param("key", recent)
            .update();

        long purged = transactions
            .execute(status -> keys.purge(Instant.parse("2000-01-02T00:00:00Z"), Duration.ofDays(1)));

        assertThat(purged).isEqualTo(1);
        assertThat(keys.find("purge", old)).isEmpty();
        assertThat(keys.find("purge", recent)).isPresent();
    }

}
