package io.planbilling.platform.security;

import io.planbilling.shared.AccountKeyAuthenticator;
import io.planbilling.shared.Caller;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * Resolves a bearer key: the operator key first, then the account keys (stored hashed by
 * the account module).
 */
@Component
class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    private final OperatorKey operatorKey;

    private final AccountKeyAuthenticator accountKeys;

    ApiKeyAuthenticationProvider(OperatorKey operatorKey, AccountKeyAuthenticator accountKeys) {
        this.operatorKey = operatorKey;
        this.accountKeys = accountKeys;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String presented = (String) authentication.getCredentials();
        if (presented == null || presented.isBlank()) {
            throw new BadCredentialsException("No API key");
        }
        if (operatorKey.matches(presented)) {
            return ApiKeyAuthentication.resolved(Caller.operator());
        }
        return accountKeys.authenticate(presented)
            .map(ApiKeyAuthentication::resolved)
            .orElseThrow(() -> new BadCredentialsException("Unknown or revoked API key"));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyAuthentication.class.isAssignableFrom(authentication);
    }

}
