package io.planbilling.shared;

import java.util.Optional;

/**
 * Resolves a presented bearer key to an account caller; implemented by the account
 * module.
 */
public interface AccountKeyAuthenticator {

    /** The caller the key belongs to, or empty when the key is unknown or revoked. */
    Optional<Caller> authenticate(String presentedKey);

}
