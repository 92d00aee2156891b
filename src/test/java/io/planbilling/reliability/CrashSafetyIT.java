package io.planbilling.reliability;

import static io.planbilling.reliability.Http.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planbilling.reliability.Http.Account;
import io.planbilling.reliability.Http.Response;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service process is killed with SIGKILL in the middle of work and started again:
 * whatever it acknowledged is there exactly once, whatever it did not acknowledge is
 * there entirely or not at all, and work it was cut off from is finished by the next run
 * without doing anything twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashSafetyIT {

    private static final Logger log = LoggerFactory.getLogger(CrashSafetyIT.class);

    private static final String OPERATOR = ServiceProcess.OPERATOR_KEY;

    private static final long MB = 1024L * 1024;

    static ReliabilityDatabase database;
    static ServiceProcess service;

    @BeforeAll
    static void start() {
        database = ReliabilityDatabase.startFresh("crash-safety");
        // chunks of 20 accounts, so that a storm has many and a kill lands in the middle
        service = new ServiceProcess("crash", database, Map.of("BILLING_LIFECYCLE_CHUNK_SIZE", "20")).start();
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

    enum Outcome {

        ACKNOWLEDGED, REFUSED, CUT_OFF

    }

    record Batch(List<Map<String, Object>> records, List<String> ids, long bytes) {
    }

    record Sent(Batch batch, Outcome outcome, String detail) {
    }

    @Test
    @Order(1)
    void usageBatchesAcknowledgedBeforeAKillAreAppliedOnceAndNoBatchIsHalfApplied() throws Exception {
        Http http = service.http();
        Account account = http.account("metered through a crash", "3000.00");
        List<UUID> devices = new ArrayList<>();
        List<UUID> packages = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            List<UUID> bound = new ArrayList<>();
            for (int d = 0; d < 5; d++) {
                bound.add(http.device(account));
            }
            devices.addAll(bound);
            packages.add(http.bought(account, "DEVICE_5_FLOW_500G", bound, false));
        }
        Instant at = http.now();
        int threads = 4;
        int recordsPerBatch = 200;
        List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            clients.submit(() -> {
                for (int n = 0; n < 10_000; n++) {
                    Batch batch = batch("crash-t" + thread + "-b" + n, recordsPerBatch, devices, at);
                    try {
                        Response response = http.usage(batch.records());
                        sent.add(new Sent(batch, response.status() == 200 ? Outcome.ACKNOWLEDGED : Outcome.REFUSED,
                                response.toString()));
                        if (response.status() == 200) {
                            acknowledged.incrementAndGet();
                        }
                    }
                    catch (IOException | RuntimeException ex) {
                        sent.add(new Sent(batch, Outcome.CUT_OFF, ex.toString()));
                        return;
                    }
                    if (killed.get()) {
                        return;
                    }
                }
            });
        }
        await("12 usage batches acknowledged before the kill").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(10))
            .until(() -> acknowledged.get() >= 12);

        long pid = service.pid();
        service.kill();
        killed.set(true);
        clients.shutdown();
        assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        long cutOff = sent.stream().filter(s -> s.outcome() == Outcome.CUT_OFF).count();
        log.info(
                "Killed pid {} (SIGKILL) with {} batches acknowledged, {} refused, {} without an answer (cut off in flight or refused connection)",
                pid, acknowledged.get(), sent.stream().filter(s -> s.outcome() == Outcome.REFUSED).count(), cutOff);
        assertThat(sent).filteredOn(s -> s.outcome() == Outcome.REFUSED).as("refused batches").isEmpty();
        assertThat(acknowledged.get()).isGreaterThanOrEqualTo(12);

        service.start();

        int cutOffButCommitted = 0;
        for (Sent s : sent) {
            long present = present(s.batch().ids());
            if (s.outcome() == Outcome.ACKNOWLEDGED) {
                assertThat(present).as("acknowledged batch %s", s.batch().ids().get(0))
                    .isEqualTo(s.batch().ids().size());
            }
            else {
                assertThat(present)
                    .as("batch %s cut off by the kill (%s) is all or nothing", s.batch().ids().get(0), s.detail())
                    .isIn(0L, (long) s.batch().ids().size());
                if (present > 0) {
                    cutOffButCommitted++;
                }
            }
        }
        log.info("Of {} batches cut off, {} had committed before the kill and {} had not", cutOff, cutOffButCommitted,
                cutOff - cutOffButCommitted);
        // the pipeline retries everything: acknowledged and committed batches are all
        // duplicates, the rest applies
        Http restarted = service.http();
        for (Sent s : sent) {
            boolean wasThere = present(s.batch().ids()) > 0;
            Response retry = expect(restarted.usage(s.batch().records()), 200);
            int size = s.batch().ids().size();
            assertThat(retry.number("/duplicates")).as("%s", s.batch().ids().get(0)).isEqualTo(wasThere ? size : 0);
            assertThat(retry.number("/applied")).isEqualTo(wasThere ? 0 : size);
        }
        long expectedBytes = sent.stream().mapToLong(s -> s.batch().bytes()).sum();
        assertThat(database.number("SELECT count(*) FROM traffic_usage_records WHERE id LIKE 'crash-t%'"))
            .isEqualTo(sent.stream().mapToLong(s -> s.batch().ids().size()).sum());
        assertThat(database.number("SELECT sum(bytes) FROM traffic_usage_records WHERE id LIKE 'crash-t%'"))
            .isEqualTo(expectedBytes);
        long used = 0;
        for (UUID packageId : packages) {
            long usedBytes = restarted.pkg(account, packageId).number("/usedBytes");
            assertThat(usedBytes).as("usedBytes of %s", packageId)
                .isEqualTo(database.number("SELECT sum(package_bytes) FROM traffic_usage_records WHERE package_id = ?",
                        packageId));
            used += usedBytes;
        }
        assertThat(used).as("every byte offset by a package").isEqualTo(expectedBytes);
    }

    @Test
    @Order(2)
    void aRenewalStormKilledHalfwayIsFinishedByTheNextRunWithoutRenewingAnythingTwice() throws Exception {
        int accounts = 400;
        int perAccount = 5;
        int total = accounts * perAccount;
        seedStorm(accounts, perAccount);

        long started = System.nanoTime();
        CompletableFuture<Response> run = service.http()
            .sendAsync("POST", "/api/v1/admin/lifecycle/run", OPERATOR, Map.of());
        // kill as soon as the first chunk of renewals has committed (or after 20 s,
        // whichever comes first)
        try {
            await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> autoRenewals() > 0 || run.isDone());
        }
        catch (ConditionTimeoutException slow) {
            log.info("No renewal committed within 20 s; killing the run anyway");
        }
        long pid = service.pid();
        service.kill();
        long killedAfter = (System.nanoTime() - started) / 1_000_000;
        long renewedBeforeKill = autoRenewals();
        boolean answered = run.handle((response, failure) -> response != null).get(30, TimeUnit.SECONDS);
        log.info("Killed pid {} (SIGKILL) {} ms into a storm of {} renewals (chunks of 20 accounts): {} renewed at "
                + "the kill, run answered: {}", pid, killedAfter, total, renewedBeforeKill, answered);
        assertThat(answered).as("the run must not have finished before the kill").isFalse();
        assertThat(renewedBeforeKill).as("killed mid-storm").isPositive().isLessThan(total);

        service.start();
        long again = System.nanoTime();
        Response second = service.http().post("/api/v1/admin/lifecycle/run", OPERATOR, Map.of());
        log.info("Lifecycle run after the restart took {} ms (the dead instance's lock expires after PT5S): {}",
                (System.nanoTime() - again) / 1_000_000, second);
        expect(second, 200);

        assertThat(renewed(second)).as("renewed by the second run").isEqualTo(total - renewedBeforeKill);
        assertThat(autoRenewals()).isEqualTo(total);
        assertThat(database.number("""
                SELECT count(*) FROM traffic_packages p JOIN accounts a ON a.id = p.account_id
                WHERE a.name = 'storm through a crash' AND p.predecessor_id IS NULL
                  AND (p.status <> 'EXPIRED'
                       OR (SELECT count(*) FROM traffic_packages s WHERE s.predecessor_id = p.id) <> 1)
                """)).as("storm packages not expired with exactly one successor").isZero();
        assertThat(database.number("""
                SELECT count(*) FROM accounts a WHERE a.name = 'storm through a crash'
                  AND (a.balance <> 850.00
                       OR a.balance <> (SELECT sum(e.amount) FROM ledger_entries e WHERE e.account_id = a.id)
                       OR (SELECT count(*) FROM ledger_entries e
                           WHERE e.account_id = a.id AND e.kind = 'AUTO_RENEWAL') <> 5)
                """)).as("storm accounts without 5 renewals, 850.00 left and balance = ledger sum").isZero();
        Response third = expect(service.http().post("/api/v1/admin/lifecycle/run", OPERATOR, Map.of()), 200);
        assertThat(renewed(third)).isZero();
    }

    /**
     * {@code accounts} accounts of 1000.00 with {@code perAccount} auto-renewing 30.00
     * packages each (one device each), whose cycle ended an hour ago.
     */
    private static void seedStorm(int accounts, int perAccount) throws SQLException {
        try (Connection connection = database.connect(); PreparedStatement seed = connection.prepareStatement("""
                WITH a AS (
                    INSERT INTO accounts (id, name, balance, created_at, version)
                    SELECT gen_random_uuid(), 'storm through a crash', 1000.00, now() - interval '40 days', 0
                    FROM generate_series(1, ?) RETURNING id),
                l AS (
                    INSERT INTO ledger_entries (id, account_id, posted_at, kind, amount, balance_after,
                                                description)
                    SELECT gen_random_uuid(), a.id, now() - interval '40 days', 'CREDIT', 1000.00, 1000.00,
                           'storm top-up' FROM a),
                p AS (
                    INSERT INTO traffic_packages (id, account_id, type, region, status, capacity_bytes,
                        used_bytes, max_devices, auto_renew, price, paid, valid_from, valid_until, created_at)
                    SELECT gen_random_uuid(), a.id, 'DEVICE_1_FLOW_20G', 'GUANGZHOU', 'ACTIVE', 21474836480, 0,
                           1, true, 30.00, 30.00, now() - interval '31 days', now() - interval '1 hour',
                           now() - interval '31 days'
                    FROM a CROSS JOIN generate_series(1, ?) RETURNING id, account_id),
                d AS (
                    INSERT INTO traffic_devices (id, account_id, name, overage_policy, created_at)
                    SELECT gen_random_uuid(), p.account_id, p.id::text, 'PAY_AS_YOU_GO', now() - interval '31 days'
                    FROM p RETURNING id, name)
                INSERT INTO traffic_bindings (package_id, device_id, bound_at)
                SELECT CAST(d.name AS uuid), d.id, now() - interval '31 days' FROM d
                """)) {
            seed.setInt(1, accounts);
            seed.setInt(2, perAccount);
            seed.executeUpdate();
        }
    }

    private static long autoRenewals() {
        return database.number("SELECT count(*) FROM ledger_entries e JOIN accounts a ON a.id = e.account_id"
                + " WHERE e.kind = 'AUTO_RENEWAL' AND a.name = 'storm through a crash'");
    }

    private static long renewed(Response run) {
        for (var step : run.body().get("steps")) {
            if (step.get("name").asString().equals("traffic-package-expiry")) {
                assertThat(step.get("succeeded").asBoolean()).as("%s", run).isTrue();
                return step.at("/counts/renewed").asLong();
            }
        }
        throw new AssertionError("no traffic-package-expiry step in " + run);
    }

    private static Batch batch(String prefix, int size, List<UUID> devices, Instant at) {
        List<Map<String, Object>> records = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < size; i++) {
            String id = prefix + "-r" + i;
            long amount = MB + i;
            records.add(Http.record(id, devices.get(i % devices.size()), amount, at));
            ids.add(id);
            bytes += amount;
        }
        return new Batch(records, ids, bytes);
    }

    /** How many of these record ids the database holds. */
    private static long present(List<String> ids) throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection
                    .prepareStatement("SELECT count(*) FROM traffic_usage_records WHERE id = ANY (?)")) {
            Array array = connection.createArrayOf("varchar", ids.toArray());
            statement.setArray(1, array);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

}
