package io.planbilling.bandwidthplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planbilling.account.Accounts;
import io.planbilling.account.LedgerKind;
import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.LifecycleStep;
import io.planbilling.shared.Money;
import io.planbilling.testing.ApiTest;
import io.planbilling.testing.PoisonedRow;
import io.planbilling.testing.Race;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Storms of bandwidth work (docs/operations.md, renewal storms): a thousand and more
 * subscriptions expiring together, auto-renewed or expired set-based in chunks by two
 * runners at once, end exactly as taking them one by one ends them; thousands of
 * pay-as-you-go plan-hours billed by two runners at once are each billed once; a failing
 * chunk is reported and retried while the others commit. The context has a database of
 * its own, so every due plan is the test's, and chunks of 100 so that a storm has many.
 */
@ApiTest
@TestPropertySource(properties = { "billing.lifecycle.chunk-size=100", "billing.lifecycle.lock-at-most=PT0.001S",
        "billing.bandwidth.association-interval=P1D" })
class BandwidthStormApiTest {

    private static final Logger log = LoggerFactory.getLogger(BandwidthStormApiTest.class);

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry properties) {
        TestDatabase.useOwn(properties, "bandwidth_storm");
    }

    @Autowired
    TestApi api;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    BandwidthLifecycle lifecycle;

    @Autowired
    BandwidthPlanRepository plans;

    @Autowired
    BandwidthPlans facade;

    @Autowired
    Accounts accounts;

    @Autowired
    BandwidthPrices prices;

    @Autowired
    BillingSettings settings;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void aSubscriptionStormExpiredByTwoRunnersAtOnceEndsAsTakingItPlanByPlanEndsIt() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        SubscriptionStorm oneByOne = new SubscriptionStorm(jdbc, prices, settings, 1, now).seed(20261206, 400);
        SubscriptionStorm storm = new SubscriptionStorm(jdbc, prices, settings, 2, now).seed(20261206, 400);
        log.info("Storm of {} subscriptions of {} accounts (and the same again for the one-by-one path)",
                storm.plans.size(), storm.accounts.size());

        Map<String, Long> expected = expireOneByOne(oneByOne.plans, now);
        Callable<Map<String, Long>> runner = () -> lifecycle.expireOrRenew(now);
        List<Map<String, Long>> runs = Race.run(List.of(runner, runner));

        log.info("One by one: {}; two runners at once: {} and {}", expected, runs.get(0), runs.get(1));
        assertThat(runs.get(0).get("expired") + runs.get(1).get("expired")).isEqualTo(expected.get("expired"));
        assertThat(runs.get(0).get("autoRenewed") + runs.get(1).get("autoRenewed"))
            .isEqualTo(expected.get("autoRenewed"));
        List<String> outcome = storm.outcome();
        assertThat(outcome).containsExactlyElementsOf(oneByOne.outcome());
        assertThat(outcome).anyMatch(line -> line.contains(": EXPIRED") && line.contains("rules 0"))
            .anyMatch(line -> line.contains(": IN_USE"))
            .anyMatch(line -> line.contains("event: account.balance_low"))
            .anyMatch(line -> line.contains("event: bandwidth_plan.dissociated"))
            .anyMatch(line -> line.contains("event: bandwidth_plan.renewed"));
        assertThat(expected.get("autoRenewed")).isGreaterThan(storm.plans.size() / 2);
        assertThat(lifecycle.expireOrRenew(now)).containsEntry("expired", 0L).containsEntry("autoRenewed", 0L);
    }

    @Test
    void hoursOfManyPlansBilledByTwoRunnersAtOnceAreEachBilledOnce() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        HourlyStorm storm = new HourlyStorm(now).seed(42, 120);
        log.info("{} pay-as-you-go plans of {} accounts, {} hours to bill", storm.plans.size(), storm.accounts.size(),
                storm.expected.size());

        try {
            Callable<Long> runner = () -> lifecycle.billHours(now);
            List<Long> runs = Race.run(List.of(runner, runner));

            log.info("Two runners at once billed {} and {} hours", runs.get(0), runs.get(1));
            assertThat(runs.get(0) + runs.get(1)).isEqualTo(storm.expected.size());
            assertBilledOnce(storm);
            assertThat(lifecycle.billHours(now)).isZero();
        }
        finally {
            storm.retire();
        }
    }

    @Test
    void anHourlyChunkFailingIsReportedWhileTheOthersCommitAndTheNextRunsBillItOnce() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        HourlyStorm storm = new HourlyStorm(now).seed(7, 150);
        UUID poisoned = storm.plans.get(storm.plans.size() / 2);
        UUID[] ids = storm.plans.toArray(UUID[]::new);
        try (PoisonedRow poison = PoisonedRow.insert(jdbc, "bandwidth_hourly_charges", "plan_id", poisoned)) {
            assertThatThrownBy(() -> lifecycle.billHours(now)).isInstanceOf(LifecycleStep.Incomplete.class)
                .hasMessageStartingWith("1 of ")
                .hasMessageContaining("chunks failed (DataIntegrityViolationException)");
            long billed = jdbc.sql("SELECT count(*) FROM bandwidth_hourly_charges WHERE plan_id = ANY(:ids)")
                .param("ids", ids)
                .query(Long.class)
                .single();
            // the other chunks (of 100 plans each) committed; the poisoned plan's chunk
            // left nothing
            assertThat(billed).isPositive().isLessThan(storm.expected.size());
            assertThat(jdbc.sql("""
                    SELECT (SELECT count(*) FROM bandwidth_hourly_charges c WHERE c.plan_id = p.id)
                           || ' ' || (p.billed_until = p.created_at)
                    FROM bandwidth_plans p WHERE p.id = :id
                    """).param("id", poisoned).query(String.class).single()).isEqualTo("0 true");
            poison.close();

            List<Long> retries = Race
                .run(List.<Callable<Long>>of(() -> lifecycle.billHours(now), () -> lifecycle.billHours(now)));

            log.info("After the failed run ({} of {} hours billed), two runners billed {} and {}", billed,
                    storm.expected.size(), retries.get(0), retries.get(1));
            assertBilledOnce(storm);
        }
        finally {
            storm.retire();
        }
    }

    /**
     * Every plan-hour of the storm billed once with its quantity, one accrual event each,
     * every plan's {@code billed_until} its hours past its start, the bill months' totals
     * the exact sum of the hours, and every balance its ledger's sum.
     */
    private void assertBilledOnce(HourlyStorm storm) {
        UUID[] ids = storm.plans.toArray(UUID[]::new);
        assertThat(jdbc.sql("""
                SELECT plan_id || ' ' || hour_start || ' ' || quantity FROM bandwidth_hourly_charges
                WHERE plan_id = ANY(:ids) ORDER BY plan_id, hour_start
                """).param("ids", ids).query(String.class).list()).containsExactlyElementsOf(storm.expectedLines());
        UUID[] accountIds = storm.accounts.toArray(UUID[]::new);
        assertThat(jdbc.sql("SELECT count(*) FROM events WHERE account_id = ANY(:ids) AND type = 'charge.accrued'")
            .param("ids", accountIds)
            .query(Long.class)
            .single()).isEqualTo(storm.expected.size());
        assertThat(jdbc.sql("""
                SELECT count(*) FROM bandwidth_plans p WHERE p.id = ANY(:ids)
                  AND p.billed_until <> p.created_at
                      + (SELECT count(*) FROM bandwidth_hourly_charges c WHERE c.plan_id = p.id) * interval '1 hour'
                """).param("ids", ids).query(Long.class).single()).isZero();
        // the bill months' running totals: the exact sum of the hours billed, once each
        assertThat(jdbc.sql("SELECT coalesce(sum(due), 0) FROM postpaid_months WHERE account_id = ANY(:ids)")
            .param("ids", accountIds)
            .query(BigDecimal.class)
            .single())
            .isEqualByComparingTo(jdbc
                .sql("""
                        SELECT sum(quantity * unit_price / CASE charge_type WHEN 'PAY_BY_TRAFFIC' THEN 1073741824 ELSE 1 END)
                        FROM bandwidth_hourly_charges WHERE plan_id = ANY(:ids)
                        """)
                .param("ids", ids)
                .query(BigDecimal.class)
                .single());
        assertBalancesAreLedgerSums(storm.accounts);
    }

    @Test
    void aChunkFailingIsReportedWhileTheOthersCommitAndTheNextRunsRetryIt() {
        SubscriptionStorm storm = new SubscriptionStorm(jdbc, prices, settings, 5, Instant.now()).seed(11, 150);
        UUID poisoned = storm.plans.get(storm.plans.size() / 2);
        try (PoisonedRow poison = PoisonedRow.update(jdbc, "bandwidth_plans", poisoned)) {
            Response failed = api.runLifecycle();

            JsonNode step = failed.step("bandwidth-plan-expiry");
            assertThat(step.get("succeeded").asBoolean()).isFalse();
            assertThat(step.get("error").asString()).startsWith(ErrorCode.INTERNAL_ERROR + ": 1 of ")
                .contains("chunks failed (DataIntegrityViolationException); their rows are retried on the next run");
            long due = due(storm);
            // the other chunks (of 100 accounts each) committed
            assertThat(due).isPositive().isLessThan(storm.plans.size());
            assertThat(status(poisoned)).isIn("NOT_ASSOCIATED", "IN_USE");
            poison.close();

            // the lock lasts a millisecond: both retries take it and run at once, as a
            // run outliving billing.lifecycle.lock-at-most would
            List<Response> retries = Race.run(List.<Callable<Response>>of(api::runLifecycle, api::runLifecycle));

            long renewed = step.at("/counts/autoRenewed").asLong();
            for (Response retry : retries) {
                JsonNode again = retry.step("bandwidth-plan-expiry");
                assertThat(again.get("succeeded").asBoolean()).as("%s", retry).isTrue();
                renewed += again.at("/counts/autoRenewed").asLong();
            }
            assertThat(due(storm)).isZero();
            assertThat(status(poisoned)).isIn("NOT_ASSOCIATED", "IN_USE", "EXPIRED");
            assertExactlyOnce(storm, renewed);
        }
    }

    /**
     * Every renewal of the storm paid once and its term inserted once (one term per
     * {@code AUTO_RENEWAL} entry, beside the first), and every balance its ledger's sum.
     */
    private void assertExactlyOnce(SubscriptionStorm storm, long renewed) {
        UUID[] ids = storm.plans.toArray(UUID[]::new);
        assertThat(jdbc.sql("SELECT count(*) FROM bandwidth_plan_terms WHERE plan_id = ANY(:ids)")
            .param("ids", ids)
            .query(Long.class)
            .single()).isEqualTo(ids.length + renewed);
        assertThat(jdbc.sql("""
                SELECT count(*) FROM bandwidth_plans p WHERE p.id = ANY(:ids)
                  AND (SELECT count(*) FROM bandwidth_plan_terms t WHERE t.plan_id = p.id)
                      <> 1 + (SELECT count(*) FROM ledger_entries e WHERE e.resource_id = p.id
                                AND e.kind = 'AUTO_RENEWAL')
                """).param("ids", ids).query(Long.class).single()).isZero();
        assertBalancesAreLedgerSums(storm.accounts);
    }

    private void assertBalancesAreLedgerSums(List<UUID> accountIds) {
        assertThat(jdbc.sql("""
                SELECT count(*) FROM accounts a WHERE a.id = ANY(:ids)
                  AND a.balance <> (SELECT coalesce(sum(e.amount), 0) FROM ledger_entries e WHERE e.account_id = a.id)
                """).param("ids", accountIds.toArray(UUID[]::new)).query(Long.class).single()).isZero();
    }

    /** The storm's subscriptions still live although their expiry has passed. */
    private long due(SubscriptionStorm storm) {
        return jdbc.sql("""
                SELECT count(*) FROM bandwidth_plans WHERE id = ANY(:ids) AND status IN %s AND expires_at <= :now
                """.formatted(BandwidthPlanRepository.LIVE))
            .param("ids", storm.plans.toArray(UUID[]::new))
            .param("now", Timestamp.from(storm.now))
            .query(Long.class)
            .single();
    }

    private String status(UUID planId) {
        return jdbc.sql("SELECT status FROM bandwidth_plans WHERE id = :id")
            .param("id", planId)
            .query(String.class)
            .single();
    }

    /**
     * The expiry and auto-renewal as they were before they became set-based, the oracle:
     * the due subscriptions in order of expiry, in chunks of 100, each locked, renewed
     * term by term (its account charged with {@link Accounts#tryCharge}, its term
     * inserted) while its expiry is past and the balance covers it, then expired or
     * written, before the next.
     */
    private Map<String, Long> expireOneByOne(List<UUID> ids, Instant now) {
        List<UUID> ordered = jdbc.sql("""
                SELECT id FROM bandwidth_plans WHERE id = ANY(:ids) AND status IN %s AND expires_at <= :now
                ORDER BY expires_at, id
                """.formatted(BandwidthPlanRepository.LIVE))
            .param("ids", ids.toArray(UUID[]::new))
            .param("now", Timestamp.from(now))
            .query(UUID.class)
            .list();
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        long renewed = 0;
        long ended = 0;
        for (int from = 0; from < ordered.size(); from += 100) {
            List<UUID> chunk = ordered.subList(from, Math.min(ordered.size(), from + 100));
            long[] counts = Objects.requireNonNull(transactions.execute(status -> {
                long chunkRenewed = 0;
                long chunkEnded = 0;
                for (UUID id : chunk) {
                    BandwidthPlan plan = plans.lock(id).orElseThrow();
                    while (plan.autoRenewEnabled() && !Objects.requireNonNull(plan.expiresAt()).isAfter(now)) {
                        Money charge = plan.termPrice(prices, settings.currency());
                        if (!accounts.tryCharge(plan.accountId(), charge, LedgerKind.AUTO_RENEWAL,
                                HourlyCharges.RESOURCE_TYPE, id, "Bandwidth plan " + plan.ipAddress()
                                        + ": auto-renewed " + plan.peakMbps() + " Mbps for " + plan.duration())) {
                            break;
                        }
                        plans.insertTerm(id, plan.autoRenew(prices, settings.zone()));
                        chunkRenewed++;
                    }
                    Instant expiry = Objects.requireNonNull(plan.expiresAt());
                    if (!expiry.isAfter(now)) {
                        if (plan.officeNetworkId() != null) {
                            plan.dissociate();
                            facade.afterDissociation(plan, expiry);
                        }
                        facade.end(plan, PlanStatus.EXPIRED, expiry);
                        chunkEnded++;
                    }
                    else {
                        plans.update(plan);
                    }
                }
                return new long[] { chunkRenewed, chunkEnded };
            }));
            renewed += counts[0];
            ended += counts[1];
        }
        return Map.of("autoRenewed", renewed, "expired", ended);
    }

    /**
     * Pay-as-you-go plans written straight into the database, bought between 1 and 30
     * hours ago at odd minutes: pay-by-bandwidth ones, some with a peak change in the
     * middle, and pay-by-traffic ones associated with a network that sent samples; and
     * what billing them must give, computed here hour by hour.
     */
    private final class HourlyStorm {

        final Instant now;

        final List<UUID> accounts = new ArrayList<>();

        final List<UUID> plans = new ArrayList<>();

        /** Each plan-hour to bill: plan, hour start, quantity. */
        final List<Object[]> expected = new ArrayList<>();

        HourlyStorm(Instant now) {
            this.now = now;
        }

        /**
         * Deletes the storm's plans, so that no later test's billing run (a later hour)
         * bills them.
         */
        void retire() {
            jdbc.sql("UPDATE bandwidth_plans SET status = 'DELETED', ended_at = :now WHERE id = ANY(:ids)")
                .param("now", Timestamp.from(now))
                .param("ids", plans.toArray(UUID[]::new))
                .update();
        }

        HourlyStorm seed(long seed, int accountCount) {
            Random random = new Random(seed);
            Instant trafficCutoff = now.minus(Duration.ofMinutes(5));
            for (int a = 0; a < accountCount; a++) {
                UUID account = UUID.randomUUID();
                accounts.add(account);
                jdbc.sql("INSERT INTO accounts (id, name, balance, created_at, version)"
                        + " VALUES (:id, 'hourly storm', 0, :created, 0)")
                    .param("id", account)
                    .param("created", Timestamp.from(now.minus(Duration.ofDays(10))))
                    .update();
                for (int p = 1 + random.nextInt(5); p > 0; p--) {
                    UUID plan = UUID.randomUUID();
                    plans.add(plan);
                    Instant created = now.minus(Duration.ofHours(1 + random.nextInt(30)))
                        .minusSeconds(random.nextInt(3600));
                    boolean traffic = random.nextInt(5) == 0;
                    int peak = 2 + random.nextInt(100);
                    String address = "10.99." + plans.size() / 250 + "." + (plans.size() % 250 + 1);
                    jdbc.sql("""
                            INSERT INTO bandwidth_plans (id, account_id, region, payment_type, charge_type, auto_renew,
                                peak_mbps, status, ip_address, created_at, billed_until)
                            VALUES (:id, :account, 'cn-shanghai', 'PAY_AS_YOU_GO', :chargeType, false, :peak,
                                'NOT_ASSOCIATED', CAST(:address AS inet), :created, :created)
                            """)
                        .param("id", plan)
                        .param("account", account)
                        .param("chargeType", traffic ? "PAY_BY_TRAFFIC" : "PAY_BY_BANDWIDTH")
                        .param("peak", peak)
                        .param("address", address)
                        .param("created", Timestamp.from(created))
                        .update();
                    Instant cutoff = traffic ? trafficCutoff : now;
                    long hours = Duration.between(created, cutoff).toSeconds() / 3600;
                    if (traffic) {
                        seedTraffic(random, account, plan, created, hours);
                    }
                    else {
                        seedPeaks(random, plan, created, peak, hours);
                    }
                }
            }
            return this;
        }

        /** One peak, or a change to another in the middle of an hour. */
        private void seedPeaks(Random random, UUID plan, Instant created, int peak, long hours) {
            Instant change = hours > 0 && random.nextInt(3) == 0
                    ? created.plusSeconds(1 + random.nextLong(hours * 3600 - 1)) : null;
            int next = 2 + random.nextInt(100);
            insertPeak(plan, created, change, peak);
            if (change != null) {
                insertPeak(plan, change, null, next);
            }
            for (long h = 0; h < hours; h++) {
                Instant start = created.plus(Duration.ofHours(h));
                Instant end = start.plus(Duration.ofHours(1));
                // the highest peak in force at any moment of the hour
                boolean first = change == null || change.isAfter(start);
                boolean second = change != null && change.isBefore(end);
                int highest = first && second ? Math.max(peak, next) : first ? peak : next;
                expected.add(new Object[] { plan, start, BigDecimal.valueOf(highest) });
            }
        }

        private void insertPeak(UUID plan, Instant from, Instant to, int peak) {
            jdbc.sql("INSERT INTO bandwidth_plan_peaks (plan_id, effective_from, effective_to, peak_mbps)"
                    + " VALUES (:plan, :from, :to, :peak)")
                .param("plan", plan)
                .param("from", Timestamp.from(from))
                .param("to", to == null ? null : Timestamp.from(to))
                .param("peak", peak)
                .update();
        }

        /** A network associated from the purchase on, with a sample in some minutes. */
        private void seedTraffic(Random random, UUID account, UUID plan, Instant created, long hours) {
            UUID network = UUID.randomUUID();
            jdbc.sql("INSERT INTO office_networks (id, account_id, name, region, created_at)"
                    + " VALUES (:id, :account, 'hourly storm', 'cn-shanghai', :at)")
                .param("id", network)
                .param("account", account)
                .param("at", Timestamp.from(created))
                .update();
            jdbc.sql("INSERT INTO bandwidth_plan_associations (plan_id, office_network_id, associated_from)"
                    + " VALUES (:plan, :network, :at)")
                .param("plan", plan)
                .param("network", network)
                .param("at", Timestamp.from(created))
                .update();
            for (long h = 0; h < hours; h++) {
                Instant start = created.plus(Duration.ofHours(h));
                long bytes = 0;
                for (int s = random.nextInt(4); s > 0; s--) {
                    // a minute that starts inside the hour
                    Instant minute = start.truncatedTo(ChronoUnit.MINUTES)
                        .plus(Duration.ofMinutes(1 + random.nextInt(58)));
                    long inbound = (1 + random.nextInt(512)) * (1L << 20);
                    bytes += inbound * jdbc.sql("""
                            INSERT INTO bandwidth_samples (office_network_id, minute, inbound_bytes, outbound_bytes)
                            VALUES (:network, :minute, :inbound, 7) ON CONFLICT DO NOTHING
                            """)
                        .param("network", network)
                        .param("minute", Timestamp.from(minute))
                        .param("inbound", inbound)
                        .update();
                }
                expected.add(new Object[] { plan, start, BigDecimal.valueOf(bytes) });
            }
        }

        /** The expected charges as the database prints them, in (plan, hour) order. */
        List<String> expectedLines() {
            return jdbc.sql("""
                    SELECT e.plan || ' ' || e.hour_start || ' ' || CAST(e.quantity AS numeric(30, 0))
                    FROM unnest(CAST(:plans AS uuid[]), CAST(:hours AS timestamptz[]), CAST(:quantities AS numeric[]))
                         AS e(plan, hour_start, quantity)
                    ORDER BY e.plan, e.hour_start
                    """)
                .param("plans", expected.stream().map(e -> e[0].toString()).toArray(String[]::new))
                .param("hours", expected.stream().map(e -> e[1].toString()).toArray(String[]::new))
                .param("quantities",
                        expected.stream().map(e -> ((BigDecimal) e[2]).toPlainString()).toArray(String[]::new))
                .query(String.class)
                .list();
        }

    }

}
