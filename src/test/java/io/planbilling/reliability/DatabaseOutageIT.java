package io.planbilling.reliability;

import static io.planbilling.reliability.Http.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planbilling.reliability.Http.Account;
import io.planbilling.reliability.Http.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL is stopped and started again under a steady stream of requests: while it is
 * away every request is answered quickly with 503 {@code SERVICE_UNAVAILABLE} as a
 * problem (never a 500, never a stack trace) and health is DOWN; once it is back the same
 * process serves requests again, without a restart.
 */
class DatabaseOutageIT {

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutageIT.class);

    private static final String OPERATOR = ServiceProcess.OPERATOR_KEY;

    private static final Duration OUTAGE = Duration.ofSeconds(12);

    static ReliabilityDatabase database;
    static ServiceProcess service;

    @BeforeAll
    static void start() {
        database = ReliabilityDatabase.startFresh("database-outage");
        service = new ServiceProcess("outage", database).start();
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (database != null) {
            database.close();
        }
    }

    enum Phase {

        BEFORE, OUTAGE, RECOVERY

    }

    record Seen(String kind, Phase phase, int status, String contentType, String code, String body, long millis) {
    }

    /**
     * One kind of request the stream repeats; each exercises another path to the
     * database.
     */
    interface Call {

        Response send(Http http, int n) throws IOException;

    }

    @Test
    void aDatabaseRestartUnderLoadAnswers503ProblemsAndRecoversWithoutARestartOfTheService() throws Exception {
        Http http = service.http();
        Account account = http.account("outage", "100000.00");
        UUID device = http.device(account);
        java.time.Instant at = http.now();
        Map<String, Call> calls = new LinkedHashMap<>();
        // account key: authenticated against the database inside the security filter
        // chain
        calls.put("account GET /account", (h, n) -> h.send("GET", "/api/v1/account", account.key(), null, Map.of()));
        calls.put("account POST /traffic-packages with Idempotency-Key",
                (h, n) -> h.send("POST", "/api/v1/traffic-packages", account.key(),
                        Http.purchaseBody("DEVICE_1_FLOW_20G", List.of(), false),
                        Map.of("Idempotency-Key", "outage-" + UUID.randomUUID())));
        // operator key: no database in authentication, so the idempotency filter and the
        // controllers meet it
        calls.put("operator GET /accounts/{id}",
                (h, n) -> h.send("GET", "/api/v1/accounts/" + account.id(), OPERATOR, null, Map.of()));
        calls.put("operator POST /credits with Idempotency-Key",
                (h, n) -> h.send("POST", "/api/v1/accounts/" + account.id() + "/credits", OPERATOR,
                        Map.of("amount", Http.money("1.00"), "reference", "outage-" + UUID.randomUUID()),
                        Map.of("Idempotency-Key", "outage-" + UUID.randomUUID())));
        calls.put("operator POST /traffic-usage", (h, n) -> h.send("POST", "/api/v1/traffic-usage", OPERATOR,
                Map.of("records", List.of(Http.record("outage-" + UUID.randomUUID(), device, 1024, at))), Map.of()));
        calls.put("GET /actuator/health", (h, n) -> h.send("GET", "/actuator/health", null, null, Map.of()));

        List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Phase> phase = new AtomicReference<>(Phase.BEFORE);
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> transportFailures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService streams = Executors.newFixedThreadPool(calls.size());
        calls.forEach((kind, call) -> streams.submit(() -> {
            for (int n = 0; running.get(); n++) {
                Phase when = phase.get();
                long started = System.nanoTime();
                try {
                    Response response = call.send(http, n);
                    seen.add(new Seen(kind, when, response.status(), String.valueOf(response.header("Content-Type")),
                            response.code(), response.raw(), (System.nanoTime() - started) / 1_000_000));
                }
                catch (IOException | RuntimeException ex) {
                    transportFailures.add(kind + ": " + ex);
                }
                ServiceProcess.sleep(50); // pacing: about 20 requests a second per
                                          // stream, not a wait
            }
        }));
        ServiceProcess.sleep(1500); // a phase of the scenario: traffic before the outage

        long pid = service.pid();
        phase.set(Phase.OUTAGE);
        // requests that started before the flip finish first (they take milliseconds), so
        // BEFORE means "before"
        ServiceProcess.sleep(300);
        long stopped = System.nanoTime();
        database.stop();
        log.info("PostgreSQL stopped");
        // the outage lasts OUTAGE, with health asked halfway: its length is the scenario,
        // not a wait
        ServiceProcess.sleep(OUTAGE.toMillis() / 2);
        Response healthDuringOutage = http.call("GET", "/actuator/health", null, null);
        ServiceProcess.sleep(OUTAGE.toMillis() / 2);
        database.start();
        long outageMillis = (System.nanoTime() - stopped) / 1_000_000;
        phase.set(Phase.RECOVERY);
        log.info("PostgreSQL started again after {} ms", outageMillis);
        long recovering = System.nanoTime();
        await("health UP after PostgreSQL is back").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> http.healthStatus() == 200);
        long recoveredAfter = (System.nanoTime() - recovering) / 1_000_000;
        ServiceProcess.sleep(1500); // a phase of the scenario: traffic after the recovery
        running.set(false);
        streams.shutdown();
        assertThat(streams.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        Map<String, Long> statuses = seen.stream()
            .collect(Collectors.groupingBy(s -> s.phase() + " " + s.status(), java.util.TreeMap::new,
                    Collectors.counting()));
        long unavailable = seen.stream().filter(s -> s.status() == 503).count();
        log.info(
                "Outage of {} ms; health UP {} ms after PostgreSQL was back; responses by phase and status: {}; "
                        + "503s: {}; slowest during the outage: {} ms",
                outageMillis, recoveredAfter, statuses, unavailable,
                seen.stream().filter(s -> s.phase() == Phase.OUTAGE).mapToLong(Seen::millis).max().orElse(0));
        seen.stream()
            .filter(s -> s.status() == 503 && !s.kind().contains("health"))
            .map(Seen::body)
            .distinct()
            .limit(3)
            .forEach(body -> log.info("A 503 body: {}", body));

        assertThat(service.alive()).as("the same process (pid %s) served throughout", pid).isTrue();
        assertThat(service.pid()).isEqualTo(pid);
        assertThat(transportFailures).as("requests without an answer").isEmpty();
        assertThat(seen).as("no 5xx other than 503, ever").noneMatch(s -> s.status() >= 500 && s.status() != 503);
        assertThat(seen).filteredOn(s -> s.phase() == Phase.BEFORE)
            .isNotEmpty()
            .allSatisfy(s -> assertThat(s.status()).as("%s", s).isBetween(200, 201));
        assertThat(seen).filteredOn(s -> s.status() == 503 && !s.kind().contains("health")).allSatisfy(s -> {
            assertThat(s.contentType()).as("%s", s).startsWith("application/problem+json");
            assertThat(s.code()).as("%s", s).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(s.body()).doesNotContain("Exception").doesNotContain("\tat ");
        });
        assertThat(seen).filteredOn(s -> s.status() != 503 && s.status() >= 300)
            .as("nothing but 503 when it fails")
            .isEmpty();
        for (String kind : calls.keySet()) {
            assertThat(seen).as("%s answered 503 during the outage", kind)
                .anyMatch(s -> s.kind().equals(kind) && s.phase() == Phase.OUTAGE && s.status() == 503);
            assertThat(seen).as("%s succeeded again after the outage", kind)
                .filteredOn(s -> s.kind().equals(kind) && s.phase() == Phase.RECOVERY)
                .last()
                .satisfies(s -> assertThat(s.status()).as("%s", s).isBetween(200, 201));
        }
        assertThat(seen).filteredOn(s -> s.phase() == Phase.OUTAGE)
            .allSatisfy(s -> assertThat(s.millis()).as("%s", s).isLessThan(15_000));
        assertThat(healthDuringOutage.status()).isEqualTo(503);
        assertThat(healthDuringOutage.text("/status")).isEqualTo("DOWN");

        // after recovery: every path works again, on the same process
        assertThat(http.healthStatus()).isEqualTo(200);
        expect(http.get("/api/v1/account", account.key()), 200);
        expect(http.purchase(account, "DEVICE_1_FLOW_20G", List.of(), false), 201);
        expect(http.get("/api/v1/accounts/" + account.id(), OPERATOR), 200);
        assertThat(database.decimal("SELECT balance FROM accounts WHERE id = ?", account.id()))
            .isEqualTo(database.decimal("SELECT sum(amount) FROM ledger_entries WHERE account_id = ?", account.id()));
    }

}
