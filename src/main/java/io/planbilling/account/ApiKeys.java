package io.planbilling.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.planbilling.shared.AccountKeyAuthenticator;
import io.planbilling.shared.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Account API keys: 256 random bits, shown once, stored as a SHA-256 hash. Looking a key
 * up by its hash is a unique-index probe, so the stored value never has to be compared
 * byte by byte in Java.
 *
 * <p>
 * A key found live is remembered by its hash for {@code billing.security.key-cache-ttl}
 * (default 5 s; {@code PT0S} turns it off), at most {@value #CACHED_KEYS} keys, so a
 * client's requests do not each cost a lookup. That is the bound on revocation
 * (docs/api-guide.md, roles and routes): an instance that revokes an account's keys
 * forgets them when the revocation commits (a lookup racing with the commit may remember
 * one again, for at most that long), and every other instance sharing the database stops
 * accepting them at most that long after. Unknown and revoked keys are never remembered
 * (repeated failures are the authentication throttle's business).
 */
@Component
class ApiKeys implements AccountKeyAuthenticator {

    private static final String PREFIX = "pb_";

    static final int CACHED_KEYS = 10_000;

    private final SecureRandom random = new SecureRandom();

    private final JdbcClient jdbc;

    /** Live keys by hash. */
    private final Cache<String, Caller> live;

    ApiKeys(JdbcClient jdbc, @Value("${billing.security.key-cache-ttl:PT5S}") Duration cacheTtl) {
        this.jdbc = jdbc;
        this.live = Caffeine.newBuilder()
            .maximumSize(cacheTtl.isZero() ? 0 : CACHED_KEYS)
            .expireAfterWrite(cacheTtl)
            .build();
    }

    /**
     * Issues a new key for the account; the plain key exists only in the returned value.
     */
    IssuedApiKey issue(UUID accountId, Instant now) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO account_api_keys (id, account_id, key_hash, key_prefix, created_at)
                VALUES (:id, :accountId, :hash, :prefix, :createdAt)""")
            .param("id", id)
            .param("accountId", accountId)
            .param("hash", hash(key))
            .param("prefix", key.substring(0, 10))
            .param("createdAt", Timestamp.from(now))
            .update();
        return new IssuedApiKey(id, accountId, key, key.substring(0, 10), now);
    }

    /** Revokes every live key of the account. */
    int revokeAll(UUID accountId, Instant now) {
        forget(accountId);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            // a lookup between here and the commit still finds the keys live
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    forget(accountId);
                }
            });
        }
        return jdbc
            .sql("UPDATE account_api_keys SET revoked_at = :now WHERE account_id = :accountId AND revoked_at IS NULL")
            .param("now", Timestamp.from(now))
            .param("accountId", accountId)
            .update();
    }

    @Override
    public Optional<Caller> authenticate(String presentedKey) {
        if (!presentedKey.startsWith(PREFIX) || presentedKey.length() > 100) {
            return Optional.empty();
        }
        String hash = hash(presentedKey);
        Caller cached = live.getIfPresent(hash);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Caller> found = jdbc
            .sql("SELECT id, account_id FROM account_api_keys WHERE key_hash = :hash AND revoked_at IS NULL")
            .param("hash", hash)
            .query((rs, row) -> Caller.account(rs.getObject(2, UUID.class), rs.getObject(1, UUID.class)))
            .optional();
        found.ifPresent(caller -> live.put(hash, caller));
        return found;
    }

    private void forget(UUID accountId) {
        live.asMap().values().removeIf(caller -> accountId.equals(caller.accountId()));
    }

    static String hash(String key) {
        try {
            return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JDK", ex);
        }
    }

}
