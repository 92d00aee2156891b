package io.planbilling.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook delivery ({@code billing.webhooks.*}).
 *
 * @param pollInterval how often each instance looks for due deliveries
 * @param initialRetryInterval the wait after the first failed attempt; doubled after each
 * further one
 * @param maxRetryInterval the longest wait between attempts
 * @param maxAttempts attempts per delivery before it is given up (with the defaults the
 * waits add up to about a day)
 * @param jitterPercent the largest random share (percent) by which a wait is shortened,
 * so retries spread
 * @param disableAfterFailures consecutive failed attempts after which an endpoint is
 * disabled
 * @param connectTimeout outbound connection timeout
 * @param requestTimeout outbound request timeout (the receiver's whole answer)
 * @param lease how long an instance holds a delivery it is sending (a crashed one's runs
 * out)
 * @param batchSize deliveries claimed per poll
 * @param senders threads sending concurrently on each instance (never request threads)
 * @param allowPrivateNetworks whether endpoints may point at loopback, private and
 * link-local addresses
 */
@ConfigurationProperties("billing.webhooks")
record WebhookSettings(@DefaultValue("PT1S") Duration pollInterval,
        @DefaultValue("PT30S") Duration initialRetryInterval, @DefaultValue("PT6H") Duration maxRetryInterval,
        @DefaultValue("14") int maxAttempts, @DefaultValue("20") int jitterPercent,
        @DefaultValue("20") int disableAfterFailures, @DefaultValue("PT5S") Duration connectTimeout,
        @DefaultValue("PT10S") Duration requestTimeout, @DefaultValue("PT1M") Duration lease,
        @DefaultValue("50") int batchSize, @DefaultValue("4") int senders,
        @DefaultValue("false") boolean allowPrivateNetworks) {

    public WebhookSettings {
        if (maxAttempts < 1 || disableAfterFailures < 1 || batchSize < 1 || senders < 1) {
            throw new IllegalArgumentException("billing.webhooks counts must be at least 1");
        }
        if (jitterPercent < 0 || jitterPercent > 99) {
            throw new IllegalArgumentException("billing.webhooks.jitter-percent must be 0 to 99");
        }
        if (lease.compareTo(requestTimeout.plus(connectTimeout)) <= 0) {
            throw new IllegalArgumentException("billing.webhooks.lease must outlast a request's timeouts");
        }
    }

    /**
     * The wait before attempt {@code attempt + 1}, after {@code attempt} failed ones,
     * without jitter.
     */
    Duration backoff(int attempt) {
        Duration wait = initialRetryInterval;
        for (int i = 1; i < attempt && wait.compareTo(maxRetryInterval) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxRetryInterval) > 0 ? maxRetryInterval : wait;
    }
}
