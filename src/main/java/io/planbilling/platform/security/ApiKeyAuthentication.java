package io.planbilling.platform.security;

import io.planbilling.shared.Caller;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A bearer key: presented (unauthenticated) or resolved to its {@link Caller}. */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final @Nullable String presentedKey;

    private final @Nullable Caller caller;

    private ApiKeyAuthentication(@Nullable String presentedKey, @Nullable Caller caller) {
        super(caller == null ? List.of() : List.of(new SimpleGrantedAuthority("ROLE_" + caller.role().name())));
        this.presentedKey = presentedKey;
        this.caller = caller;
        setAuthenticated(caller != null);
    }

    static ApiKeyAuthentication presented(String key) {
        return new ApiKeyAuthentication(key, null);
    }

    static ApiKeyAuthentication resolved(Caller caller) {
        return new ApiKeyAuthentication(null, caller);
    }

    @Override
    public @Nullable Object getCredentials() {
        return presentedKey;
    }

    @Override
    public @Nullable Object getPrincipal() {
        return caller;
    }

}
