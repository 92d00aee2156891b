package io.planbilling.reliability;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One real service process: {@code java -jar} of the jar {@code package} built, on its
 * own port, against a given database, with its output in
 * {@code target/reliability/<name>.log}. Started with the production heap and collector
 * and C1 only (quick start on two cores).
 */
final class ServiceProcess implements AutoCloseable {

    static final String OPERATOR_KEY = "it-operator-key";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final String name;

    private final ReliabilityDatabase database;

    private final Map<String, String> extraEnvironment;

    private final int port;

    private final Path log;

    private Process process;

    private int starts;

    ServiceProcess(String name, ReliabilityDatabase database, Map<String, String> extraEnvironment) {
        this.name = name;
        this.database = database;
        this.extraEnvironment = extraEnvironment;
        this.port = freePort();
        this.log = workDirectory().resolve(name + ".log");
    }

    ServiceProcess(String name, ReliabilityDatabase database) {
        this(name, database, Map.of());
    }

    static Path workDirectory() {
        Path directory = Paths.get(System.getProperty("billing.it.work", "target/reliability")).toAbsolutePath();
        try {
            Files.createDirectories(directory);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return directory;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Starts the process and waits until its health is UP; fails with the log's tail when
     * it does not come up.
     */
    synchronized ServiceProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        String jar = System.getProperty("billing.it.jar");
        if (jar == null || !Files.exists(Paths.get(jar))) {
            throw new IllegalStateException(
                    "billing.it.jar must name the packaged jar (run through failsafe after " + "package): " + jar);
        }
        List<String> command = new ArrayList<>(
                List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xms64m", "-Xmx256m",
                        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-jar", jar));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.putAll(environment());
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Files.writeString(log, "%n==== start %d of %s on port %d ====%n".formatted(++starts, name, port),
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            process = builder.start();
            Process started = process;
            // should this JVM die without @AfterAll, the service process must not outlive
            // it
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        awaitHealthy();
        return this;
    }

    private Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SPRING_DATASOURCE_URL", database.jdbcUrl());
        environment.put("SPRING_DATASOURCE_USERNAME", database.username());
        environment.put("SPRING_DATASOURCE_PASSWORD", "");
        environment.put("SERVER_PORT", Integer.toString(port));
        environment.put("BILLING_SECURITY_OPERATOR_API_KEY", OPERATOR_KEY);
        environment.put("BILLING_CLOCK_ADJUSTABLE", "true");
        environment.put("BILLING_LIFECYCLE_SCHEDULED", "false");
        environment.put("BILLING_RATE_LIMIT_ENABLED", "false");
        // a manual run waits for one in progress on the other instance rather than
        // answering 409 LIFECYCLE_BUSY
        environment.put("BILLING_LIFECYCLE_MANUAL_WAIT", "PT60S");
        // a killed instance's lifecycle lock must expire quickly for the restarted one
        environment.put("BILLING_LIFECYCLE_LOCK_AT_MOST", "PT5S");
        environment.putAll(extraEnvironment);
        return environment;
    }

    private void awaitHealthy() {
        Http http = http();
        try {
            await(name + " healthy").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            name + " exited with " + process.exitValue() + " while starting:\n" + logTail());
                }
                return http.healthStatus() == 200;
            });
        }
        catch (ConditionTimeoutException slow) {
            kill();
            throw new IllegalStateException(name + " was not healthy after " + START_TIMEOUT + ":\n" + logTail());
        }
    }

    /** SIGKILL: no shutdown hook, no graceful close of anything. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    Http http() {
        return new Http("http://localhost:" + port);
    }

    String name() {
        return name;
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        }
        catch (IOException ex) {
            return "(no log: " + ex + ")";
        }
    }

    /** The whole log (every start), for assertions on what the service wrote. */
    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() {
        kill();
    }

    /**
     * A deliberate pause (pacing traffic, or a phase of a scenario), never a wait for
     * something to happen.
     */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

}
