package io.planbilling.platform.db;

import io.planbilling.platform.db.ExternalDatabaseRequired.DatabaseNotConfiguredException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns {@link DatabaseNotConfiguredException} into Boot's start-up failure report: the
 * description is one line naming the three variables, the action says what they look
 * like. Registered in {@code META-INF/spring.factories}.
 */
class DatabaseNotConfiguredAnalyzer extends AbstractFailureAnalyzer<DatabaseNotConfiguredException> {

    static final String DESCRIPTION = "No database configured: set SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME "
            + "and SPRING_DATASOURCE_PASSWORD (the packaged service has no embedded PostgreSQL).";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DatabaseNotConfiguredException cause) {
        return new FailureAnalysis(DESCRIPTION, """
                Point the service at its PostgreSQL, e.g.
                    SPRING_DATASOURCE_URL=jdbc:postgresql://db.internal:5432/billing
                    SPRING_DATASOURCE_USERNAME=billing
                    SPRING_DATASOURCE_PASSWORD=…
                For development, ./mvnw spring-boot:run starts an embedded PostgreSQL instead (data in ./.data).""",
                cause);
    }

}
