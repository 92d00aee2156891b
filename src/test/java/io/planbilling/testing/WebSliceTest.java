package io.planbilling.testing;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.planbilling.platform.security.SecuritySlice;
import io.planbilling.platform.web.WebLayerSlice;
import io.planbilling.shared.AccountKeyAuthenticator;
import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.Caller;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Optional;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;

/**
 * A web slice: the named controllers in Spring MVC without a server or a database, their
 * facades replaced by Mockito mocks ({@code @MockitoBean} fields of the test class). What
 * it proves is the web layer's own behaviour: request binding and validation, strict
 * JSON, the problem mapping of {@code ProblemHandling} ({@code code}, {@code errors[]},
 * {@code requestId}), the request-id, body-limit and {@code Accept} filters, and the
 * security rules (401/403 as problems, which role may call what), with the real
 * {@code SecurityConfiguration}. Keys: {@link WebSlice#operator()}, and
 * {@link WebSlice#account()} for the account {@link WebSlice#ACCOUNT_ID} (resolved by a
 * stub of the account module's key lookup, the one thing a slice does not have). Rules
 * that live in the facades and SQL are not here: unit tests, JDBC slices
 * ({@link PostgresJdbcTest}) and the HTTP tests ({@link ApiTest}) prove them.
 *
 * <p>
 * One test class per module's controllers keeps one context per module (the mocks are
 * part of a context's identity).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@WebMvcTest(properties = { "billing.security.operator-api-key=" + WebSlice.OPERATOR_KEY })
@Import({ WebSliceTest.Support.class, WebLayerSlice.class, SecuritySlice.class })
public @interface WebSliceTest {

    /** The controllers under test. */
    @AliasFor(annotation = WebMvcTest.class, attribute = "controllers")
    Class<?>[] value() default {};

    /** The beans every web slice shares. */
    @TestConfiguration(proxyBeanMethods = false)
    @EnableConfigurationProperties(BillingSettings.class)
    class Support {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        AccountKeyAuthenticator accountKeys() {
            return key -> WebSlice.ACCOUNT_KEY.equals(key)
                    ? Optional.of(Caller.account(WebSlice.ACCOUNT_ID, WebSlice.ACCOUNT_KEY_ID)) : Optional.empty();
        }

    }

}
