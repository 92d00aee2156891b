package io.planbilling.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.planbilling.platform.db.ExternalDatabaseRequired.DatabaseNotConfiguredException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.mock.env.MockEnvironment;

/**
 * The packaged jar's side of the start-up decision; StartupIT runs both sides as real
 * processes.
 */
class ExternalDatabaseRequiredTest {

    private final ExternalDatabaseRequired check = new ExternalDatabaseRequired();

    @Test
    void withoutTheEmbeddedDatabaseAndWithoutAUrlTheServiceRefusesNamingTheVariables() {
        DatabaseNotConfiguredException refused = catchThrowableOfType(DatabaseNotConfiguredException.class,
                () -> check.postProcessEnvironment(new MockEnvironment(), packaged()));

        FailureAnalysis analysis = new DatabaseNotConfiguredAnalyzer().analyze(refused);
        assertThat(analysis.getDescription()).isEqualTo("No database configured: set SPRING_DATASOURCE_URL, "
                + "SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD (the packaged service has no embedded "
                + "PostgreSQL).");
        assertThat(analysis.getAction()).contains("SPRING_DATASOURCE_URL=jdbc:postgresql://");
    }

    @Test
    void aConfiguredUrlIsEnough() {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.datasource.url",
                "jdbc:postgresql://db.internal:5432/billing");

        assertThatNoException().isThrownBy(() -> check.postProcessEnvironment(environment, packaged()));
    }

    @Test
    void theDevelopmentClasspathMayRunWithoutAUrl() {
        assertThatNoException()
            .isThrownBy(() -> check.postProcessEnvironment(new MockEnvironment(), new SpringApplication()));
    }

    /**
     * An application whose class loader has no embedded PostgreSQL, like the repackaged
     * jar's.
     */
    private static SpringApplication packaged() {
        SpringApplication application = new SpringApplication();
        application.setResourceLoader(
                new org.springframework.core.io.DefaultResourceLoader(new FilteredClassLoader(EmbeddedPostgres.class)));
        return application;
    }

}
