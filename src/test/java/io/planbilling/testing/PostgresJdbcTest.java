package io.planbilling.testing;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.planbilling.events.EventTableSlice;
import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.EventOutbox;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Clock;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A JDBC slice: the SQL of one store on the real PostgreSQL of the test run
 * ({@link TestDatabase}, migrated by Flyway), without the web layer, security or any
 * other module's components. The test class imports the classes under test
 * ({@code @Import(Ledger.class)}); add {@code @AutoConfigureDataJpa} for a JPA
 * repository.
 *
 * <p>
 * What every slice gets besides the {@code DataSource}, {@code JdbcClient},
 * {@code JdbcTemplate} and {@code TransactionTemplate}: {@link BillingSettings}, the
 * API's {@code JsonMapper}, a system {@link Clock}, a {@link SimpleMeterRegistry} and the
 * real transactional outbox ({@link EventOutbox} writing through the events module's
 * {@code EventTable}), so a write path that records events runs as in production and its
 * events can be read back from the {@code events} table.
 *
 * <p>
 * No test-managed transaction: the code under test commits as it does in production
 * (locks, {@code SKIP LOCKED}, triggers at commit and concurrent transactions need that),
 * so a test creates its own rows under fresh ids, like every test on the shared database.
 * Contexts with the same imports are cached and shared; the pool is kept small because
 * every cached context keeps its own.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@JdbcTest(properties = { "spring.datasource.hikari.maximum-pool-size=12", "spring.datasource.hikari.minimum-idle=0" })
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@ImportAutoConfiguration(JacksonAutoConfiguration.class)
@Import({ PostgresJdbcTest.Support.class, EventOutbox.class, EventTableSlice.class })
public @interface PostgresJdbcTest {

    /** The beans every JDBC slice shares. */
    @TestConfiguration(proxyBeanMethods = false)
    @EnableConfigurationProperties(BillingSettings.class)
    class Support {

        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

    }

}
