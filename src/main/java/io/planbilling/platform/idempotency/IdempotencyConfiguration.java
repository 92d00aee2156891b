package io.planbilling.platform.idempotency;

import static io.planbilling.shared.LifecycleStep.Concurrency.EXCLUSIVE;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.planbilling.shared.BillingMeters;
import io.planbilling.shared.LifecycleStep;
import io.planbilling.platform.web.ProblemResponses;
import io.planbilling.platform.web.RequestBodyLimitFilter.HttpSettings;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class IdempotencyConfiguration {

    /**
     * @param retention how long a stored response is replayed (at least 24 h,
     * docs/api-guide.md)
     */
    @ConfigurationProperties("billing.idempotency")
    record IdempotencySettings(@DefaultValue("P1D") Duration retention) {

        IdempotencySettings {
            if (retention.compareTo(Duration.ofHours(24)) < 0) {
                throw new IllegalArgumentException("billing.idempotency.retention must be at least 24 hours");
            }
        }
    }

    /**
     * Runs after Spring Security's filter chain, which establishes the caller whose key
     * scopes the key, and after the rate limit, so a refused request never takes the
     * key's lock.
     */
    @Bean
    FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(IdempotencyRepository store,
            PlatformTransactionManager transactionManager, ProblemResponses problems, HttpSettings http,
            MeterRegistry meters) {
        Counter replays = Counter.builder(BillingMeters.IDEMPOTENT_REPLAYS)
            .description("POSTs answered from a stored response")
            .register(meters);
        // a keyed body is read in full to fingerprint it; it is never larger than the
        // service's body limit
        FilterRegistrationBean<IdempotencyFilter> registration = new FilterRegistrationBean<>(
                new IdempotencyFilter(store, new TransactionTemplate(transactionManager), problems,
                        (int) http.maxBodySize().toBytes(), replays));
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 2);
        registration.addUrlPatterns("/api/*");
        return registration;
    }

    /**
     * Lifecycle step: forgets idempotency keys older than the retention. It runs alone
     * (docs/operations.md): one {@code DELETE} of every expired key claims nothing, so
     * instances running it at once would each delete the same rows, waiting on each
     * other's row locks.
     */
    @Bean
    LifecycleStep idempotencyKeyPurge(IdempotencyRepository store, IdempotencySettings settings) {
        return LifecycleStep.of("idempotency-key-purge", Integer.MAX_VALUE, EXCLUSIVE,
                now -> Map.of("purged", store.purge(now, settings.retention())));
    }

}
