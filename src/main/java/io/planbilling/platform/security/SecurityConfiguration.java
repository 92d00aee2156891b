package io.planbilling.platform.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.planbilling.shared.BillingMeters;
import io.planbilling.shared.ErrorCode;
import io.planbilling.platform.web.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Authentication (docs/api-guide.md, roles and routes):
 * {@code Authorization: Bearer <key>}, two roles, 401 and 403 as problem details, the
 * documentation and health public. Stateless: no session, no CSRF (there are no cookies
 * to ride on). Repeated 401s from one client address are throttled before the key is
 * looked up.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String[] PUBLIC = { "/swagger-ui.html", "/swagger-ui/**", "/v3/api-docs", "/v3/api-docs/**",
            "/actuator/health", "/actuator/health/**", "/error" };

    static final String[] OPERATOR = { "/api/v1/accounts/**", "/api/v1/traffic-usage", "/api/v1/bandwidth-samples",
            "/api/v1/admin/**", "/actuator/**" };

    /**
     * Both roles: the operator sees every account's events, an account key its own; the
     * catalogs are the same for everyone, and finance (the operator) needs the prices.
     */
    static final String[] EITHER = { "/api/v1/events", "/api/v1/traffic-packages/catalog",
            "/api/v1/bandwidth-plans/catalog" };

    /**
     * Spring Security's own observations are off: they wrap every filter of the chain in
     * an observation of its own on every request (the chain, each authentication and
     * authorization), a cost per request on the busiest paths. What operators watch is
     * measured anyway: every request by {@code http.server.requests}, the 401s and 403s
     * by {@code billing.requests.refused}, the 429s by
     * {@code billing.requests.rate.limited} (docs/operations.md).
     */
    @Bean
    static SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, ApiKeyAuthenticationProvider provider, ProblemResponses problems,
            SecuritySettings settings, MeterRegistry meters) {
        AuthenticationThrottle throttle = new AuthenticationThrottle(settings.authThrottle());
        ClientAddresses clients = new ClientAddresses(settings.trustedProxies());
        Counter unauthorized = refused(meters, ErrorCode.UNAUTHENTICATED);
        Counter forbiddenCount = refused(meters, ErrorCode.FORBIDDEN);
        AuthenticationEntryPoint unauthenticated = (request, response, ex) -> {
            unauthorized.increment();
            throttle.failed(clients.of(request));
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            problems.write(request, response, ErrorCode.UNAUTHENTICATED,
                    "A valid API key is required: send Authorization: Bearer <key>.");
        };
        AccessDeniedHandler forbidden = (request, response, ex) -> {
            forbiddenCount.increment();
            problems.write(request, response, ErrorCode.FORBIDDEN,
                    "This API key's role may not call " + request.getMethod() + " " + request.getRequestURI() + ".");
        };

        AuthenticationFilter bearer = new AuthenticationFilter(new ProviderManager(provider),
                SecurityConfiguration::bearerKey);
        bearer.setSuccessHandler((request, response, authentication) -> {
        });
        bearer.setFailureHandler(new AuthenticationEntryPointFailureHandler(unauthenticated));
        bearer.setSecurityContextRepository(new RequestAttributeSecurityContextRepository());
        RequestMatcher publicPaths = new OrRequestMatcher(Arrays.stream(PUBLIC)
            .map(PathPatternRequestMatcher.withDefaults()::matcher)
            .map(RequestMatcher.class::cast)
            .toList());
        AuthenticationThrottleFilter throttleFilter = new AuthenticationThrottleFilter(throttle, clients, publicPaths,
                problems,
                Counter.builder(BillingMeters.RATE_LIMITED)
                    .tag("code", ErrorCode.AUTHENTICATION_THROTTLED.name())
                    .description("Requests answered 429")
                    .register(meters));

        return http.csrf(csrf -> csrf.disable())
            .httpBasic(basic -> basic.disable())
            .formLogin(form -> form.disable())
            .logout(logout -> logout.disable())
            .requestCache(cache -> cache.disable())
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .addFilterBefore(throttleFilter, BasicAuthenticationFilter.class)
            .addFilterAt(bearer, BasicAuthenticationFilter.class)
            .authorizeHttpRequests(authorize -> authorize.requestMatchers(PUBLIC)
                .permitAll()
                .requestMatchers(EITHER)
                .hasAnyRole("OPERATOR", "ACCOUNT")
                .requestMatchers(OPERATOR)
                .hasRole("OPERATOR")
                .requestMatchers("/api/v1/**")
                .hasRole("ACCOUNT")
                .anyRequest()
                .authenticated())
            .exceptionHandling(
                    handling -> handling.authenticationEntryPoint(unauthenticated).accessDeniedHandler(forbidden))
            .build();
    }

    private static Counter refused(MeterRegistry meters, ErrorCode code) {
        return Counter.builder(BillingMeters.REFUSED)
            .tag("status", Integer.toString(code.status()))
            .description("Requests refused by authentication (401) or authorization (403)")
            .register(meters);
    }

    /**
     * The key of an {@code Authorization: Bearer} header; anything else is no credential
     * at all.
     */
    private static ApiKeyAuthentication bearerKey(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return ApiKeyAuthentication.presented(header.substring(7).trim());
    }

}
