package io.planbilling.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planbilling.shared.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Plain unit tests of the webhook rules that need no database: URLs, retry spacing, the
 * signature header.
 */
class WebhookPoliciesTest {

    private static WebhookSettings defaults() {
        return new WebhookSettings(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofHours(6), 14, 20, 20,
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMinutes(1), 50, 4, false);
    }

    @Test
    void internalAddressesAreRefusedUnlessAllowed() {
        WebhookUrlPolicy policy = new WebhookUrlPolicy(false);
        for (String url : List.of("http://127.0.0.1/hook", "http://localhost:8080/hook", "http://10.1.2.3/hook",
                "http://192.168.0.10/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]/hook",
                "http://[fd00::1]/hook", "http://0.0.0.0/hook")) {
            assertThatThrownBy(() -> policy.validate(url)).as(url)
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("public address");
        }
        assertThat(policy.validate("https://93.184.216.34/hook").getHost()).isEqualTo("93.184.216.34");
        assertThat(new WebhookUrlPolicy(true).validate("http://127.0.0.1:9/hook").getPort()).isEqualTo(9);
    }

    @Test
    void onlyAbsoluteHttpUrlsWithoutCredentialsOrFragments() {
        WebhookUrlPolicy policy = new WebhookUrlPolicy(true);
        for (String url : List.of("ftp://example.com/x", "/relative", "https://user:pw@example.com/x",
                "https://example.com/x#part", "not a url", "https://" + "a".repeat(2050) + ".com")) {
            assertThatThrownBy(() -> policy.validate(url)).as(url).isInstanceOf(ProblemException.class);
        }
    }

    @Test
    void retriesDoubleUpToTheLongestWaitAndSpanAboutADay() {
        WebhookSettings settings = defaults();

        assertThat(settings.backoff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.backoff(2)).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.backoff(5)).isEqualTo(Duration.ofMinutes(8));
        assertThat(settings.backoff(11)).isEqualTo(Duration.ofHours(6));
        assertThat(settings.backoff(40)).isEqualTo(Duration.ofHours(6));
        Duration total = Duration.ZERO;
        for (int attempt = 1; attempt < settings.maxAttempts(); attempt++) {
            total = total.plus(settings.backoff(attempt));
        }
        assertThat(total).isEqualTo(Duration.ofMinutes(1591).plusSeconds(30));
        assertThat(total.multipliedBy(80).dividedBy(100)).as("even with all jitter")
            .isGreaterThan(Duration.ofHours(21));
    }

    @Test
    void theSignatureHeaderCarriesOneV1PerLiveSecret() {
        byte[] body = "{\"id\":\"e\"}".getBytes(StandardCharsets.UTF_8);

        String header = WebhookSignature.header(1_767_225_600L, body, List.of("whsec_new", "whsec_old"));

        assertThat(header).isEqualTo("t=1767225600,v1=" + WebhookSignature.sign("whsec_new", 1_767_225_600L, body)
                + ",v1=" + WebhookSignature.sign("whsec_old", 1_767_225_600L, body));
        // HMAC-SHA256("whsec_new", "1767225600.{"id":"e"}"), computed with openssl
        assertThat(WebhookSignature.sign("whsec_new", 1_767_225_600L, body)).isEqualTo(EXPECTED);
    }

    private static final String EXPECTED = "c0af14090a20bd20464f9fe89a8eca05a091f131458984c61b1b41ff2eae56ce";

}
