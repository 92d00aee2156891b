package io.planbilling.trafficpackage;

import io.planbilling.shared.LifecycleStep;
import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestDatabase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An ad-hoc measurement, not part of the suite (its name matches no test pattern; run it
 * with {@code -Dtest=RenewalStormMeasurement}): {@code billing.storm.packages}
 * auto-renewing packages (5 per account, each account able to pay for all) whose cycle
 * ended an hour ago, renewed by the {@code traffic-package-expiry} step on one runner,
 * then the same again on two runners at once; it logs renewals per second. Figures for
 * the README come from the benchmark (bench/), not from here.
 */
@ApiTest
class RenewalStormMeasurement {

    private static final Logger log = LoggerFactory.getLogger(RenewalStormMeasurement.class);

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry properties) {
        TestDatabase.useOwn(properties, "renewal_measurement");
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    List<LifecycleStep> steps;

    @Test
    void measure() throws Exception {
        int packages = Integer.getInteger("billing.storm.packages", 5000);
        LifecycleStep expiry = steps.stream()
            .filter(step -> step.name().equals("traffic-package-expiry"))
            .findFirst()
            .orElseThrow();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // a smaller storm first, so the JVM is warm as a running service's is
        seed(1000, now);
        log.info("STORM warm-up: {}", expiry.run(now));

        seed(packages, now);
        if (Boolean.getBoolean("billing.storm.log-statements")) {
            jdbc.sql("ALTER SYSTEM SET log_min_duration_statement = 100").update();
            jdbc.sql("SELECT pg_reload_conf()").query(Boolean.class).single();
        }
        long started = System.nanoTime();
        Map<String, Long> one = expiry.run(now);
        long oneMillis = (System.nanoTime() - started) / 1_000_000;
        log.info("STORM one runner: {} in {} ms = {} renewals/s", one, oneMillis,
                one.get("renewed") * 1000 / Math.max(1, oneMillis));

        seed(packages, now);
        started = System.nanoTime();
        CompletableFuture<Map<String, Long>> first = CompletableFuture.supplyAsync(() -> expiry.run(now));
        CompletableFuture<Map<String, Long>> second = CompletableFuture.supplyAsync(() -> expiry.run(now));
        long renewed = first.get().get("renewed") + second.get().get("renewed");
        long twoMillis = (System.nanoTime() - started) / 1_000_000;
        log.info("STORM two runners: {} and {} in {} ms = {} renewals/s", first.get(), second.get(), twoMillis,
                renewed * 1000 / Math.max(1, twoMillis));
    }

    private void seed(int packages, Instant now) {
        int accounts = Math.max(1, packages / 5);
        Timestamp until = Timestamp.from(now.minus(Duration.ofHours(1)));
        Timestamp from = Timestamp.from(now.minus(Duration.ofHours(1)).minus(Duration.ofDays(30)));
        jdbc.sql("CREATE TEMP TABLE IF NOT EXISTS storm_accounts (n int, id uuid)").update();
        jdbc.sql("""
                WITH a AS (INSERT INTO accounts (id, name, balance, created_at, version)
                           SELECT gen_random_uuid(), 'storm', 1000.00, :from, 0 FROM generate_series(1, :accounts)
                           RETURNING id)
                INSERT INTO ledger_entries (id, account_id, posted_at, kind, amount, balance_after, description)
                SELECT gen_random_uuid(), a.id, :from, 'CREDIT', 1000.00, 1000.00, 'storm' FROM a
                """).param("from", from).param("accounts", accounts).update();
        jdbc.sql("""
                WITH p AS (
                    INSERT INTO traffic_packages (id, account_id, type, region, status, capacity_bytes, used_bytes,
                        max_devices, auto_renew, price, paid, valid_from, valid_until, created_at)
                    SELECT gen_random_uuid(), a.id, 'DEVICE_1_FLOW_20G', 'GUANGZHOU', 'ACTIVE', 21474836480, 0, 1, true,
                           30.00, 30.00, :from, :until, :from
                    FROM accounts a CROSS JOIN generate_series(1, 5)
                    WHERE a.name = 'storm' AND NOT EXISTS (SELECT 1 FROM traffic_packages x WHERE x.account_id = a.id)
                    RETURNING id, account_id),
                d AS (
                    INSERT INTO traffic_devices (id, account_id, name, overage_policy, created_at)
                    SELECT gen_random_uuid(), p.account_id, p.id::text, 'PAY_AS_YOU_GO', :from FROM p
                    RETURNING id, name)
                INSERT INTO traffic_bindings (package_id, device_id, bound_at)
                SELECT CAST(d.name AS uuid), d.id, :from FROM d
                """).param("from", from).param("until", until).update();
    }

}
