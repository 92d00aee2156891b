package io.planbilling.reliability;

import static io.planbilling.reliability.Http.GB;
import static io.planbilling.reliability.Http.expect;
import static io.planbilling.testing.Race.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.reliability.Http.Account;
import io.planbilling.reliability.Http.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Concurrency across instances (docs/api-guide.md): two real service processes on one
 * PostgreSQL, raced over HTTP. Every race must end exactly as it would on one instance;
 * the outcome is read back through both instances and straight from the database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiInstanceIT {

    private static final Logger log = LoggerFactory.getLogger(MultiInstanceIT.class);

    private static final String OPERATOR = ServiceProcess.OPERATOR_KEY;

    static ReliabilityDatabase database;
    static ServiceProcess a;
    static ServiceProcess b;
    static Http httpA;
    static Http httpB;

    @BeforeAll
    static void startTwoInstances() throws Exception {
        database = ReliabilityDatabase.startFresh("multi-instance");
        a = new ServiceProcess("multi-a", database);
        b = new ServiceProcess("multi-b", database);
        long started = System.nanoTime();
        // both migrate the fresh database at once: Flyway's own lock makes one wait for
        // the other
        run(List.<Callable<ServiceProcess>>of(a::start, b::start));
        log.info("Instances A and B healthy after {} ms", (System.nanoTime() - started) / 1_000_000);
        httpA = a.http();
        httpB = b.http();
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (database != null) {
            database.close();
        }
    }

    /** Even tasks go to A, odd ones to B. */
    private static Http instance(int i) {
        return i % 2 == 0 ? httpA : httpB;
    }

    @Test
    @Order(1)
    void bindsRacingForTheLastSlotsOfAThreeDevicePackageOnTwoInstancesBindExactlyThree() throws Exception {
        Account account = httpA.account("binds on two instances", "200.00");
        UUID packageId = httpA.bought(account, "DEVICE_3_FLOW_100G", List.of(), false);
        List<Callable<Response>> binds = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            UUID device = httpB.device(account);
            Http http = instance(i);
            binds.add(() -> http.post("/api/v1/traffic-packages/" + packageId + "/bindings", account.key(),
                    Map.of("deviceIds", List.of(device))));
        }

        List<Response> results = run(binds);

        log.info("12 binds over A and B: {}", statuses(results));
        assertThat(results).filteredOn(r -> r.status() == 200).as("%s", results).hasSize(3);
        assertThat(results).filteredOn(r -> r.status() != 200)
            .hasSize(9)
            .allSatisfy(r -> assertThat(r.code()).isEqualTo("DEVICE_LIMIT_EXCEEDED"));
        assertThat(httpA.pkg(account, packageId).body().get("deviceIds")).hasSize(3);
        assertThat(httpB.pkg(account, packageId).body().get("deviceIds")).hasSize(3);
        assertThat(database.number("SELECT count(*) FROM traffic_bindings WHERE package_id = ?", packageId))
            .isEqualTo(3);
    }

    @Test
    @Order(2)
    void usageBatchesOnOnePackageSplitOverTwoInstancesNeverDeductMoreThanItsCapacity() throws Exception {
        Account account = httpA.account("batches on two instances", "200.00");
        UUID payg = httpA.device(account);
        UUID cutOff = httpB.device(account, "CUT_OFF");
        UUID packageId = httpA.bought(account, "DEVICE_3_FLOW_100G", List.of(payg, cutOff), false);
        Instant now = httpA.now();
        List<Callable<Response>> batches = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // alternating instance and, in pairs, device: overage is pay-as-you-go for
            // one device, blocked for the other
            Map<String, Object> sixGb = Http.record("multi-" + UUID.randomUUID(), i / 2 % 2 == 0 ? payg : cutOff,
                    6 * GB, now);
            Http http = instance(i);
            batches.add(() -> http.usage(List.of(sixGb)));
        }

        List<Response> results = run(batches);

        log.info("20 batches of 6 GB over A and B: {}", statuses(results));
        assertThat(results).as("%s", results).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        long packageBytes = results.stream().mapToLong(r -> r.number("/results/0/packageBytes")).sum();
        long overage = results.stream()
            .mapToLong(r -> r.number("/results/0/paygBytes") + r.number("/results/0/blockedBytes"))
            .sum();
        assertThat(packageBytes).isEqualTo(100 * GB);
        assertThat(overage).isEqualTo(20 * GB);
        Response read = httpB.pkg(account, packageId);
        assertThat(read.number("/usedBytes")).isEqualTo(100 * GB);
        assertThat(read.text("/status")).isEqualTo("EXHAUSTED");
        assertThat(database.number("SELECT sum(package_bytes) FROM traffic_usage_records WHERE device_id IN (?, ?)",
                payg, cutOff))
            .isEqualTo(100 * GB);
        assertThat(database.number("SELECT used_bytes FROM traffic_packages WHERE id = ?", packageId))
            .isEqualTo(100 * GB);
        // the overage followed each device's policy: billed for one, blocked (never
        // billed) for the other
        assertThat(database.number("SELECT sum(blocked_bytes) FROM traffic_usage_records WHERE device_id = ?", payg))
            .isZero();
        assertThat(database.number("SELECT sum(payg_bytes) FROM traffic_usage_records WHERE device_id = ?", cutOff))
            .isZero();
        assertThat(database.number("SELECT sum(payg_bytes) FROM traffic_usage_records WHERE device_id = ?", payg)
                + database.number("SELECT sum(blocked_bytes) FROM traffic_usage_records WHERE device_id = ?", cutOff))
            .isEqualTo(20 * GB);
    }

    @Test
    @Order(3)
    void theSameUsageRecordPostedOnBothInstancesIsAppliedOnceAndReportedAsADuplicateByTheOther() throws Exception {
        Account account = httpA.account("one record, two instances", "600.00");
        UUID device = httpA.device(account);
        UUID packageId = httpA.bought(account, "DEVICE_5_FLOW_500G", List.of(device), false);
        Instant now = httpA.now();
        int pairs = 10;

        for (int i = 0; i < pairs; i++) {
            Map<String, Object> record = Http.record("twice-" + UUID.randomUUID(), device, GB, now);
            List<Response> results = run(List.<Callable<Response>>of(() -> httpA.usage(List.of(record)),
                    () -> httpB.usage(List.of(record))));

            assertThat(results).as("%s", results).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
            assertThat(results.stream().mapToLong(r -> r.number("/applied")).sum()).as("%s", results).isEqualTo(1);
            assertThat(results.stream().mapToLong(r -> r.number("/duplicates")).sum()).as("%s", results).isEqualTo(1);
            assertThat(database.number("SELECT count(*) FROM traffic_usage_records WHERE id = ?", record.get("id")))
                .isEqualTo(1);
        }

        assertThat(httpB.pkg(account, packageId).number("/usedBytes")).isEqualTo(pairs * GB);
        assertThat(database.number("SELECT count(*) FROM traffic_usage_records WHERE device_id = ?", device))
            .isEqualTo(pairs);
    }

    @Test
    @Order(4)
    void theSameIdempotencyKeyOnBothInstancesChargesOnce() throws Exception {
        Account account = httpA.account("one key, two instances", "1000.00");
        int keys = 8;
        int replays = 0;
        int inProgress = 0;
        for (int i = 0; i < keys; i++) {
            String key = "both-" + UUID.randomUUID();
            Map<String, Object> body = Http.purchaseBody("DEVICE_1_FLOW_20G", List.of(), false);
            List<Response> results = run(List.<Callable<Response>>of(
                    () -> httpA.send("POST", "/api/v1/traffic-packages", account.key(), body,
                            Map.of("Idempotency-Key", key)),
                    () -> httpB.send("POST", "/api/v1/traffic-packages", account.key(), body,
                            Map.of("Idempotency-Key", key))));

            List<Response> created = results.stream().filter(r -> r.status() == 201).toList();
            assertThat(created).as("%s", results).isNotEmpty();
            assertThat(results).filteredOn(r -> r.status() != 201).as("%s", results).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(409);
                assertThat(r.code()).isEqualTo("IDEMPOTENCY_KEY_IN_PROGRESS");
            });
            if (created.size() == 2) {
                // the second is the first's stored response, replayed
                assertThat(created.get(0).raw()).isEqualTo(created.get(1).raw());
                assertThat(created).filteredOn(r -> "true".equals(r.header("Idempotent-Replayed"))).hasSize(1);
                replays++;
            }
            else {
                inProgress++;
            }
            // a retry afterwards replays on either instance
            Response retry = httpB.send("POST", "/api/v1/traffic-packages", account.key(), body,
                    Map.of("Idempotency-Key", key));
            assertThat(retry.status()).isEqualTo(201);
            assertThat(retry.id()).isEqualTo(created.get(0).id());
        }

        log.info("{} keys on A and B at once: {} replayed, {} answered 409 IN_PROGRESS", keys, replays, inProgress);
        assertThat(database.number("SELECT count(*) FROM ledger_entries WHERE account_id = ? AND kind = 'PURCHASE'",
                account.id()))
            .isEqualTo(keys);
        assertThat(database.number("SELECT count(*) FROM traffic_packages WHERE account_id = ?", account.id()))
            .isEqualTo(keys);
        assertThat(httpA.balance(account)).isEqualTo("760.00");
    }

    @Test
    @Order(5)
    void purchasesFromBothInstancesOnASmallBalanceNeverTakeItBelowZero() throws Exception {
        Account account = httpA.account("small balance, two instances", "100.00");
        List<Callable<Response>> purchases = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Http http = instance(i);
            purchases.add(() -> http.purchase(account, "DEVICE_1_FLOW_20G", List.of(), false));
        }

        List<Response> results = run(purchases);

        log.info("12 purchases of 30.00 on 100.00 over A and B: {}", statuses(results));
        assertThat(results).filteredOn(r -> r.status() == 201).as("%s", results).hasSize(3);
        assertThat(results).filteredOn(r -> r.status() != 201)
            .allSatisfy(r -> assertThat(r.code()).isEqualTo("INSUFFICIENT_BALANCE"));
        assertThat(httpB.balance(account)).isEqualTo("10.00");
        assertBalanceIsLedgerSum(account.id());
        assertThat(database.number("SELECT count(*) FROM ledger_entries WHERE account_id = ? AND kind = 'PURCHASE'",
                account.id()))
            .isEqualTo(3);
    }

    @Test
    @Order(6)
    void lifecycleRunsOnBothInstancesAfterAnExpiryRenewEachPackageOnceAndBillEachHourOnce() throws Exception {
        int packages = 10;
        List<Account> accounts = new ArrayList<>();
        List<UUID> packageIds = new ArrayList<>();
        for (int i = 0; i < packages; i++) {
            Account account = instance(i).account("auto-renewing " + i, "100.00");
            UUID device = instance(i).device(account);
            accounts.add(account);
            packageIds.add(instance(i).bought(account, "DEVICE_1_FLOW_20G", List.of(device), true));
        }
        Account postpaid = httpB.account("pay-as-you-go bandwidth", "0");
        List<UUID> plans = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Response bought = instance(i).post("/api/v1/bandwidth-plans", postpaid.key(),
                    Map.of("region", "cn-shanghai", "paymentType", "PAY_AS_YOU_GO", "chargeType", "PAY_BY_BANDWIDTH",
                            "peakBandwidthMbps", 10));
            expect(bought, 201);
            plans.add(bought.id());
        }
        // the clock lives in the database: moved through A, B sees it at once
        Instant moved = httpA.advance("P31D");
        assertThat(Duration.between(moved, httpB.now()).abs()).isLessThan(Duration.ofMinutes(1));

        CompletableFuture<Response> onA = httpA.sendAsync("POST", "/api/v1/admin/lifecycle/run", OPERATOR, Map.of());
        CompletableFuture<Response> onB = httpB.sendAsync("POST", "/api/v1/admin/lifecycle/run", OPERATOR, Map.of());
        Response runA = onA.get();
        Response runB = onB.get();

        log.info("Lifecycle on A: {}", runA);
        log.info("Lifecycle on B: {}", runB);
        expect(runA, 200);
        expect(runB, 200);
        assertThat(renewed(runA) + renewed(runB)).as("renewals reported by both runs").isEqualTo(packages);
        for (int i = 0; i < packages; i++) {
            UUID packageId = packageIds.get(i);
            Account account = accounts.get(i);
            assertThat(database.number("SELECT count(*) FROM traffic_packages WHERE predecessor_id = ?", packageId))
                .as("successors of %s", packageId)
                .isEqualTo(1);
            assertThat(database.number(
                    "SELECT count(*) FROM ledger_entries WHERE account_id = ? AND kind = 'AUTO_RENEWAL'", account.id()))
                .isEqualTo(1);
            assertThat(httpB.balance(account)).isEqualTo("40.00");
            assertBalanceIsLedgerSum(account.id());
            assertThat(httpA.pkg(account, packageId).text("/successorId")).isNotNull();
        }
        Instant lastRun = later(Instant.parse(runA.text("/at")), Instant.parse(runB.text("/at")));
        for (UUID plan : plans) {
            Instant created = instant("SELECT created_at FROM bandwidth_plans WHERE id = ?", plan);
            long hours = Duration.between(created, lastRun).toHours();
            assertThat(hours).isBetween(31L * 24, 31L * 24 + 1);
            assertThat(database.number("SELECT count(*) FROM bandwidth_hourly_charges WHERE plan_id = ?", plan))
                .as("hours billed for %s", plan)
                .isEqualTo(hours);
            assertThat(database
                .number("SELECT count(DISTINCT hour_start) FROM bandwidth_hourly_charges WHERE plan_id = ?", plan))
                .isEqualTo(hours);
            assertThat(database.number("SELECT sum(quantity) FROM bandwidth_hourly_charges WHERE plan_id = ?", plan))
                .as("Mbps-hours of %s", plan)
                .isEqualTo(hours * 10);
            assertThat(instant("SELECT billed_until FROM bandwidth_plans WHERE id = ?", plan))
                .isEqualTo(created.plus(Duration.ofHours(hours)));
        }
    }

    private static long renewed(Response run) {
        for (var step : run.body().get("steps")) {
            if (step.get("name").asString().equals("traffic-package-expiry")) {
                return step.at("/counts/renewed").asLong();
            }
        }
        throw new AssertionError("no traffic-package-expiry step in " + run);
    }

    private static void assertBalanceIsLedgerSum(UUID account) {
        assertThat(database.decimal("SELECT balance FROM accounts WHERE id = ?", account))
            .isEqualTo(database.decimal("SELECT sum(amount) FROM ledger_entries WHERE account_id = ?", account));
    }

    private static Instant instant(String sql, Object param) {
        try (var connection = database.connect(); var statement = connection.prepareStatement(sql)) {
            statement.setObject(1, param);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getObject(1, OffsetDateTime.class).toInstant();
            }
        }
        catch (java.sql.SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static Instant later(Instant one, Instant other) {
        return one.isAfter(other) ? one : other;
    }

    static String statuses(List<Response> results) {
        return results.stream().map(r -> r.status() + (r.code() == null ? "" : " " + r.code())).toList().toString();
    }

}
