package io.planbilling.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * A test over real HTTP against the whole service on real PostgreSQL. Every class with this annotation shares one
 * application context: the test clock is adjustable, the operator key is {@link TestApi#OPERATOR_KEY}, and the
 * scheduled lifecycle run is off so that tests run the job explicitly and see exactly what it did (a manual run waits
 * at most a second for a lock held elsewhere).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "billing.clock.adjustable=true",
        "billing.security.operator-api-key=" + TestApi.OPERATOR_KEY,
        "billing.lifecycle.scheduled=false",
        "billing.lifecycle.manual-wait=PT1S",
        // tests fire bursts of requests with one key; the limit itself is tested with its own settings
        "billing.rate-limit.requests-per-second=10000", "billing.rate-limit.burst=10000" })
@Import(TestApi.class)
public @interface ApiTest {
}
