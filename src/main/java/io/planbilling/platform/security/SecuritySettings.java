package io.planbilling.platform.security;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param operatorApiKey the operator's bearer key
 * ({@code BILLING_SECURITY_OPERATOR_API_KEY}); when unset, one is generated at start-up
 * and logged once
 * @param trustedProxies the proxies (IPv4 or IPv6 addresses or CIDR blocks, e.g.
 * {@code 10.0.0.0/8}) whose {@code X-Forwarded-For} names the client; none by default, so
 * the client is the socket's peer
 * @param authThrottle the throttle of failed authentication per client address
 */
@ConfigurationProperties("billing.security")
record SecuritySettings(@Nullable String operatorApiKey, @DefaultValue List<String> trustedProxies,
        @DefaultValue AuthThrottle authThrottle) {

    /**
     * Repeated 401s from one client address are answered 429
     * {@code AUTHENTICATION_THROTTLED} before any key lookup (docs/api-guide.md): a token
     * bucket per address holding {@code burst} failures, refilled with
     * {@code failuresPerWindow} per {@code window}.
     *
     * @param enabled on by default
     * @param failuresPerWindow failures an address gets back per window
     * @param burst failures an address may have in a row before it is throttled
     * @param window the refill period
     */
    record AuthThrottle(@DefaultValue("true") boolean enabled, @DefaultValue("10") int failuresPerWindow,
            @DefaultValue("20") int burst, @DefaultValue("PT1M") Duration window) {

        AuthThrottle {
            if (failuresPerWindow < 1 || burst < 1 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("billing.security.auth-throttle.failures-per-window and .burst "
                        + "must be at least 1 and .window positive");
            }
        }
    }
}
