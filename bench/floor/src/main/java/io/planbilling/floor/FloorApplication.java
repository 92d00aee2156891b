package io.planbilling.floor;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The benchmark's framework floor: the least a Spring Boot service built like plan-billing does per request. A
 * bearer key is resolved by Spring Security exactly as the service resolves it (an {@link AuthenticationFilter}
 * with a provider that looks the key's SHA-256 up in PostgreSQL through {@link JdbcClient}, stateless, the context
 * kept in the request); then {@code GET /floor/account} reads one row and {@code POST /floor/writes} inserts one row
 * in its own transaction (synchronous commit, as every write of the service). No validation, no problem details, no
 * audit, no rate limit, no idempotency: what is left is Tomcat, Spring MVC, Jackson, Spring Security, Hikari and the
 * PostgreSQL round trips — the ceiling of any request-per-transaction design on this machine.
 */
@SpringBootApplication
@RestController
public class FloorApplication {

    public static void main(String[] args) {
        SpringApplication.run(FloorApplication.class, args);
    }

    private final JdbcClient jdbc;

    FloorApplication(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Account(UUID id, String name, BigDecimal balance) {
    }

    record Write(String id, long bytes) {
    }

    record Written(String id) {
    }

    @GetMapping("/floor/account")
    @Transactional(readOnly = true)
    Account account(@AuthenticationPrincipal UUID accountId) {
        return jdbc.sql("SELECT id, name, balance FROM floor_accounts WHERE id = ?")
            .param(accountId)
            .query(Account.class)
            .single();
    }

    @PostMapping("/floor/writes")
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    Written write(@AuthenticationPrincipal UUID accountId, @RequestBody Write write) {
        jdbc.sql("INSERT INTO floor_writes (id, account_id, bytes, received_at) VALUES (?, ?, ?, ?)")
            .params(write.id(), accountId, write.bytes(), Timestamp.from(Instant.now()))
            .update();
        return new Written(write.id());
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http) {
        AuthenticationProvider keys = new AuthenticationProvider() {

            @Override
            public Authentication authenticate(Authentication presented) {
                UUID accountId = jdbc
                    .sql("SELECT account_id FROM floor_api_keys WHERE key_hash = ? AND revoked_at IS NULL")
                    .param(sha256((String) presented.getCredentials()))
                    .query(UUID.class)
                    .optional()
                    .orElseThrow(() -> new BadCredentialsException("Unknown or revoked API key"));
                return new BearerKey(null, accountId);
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return BearerKey.class.isAssignableFrom(authentication);
            }
        };
        HttpStatusEntryPoint unauthenticated = new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED);
        AuthenticationFilter bearer = new AuthenticationFilter(new ProviderManager(keys), request -> {
            String header = request.getHeader(HttpHeaders.AUTHORIZATION);
            return header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) ? null
                    : new BearerKey(header.substring(7).trim(), null);
        });
        bearer.setSuccessHandler((request, response, authentication) -> {
        });
        bearer.setFailureHandler(new AuthenticationEntryPointFailureHandler(unauthenticated));
        bearer.setSecurityContextRepository(new RequestAttributeSecurityContextRepository());
        return http.csrf(csrf -> csrf.disable())
            .httpBasic(basic -> basic.disable())
            .formLogin(form -> form.disable())
            .logout(logout -> logout.disable())
            .requestCache(cache -> cache.disable())
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .addFilterAt(bearer, BasicAuthenticationFilter.class)
            .authorizeHttpRequests(authorize -> authorize.anyRequest().hasRole("ACCOUNT"))
            .exceptionHandling(handling -> handling.authenticationEntryPoint(unauthenticated))
            .build();
    }

    static String sha256(String key) {
        try {
            return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JDK", ex);
        }
    }

    /** A bearer key: presented (key set) or resolved (account set). */
    static final class BearerKey extends AbstractAuthenticationToken {

        private final String key;

        private final UUID accountId;

        BearerKey(String key, UUID accountId) {
            super(accountId == null ? List.of() : List.of(new SimpleGrantedAuthority("ROLE_ACCOUNT")));
            this.key = key;
            this.accountId = accountId;
            setAuthenticated(accountId != null);
        }

        @Override
        public Object getCredentials() {
            return key;
        }

        @Override
        public Object getPrincipal() {
            return accountId;
        }

    }

}
