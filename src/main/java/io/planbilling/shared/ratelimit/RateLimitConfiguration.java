package io.planbilling.shared.ratelimit;

import io.planbilling.shared.web.ProblemResponses;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    /** Runs right after Spring Security's filter chain (which names the caller) and before idempotency. */
    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(RateLimitSettings settings, ProblemResponses problems) {
        FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(
                new RateLimitFilter(settings, problems));
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 1);
        registration.addUrlPatterns("/api/*");
        return registration;
    }
}
