package io.planbilling.shared.security;

import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.web.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

/**
 * SPEC §1 authentication: {@code Authorization: Bearer <key>}, two roles, 401 and 403 as problem details, the
 * documentation and health public. Stateless: no session, no CSRF (there are no cookies to ride on).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String[] PUBLIC = { "/swagger-ui.html", "/swagger-ui/**", "/v3/api-docs", "/v3/api-docs/**",
            "/actuator/health", "/actuator/health/**", "/error" };

    static final String[] OPERATOR = { "/api/v1/accounts/**", "/api/v1/traffic-usage", "/api/v1/bandwidth-samples",
            "/api/v1/admin/**" };

    /** Both roles: the operator sees every account's, an account key its own. */
    static final String[] EITHER = { "/api/v1/events" };

    @Bean
    SecurityFilterChain api(HttpSecurity http, ApiKeyAuthenticationProvider provider, ProblemResponses problems) {
        AuthenticationEntryPoint unauthenticated = (request, response, ex) -> {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            problems.write(request, response, ErrorCode.UNAUTHENTICATED,
                    "A valid API key is required: send Authorization: Bearer <key>.");
        };
        AccessDeniedHandler forbidden = (request, response, ex) -> problems.write(request, response,
                ErrorCode.FORBIDDEN, "This API key's role may not call " + request.getMethod()
                        + " " + request.getRequestURI() + ".");

        AuthenticationFilter bearer = new AuthenticationFilter(new ProviderManager(provider), SecurityConfiguration::bearerKey);
        bearer.setSuccessHandler((request, response, authentication) -> {
        });
        bearer.setFailureHandler(new AuthenticationEntryPointFailureHandler(unauthenticated));
        bearer.setSecurityContextRepository(new RequestAttributeSecurityContextRepository());

        return http
                .csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterAt(bearer, BasicAuthenticationFilter.class)
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(PUBLIC).permitAll()
                        .requestMatchers(EITHER).hasAnyRole("OPERATOR", "ACCOUNT")
                        .requestMatchers(OPERATOR).hasRole("OPERATOR")
                        .requestMatchers("/api/v1/**").hasRole("ACCOUNT")
                        .anyRequest().authenticated())
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(forbidden))
                .build();
    }

    /** The key of an {@code Authorization: Bearer} header; anything else is no credential at all. */
    private static ApiKeyAuthentication bearerKey(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return ApiKeyAuthentication.presented(header.substring(7).trim());
    }
}
