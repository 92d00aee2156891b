package io.planbilling.reliability;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real PostgreSQL (zonky's binaries) that the reliability tests own: a fixed data
 * directory under {@code target/reliability/<name>} and a fixed port, so it can be
 * stopped and started again on the same port and data (zonky runs {@code initdb} only
 * when the directory has no {@code postgresql.conf}, and with
 * {@code setCleanDataDirectory(false)} it never deletes the directory on close).
 */
final class ReliabilityDatabase implements AutoCloseable {

    private final Path directory;

    private final int port;

    private EmbeddedPostgres postgres;

    private ReliabilityDatabase(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    /** A fresh database: the directory of an earlier run is removed first. */
    static ReliabilityDatabase startFresh(String name) {
        Path directory = ServiceProcess.workDirectory().resolve(name).resolve("pgdata");
        deleteRecursively(directory);
        ReliabilityDatabase database = new ReliabilityDatabase(directory, ServiceProcess.freePort());
        database.start();
        return database;
    }

    synchronized void start() {
        if (postgres != null) {
            throw new IllegalStateException("already running");
        }
        try {
            Files.createDirectories(directory);
            postgres = EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("max_connections", "100")
                // the tests crash service processes, never the database, and every stop
                // is a clean shutdown
                .setServerConfig("fsync", "off")
                .start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("PostgreSQL did not start in " + directory, ex);
        }
    }

    /**
     * Stops the server (fast shutdown: open connections are terminated with SQLState
     * 57P01).
     */
    synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        finally {
            postgres = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    int port() {
        return port;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    String username() {
        return "postgres";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), username(), "");
    }

    /** The single number a query answers (a count, a sum); 0 for SQL NULL. */
    long number(String sql, Object... params) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException(sql, ex);
        }
    }

    /**
     * The single decimal a query answers, as a plain string with two places ("0.00" for
     * NULL).
     */
    String decimal(String sql, Object... params) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                java.math.BigDecimal value = rows.getBigDecimal(1);
                return (value == null ? java.math.BigDecimal.ZERO : value).setScale(2).toPlainString();
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException(sql, ex);
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

}
