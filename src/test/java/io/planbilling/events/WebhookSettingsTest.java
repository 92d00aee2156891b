package io.planbilling.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The webhook settings' own rules ({@code billing.webhooks.*}), without Spring: what a
 * deployment may configure, and the retry spacing before jitter.
 */
class WebhookSettingsTest {

    private static WebhookSettings settings(int maxAttempts, int jitter, int disableAfter, Duration connect,
            Duration request, Duration lease, int batch, int senders) {
        return new WebhookSettings(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofHours(6), maxAttempts,
                jitter, disableAfter, connect, request, lease, batch, senders, false);
    }

    private static WebhookSettings defaults() {
        return settings(14, 20, 20, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMinutes(1), 50, 4);
    }

    @ParameterizedTest
    @CsvSource({ "1, PT30S", "2, PT1M", "3, PT2M", "9, PT2H8M", "10, PT4H16M", "11, PT6H", "14, PT6H", "100, PT6H" })
    void theWaitDoublesAfterEachFailedAttemptUpToTheLongest(int attempt, Duration wait) {
        assertThat(defaults().backoff(attempt)).isEqualTo(wait);
    }

    @Test
    void aLeaseMustOutlastARequestsTimeouts() {
        assertThatThrownBy(() -> settings(14, 20, 20, Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(15), 50, 4))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("lease");
        assertThat(settings(14, 20, 20, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(16), 50, 4)
            .lease()).hasSeconds(16);
    }

    @ParameterizedTest
    @CsvSource({ "0, 20, 20, 50, 4", "14, 20, 0, 50, 4", "14, 20, 20, 0, 4", "14, 20, 20, 50, 0", "14, -1, 20, 50, 4",
            "14, 100, 20, 50, 4" })
    void countsAreAtLeastOneAndTheJitterUnderAHundredPercent(int maxAttempts, int jitter, int disableAfter, int batch,
            int senders) {
        assertThatThrownBy(() -> settings(maxAttempts, jitter, disableAfter, Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofMinutes(1), batch, senders))
            .isInstanceOf(IllegalArgumentException.class);
    }

}
