package io.planbilling.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The throttle of failed authentications per client address (docs/api-guide.md), without
 * Spring: a burst of failures, then a wait; other addresses unaffected; off when
 * disabled; {@code Retry-After} in whole seconds rounded up.
 */
class AuthenticationThrottleTest {

    private static AuthenticationThrottle throttle(boolean enabled, int burst) {
        return new AuthenticationThrottle(new SecuritySettings.AuthThrottle(enabled, 1, burst, Duration.ofHours(1)));
    }

    @Test
    void anAddressMayFailItsBurstAndThenWaits() {
        AuthenticationThrottle throttle = throttle(true, 3);

        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        assertThat(throttle.waitBeforeNextAttempt("10.0.0.1")).isZero();
        throttle.failed("10.0.0.1");

        assertThat(throttle.waitBeforeNextAttempt("10.0.0.1")).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
        assertThat(throttle.waitBeforeNextAttempt("10.0.0.2")).isZero();
    }

    @Test
    void failuresBeyondTheBurstLengthenTheWait() {
        AuthenticationThrottle throttle = throttle(true, 1);
        throttle.failed("::1");
        Duration once = throttle.waitBeforeNextAttempt("::1");

        throttle.failed("::1");

        assertThat(throttle.waitBeforeNextAttempt("::1")).isGreaterThan(once);
    }

    @Test
    void aDisabledThrottleNeverMakesAnyoneWait() {
        AuthenticationThrottle throttle = throttle(false, 1);
        for (int i = 0; i < 5; i++) {
            throttle.failed("10.0.0.1");
        }

        assertThat(throttle.enabled()).isFalse();
        assertThat(throttle.waitBeforeNextAttempt("10.0.0.1")).isZero();
    }

    @ParameterizedTest
    @CsvSource({ "0, 1", "1, 1", "999999999, 1", "1000000000, 1", "1000000001, 2", "59500000000, 60" })
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne(long nanos, long seconds) {
        assertThat(AuthenticationThrottle.seconds(Duration.ofNanos(nanos))).isEqualTo(seconds);
    }

    @Test
    void settingsRefuseAnEmptyBucketOrWindow() {
        assertThatThrownBy(() -> new SecuritySettings.AuthThrottle(true, 0, 1, Duration.ofMinutes(1)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SecuritySettings.AuthThrottle(true, 1, 0, Duration.ofMinutes(1)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SecuritySettings.AuthThrottle(true, 1, 1, Duration.ZERO))
            .isInstanceOf(IllegalArgumentException.class);
    }

}
