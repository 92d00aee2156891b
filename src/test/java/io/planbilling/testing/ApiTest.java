package io.planbilling.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * A test over real HTTP against the whole service on real PostgreSQL. Every class with
 * this annotation shares one application context: the test clock is adjustable, the
 * operator key is {@link TestApi#OPERATOR_KEY}, and the scheduled lifecycle run is off so
 * that tests run the job explicitly and see exactly what it did (a manual run waits at
 * most a second for a lock held elsewhere).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "billing.clock.adjustable=true", "billing.security.operator-api-key=" + TestApi.OPERATOR_KEY,
                "billing.lifecycle.scheduled=false", "billing.lifecycle.manual-wait=PT1S",
                // tests fire bursts of requests with one key; the limit itself is tested
                // with its own settings
                "billing.rate-limit.requests-per-second=10000", "billing.rate-limit.burst=10000",
                // the hostile tests (fuzz, tenant isolation, security) send many bad keys
                // from loopback; the throttle of
                // failed authentication is tested with the production defaults
                // (ProductionDefaultsTest)
                "billing.security.auth-throttle.failures-per-window=1000000",
                "billing.security.auth-throttle.burst=1000000",
                // webhooks go to receivers the tests start on loopback, with retries in
                // fractions of a second
                "billing.webhooks.allow-private-networks=true", "billing.webhooks.poll-interval=PT0.1S",
                "billing.webhooks.initial-retry-interval=PT0.3S", "billing.webhooks.max-retry-interval=PT2S",
                "billing.webhooks.max-attempts=8", "billing.webhooks.disable-after-failures=6",
                "billing.webhooks.connect-timeout=PT1S", "billing.webhooks.request-timeout=PT1S",
                "billing.webhooks.lease=PT5S" })
@Import(TestApi.class)
public @interface ApiTest {

}
