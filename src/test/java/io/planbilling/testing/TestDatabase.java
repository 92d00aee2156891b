package io.planbilling.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one real PostgreSQL of a test run, started on first use and shared by every test
 * context.
 *
 * <p>
 * {@code -Dbilling.test.database=auto} (the default) uses Testcontainers'
 * {@code postgres:18} when a Docker engine answers and the embedded PostgreSQL (zonky,
 * binaries from Maven Central) otherwise; {@code docker} or {@code embedded} forces one.
 * No test is skipped for lack of Docker.
 */
public final class TestDatabase {

    private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);

    public record Connection(String url, String username, String password) {
    }

    private static volatile Connection connection;

    private TestDatabase() {
    }

    public static Connection connection() {
        if (connection == null) {
            synchronized (TestDatabase.class) {
                if (connection == null) {
                    connection = start();
                }
            }
        }
        return connection;
    }

    /**
     * A database of its own on the same server, created on first use (Flyway migrates it
     * when a context starts on it): for a test whose assertions no other live context's
     * background work may disturb.
     */
    public static Connection database(String name) {
        if (!name.matches("[a-z_]+")) {
            throw new IllegalArgumentException("a database name of lowercase letters and underscores: " + name);
        }
        Connection server = connection();
        synchronized (TestDatabase.class) {
            try (java.sql.Connection admin = DriverManager.getConnection(server.url(), server.username(),
                    server.password());
                    PreparedStatement exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, name);
                try (ResultSet found = exists.executeQuery()) {
                    if (!found.next()) {
                        try (Statement create = admin.createStatement()) {
                            create.execute("CREATE DATABASE " + name);
                        }
                    }
                }
            }
            catch (SQLException ex) {
                throw new IllegalStateException("Could not create the test database " + name, ex);
            }
        }
        return new Connection(server.url().replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name),
                server.username(), server.password());
    }

    /**
     * Points a test context at a database of its own ({@link #database}), from a
     * {@code @DynamicPropertySource}: for a test whose rows no other live context's
     * background work may claim, or whose schema objects are its own.
     */
    public static void useOwn(DynamicPropertyRegistry properties, String name) {
        Connection db = database(name);
        properties.add("spring.datasource.url", db::url);
        properties.add("spring.datasource.username", db::username);
        properties.add("spring.datasource.password", db::password);
    }

    private static Connection start() {
        String mode = System.getProperty("billing.test.database", "auto");
        boolean docker = switch (mode) {
            case "docker" -> true;
            case "embedded" -> false;
            case "auto", "" -> dockerAvailable();
            default ->
                throw new IllegalArgumentException("billing.test.database must be auto, docker or embedded: " + mode);
        };
        return docker ? startContainer() : startEmbedded();
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (RuntimeException | LinkageError ex) {
            return false;
        }
    }

    @SuppressWarnings("resource")
    private static Connection startContainer() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:18").withCommand("postgres", "-c",
                "max_connections=200", "-c", "fsync=off");
        container.start();
        log.info("Tests use Testcontainers PostgreSQL {}", container.getJdbcUrl());
        return new Connection(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }

    private static Connection startEmbedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "off")
                .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                }
                catch (IOException ignored) {
                    // the JVM is going away; the temporary data directory goes with the
                    // server
                }
            }));
            String url = postgres.getJdbcUrl("postgres", "postgres");
            log.info("Tests use embedded PostgreSQL {}", url);
            return new Connection(url, "postgres", "");
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Embedded PostgreSQL did not start", ex);
        }
    }

}
