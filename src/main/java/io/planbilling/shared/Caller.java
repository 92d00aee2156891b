package io.planbilling.shared;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling: the authenticated principal of every {@code /api/v1} request.
 *
 * @param role what the key may call
 * @param accountId the account an {@code ACCOUNT} key belongs to; null for the operator
 * @param keyId a stable id of the key itself, the scope of idempotency keys
 */
public record Caller(Role role, @Nullable UUID accountId, String keyId) {

    public enum Role {

        OPERATOR, ACCOUNT

    }

    public static Caller operator() {
        return new Caller(Role.OPERATOR, null, "operator");
    }

    public static Caller account(UUID accountId, UUID keyId) {
        return new Caller(Role.ACCOUNT, accountId, keyId.toString());
    }

    /** The account of an {@code ACCOUNT} caller. */
    public UUID requireAccountId() {
        if (accountId == null) {
            throw new IllegalStateException("The operator has no account");
        }
        return accountId;
    }
}
