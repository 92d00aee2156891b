package io.planbilling.platform.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.planbilling.shared.BillingMeters;
import io.planbilling.shared.ErrorCode;
import io.planbilling.platform.web.ProblemResponses;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    /**
     * Runs right after Spring Security's filter chain (which names the caller) and before
     * idempotency.
     */
    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(RateLimitSettings settings, ProblemResponses problems,
            MeterRegistry meters) {
        Counter limited = Counter.builder(BillingMeters.RATE_LIMITED)
            .tag("code", ErrorCode.RATE_LIMITED.name())
            .description("Requests answered 429")
            .register(meters);
        FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(
                new RateLimitFilter(settings, problems, limited));
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 1);
        registration.addUrlPatterns("/api/*");
        return registration;
    }

}
