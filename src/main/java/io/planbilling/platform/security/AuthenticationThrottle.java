package io.planbilling.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.EstimationProbe;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Failed authentications per client address (docs/api-guide.md): each address that failed
 * gets a token bucket of {@code burst} failures refilled at {@code failuresPerWindow} per
 * {@code window}; an address whose bucket is empty is refused before its key is looked
 * up. Only addresses that failed are tracked, in this instance's memory, at most
 * {@value #MAX_ADDRESSES} of them (the least recently seen go first), each forgotten once
 * its bucket would be full again. Failures that arrive concurrently are all counted, even
 * below zero, so a flood pays for every lookup it caused.
 */
final class AuthenticationThrottle {

    static final int MAX_ADDRESSES = 10_000;

    private final SecuritySettings.AuthThrottle settings;

    private final Cache<String, Bucket> failures;

    AuthenticationThrottle(SecuritySettings.AuthThrottle settings) {
        this.settings = settings;
        long windowsToRefill = (settings.burst() + settings.failuresPerWindow() - 1) / settings.failuresPerWindow();
        this.failures = Caffeine.newBuilder()
            .maximumSize(MAX_ADDRESSES)
            .expireAfterAccess(settings.window().multipliedBy(windowsToRefill))
            .build();
    }

    boolean enabled() {
        return settings.enabled();
    }

    /**
     * How long the address must wait before its next attempt; zero when it may try now.
     */
    Duration waitBeforeNextAttempt(String address) {
        Bucket bucket = settings.enabled() ? failures.getIfPresent(address) : null;
        if (bucket == null) {
            return Duration.ZERO;
        }
        EstimationProbe probe = bucket.estimateAbilityToConsume(1);
        return probe.canBeConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
    }

    /** Counts a failed authentication (a 401) of the address. */
    void failed(String address) {
        if (settings.enabled()) {
            failures.get(address, key -> newBucket()).consumeIgnoringRateLimits(1);
        }
    }

    /** Whole seconds, rounded up, for {@code Retry-After}. */
    static long seconds(Duration wait) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait.toNanos() + 999_999_999L));
    }

    private Bucket newBucket() {
        return Bucket.builder()
            .addLimit(Bandwidth.builder()
                .capacity(settings.burst())
                .refillGreedy(settings.failuresPerWindow(), settings.window())
                .build())
            .build();
    }

}
