package io.planbilling.account;

import io.planbilling.shared.AccountKeyAuthenticator;
import io.planbilling.shared.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Account API keys: 256 random bits, shown once, stored as a SHA-256 hash. Looking a key
 * up by its hash is a unique-index probe, so the stored value never has to be compared
 * byte by byte in Java.
 */
@Component
class ApiKeys implements AccountKeyAuthenticator {

    private static final String PREFIX = "pb_";

    private final SecureRandom random = new SecureRandom();

    private final JdbcClient jdbc;

    ApiKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
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
        return jdbc.sql("SELECT id, account_id FROM account_api_keys WHERE key_hash = :hash AND revoked_at IS NULL")
            .param("hash", hash(presentedKey))
            .query((rs, row) -> Caller.account(rs.getObject(2, UUID.class), rs.getObject(1, UUID.class)))
            .optional();
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
