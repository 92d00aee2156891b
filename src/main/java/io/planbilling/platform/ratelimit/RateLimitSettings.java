package io.planbilling.platform.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-key rate limit of the API (token buckets, one per API key, per instance).
 *
 * @param enabled whether account keys are limited at all
 * @param requestsPerSecond sustained requests per second per account key
 * @param burst requests an idle key may send at once
 * @param operator whether the operator key is limited too (off: metering pipelines and
 * finance systems are trusted and sized by the operator)
 */
@ConfigurationProperties("billing.rate-limit")
record RateLimitSettings(@DefaultValue("true") boolean enabled, @DefaultValue("50") int requestsPerSecond,
        @DefaultValue("100") int burst, @DefaultValue("false") boolean operator) {

    RateLimitSettings {
        if (requestsPerSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("billing.rate-limit.requests-per-second and .burst must be at least 1");
        }
    }
}
