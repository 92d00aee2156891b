package io.planbilling.bandwidthplan;

import static io.planbilling.bandwidthplan.BandwidthFixtures.payAsYouGo;
import static io.planbilling.bandwidthplan.BandwidthFixtures.subscription;
import static io.planbilling.bandwidthplan.BandwidthFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.Race;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Concurrency rules of docs/bandwidth-plans.md under real threads against the real
 * database.
 */
@ApiTest
class BandwidthRaceApiTest {

    @Autowired
    TestApi api;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    BandwidthLifecycle lifecycle;

    BandwidthFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new BandwidthFixtures(api);
    }

    @Test
    void twoPlansRacingForOneNetworkCannotBothWin() {
        TestAccount account = api.createAccount("network race", "1000.00");
        for (int round = 0; round < 5; round++) {
            UUID network = fixtures.network(account);
            UUID first = fixtures.buy(account, subscription("WEEK", 1, 2));
            UUID second = fixtures.buy(account, subscription("WEEK", 1, 2));

            List<Response> results = Race.run(List.of(() -> fixtures.associate(account, first, network),
                    () -> fixtures.associate(account, second, network)));

            assertThat(results).extracting(Response::status).containsExactlyInAnyOrder(202, 409);
            assertThat(results).filteredOn(r -> r.status() == 409)
                .extracting(Response::code)
                .containsExactly("NETWORK_ALREADY_ASSOCIATED");
            assertThat(jdbc.sql("SELECT count(*) FROM bandwidth_plans WHERE office_network_id = :n")
                .param("n", network)
                .query(Long.class)
                .single()).isEqualTo(1);
        }
    }

    @Test
    void onePlanRacingForTwoNetworksGetsOne() {
        TestAccount account = api.createAccount("plan race", "1000.00");
        for (int round = 0; round < 5; round++) {
            UUID plan = fixtures.buy(account, subscription("WEEK", 1, 2));
            UUID first = fixtures.network(account);
            UUID second = fixtures.network(account);

            List<Response> results = Race.run(List.of(() -> fixtures.associate(account, plan, first),
                    () -> fixtures.associate(account, plan, second)));

            assertThat(results).extracting(Response::status).containsExactlyInAnyOrder(202, 409);
            assertThat(results).filteredOn(r -> r.status() == 409)
                .extracting(Response::code)
                .containsExactly("PLAN_ALREADY_ASSOCIATED");
        }
    }

    @Test
    void aPurchaseAndAnAssociationRacingForOneNetworkCannotBothWin() {
        TestAccount account = api.createAccount("purchase race", "1000.00");
        for (int round = 0; round < 5; round++) {
            UUID network = fixtures.network(account);
            UUID existing = fixtures.buy(account, subscription("WEEK", 1, 2));

            List<Response> results = Race.run(List.of(() -> fixtures.associate(account, existing, network),
                    () -> fixtures.purchase(account, with(subscription("WEEK", 1, 2), "officeNetworkId", network))));

            assertThat(results).filteredOn(r -> r.status() == 202 || r.status() == 201).hasSize(1);
            assertThat(results).filteredOn(r -> r.status() == 409)
                .extracting(Response::code)
                .containsExactly("NETWORK_ALREADY_ASSOCIATED");
        }
    }

    /**
     * Four workers race over six {@code CHANGING} plans. They are not alone: the
     * scheduled association worker of this context (every second) and those of the other
     * live test contexts on the same database claim {@code CHANGING} plans too, and a
     * plan one of them holds is skipped by the racers (SKIP LOCKED) and applied when that
     * worker commits. So the test does not ask who applied a plan, nor when: it waits
     * until no plan is {@code CHANGING} any more and then proves that each association
     * was applied exactly once, by all workers together: one association row and one
     * {@code bandwidth_plan.associated} event per plan, and the racers together applied
     * no more plans than there are.
     */
    @Test
    void concurrentWorkersApplyEachAssociationOnce() {
        TestAccount account = api.createAccount("worker race", "1000.00");
        List<UUID> plans = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            UUID network = fixtures.network(account);
            UUID plan = fixtures.buy(account, subscription("WEEK", 1, 2));
            plans.add(plan);
            jdbc.sql("UPDATE bandwidth_plans SET status = 'CHANGING', office_network_id = :network WHERE id = :plan")
                .param("network", network)
                .param("plan", plan)
                .update();
        }

        List<Long> applied = Race.times(4, () -> lifecycle.applyAssociations());
        await("no plan CHANGING").atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> jdbc.sql("SELECT count(*) FROM bandwidth_plans WHERE id IN (:plans) AND status = 'CHANGING'")
                .param("plans", plans)
                .query(Long.class)
                .single(), changing -> changing == 0);

        assertThat(applied.stream().mapToLong(Long::longValue).sum()).as("plans the racers applied")
            .isLessThanOrEqualTo(plans.size());
        for (UUID plan : plans) {
            assertThat(fixtures.plan(account, plan).text("/status")).isEqualTo("IN_USE");
            assertThat(jdbc.sql("SELECT count(*) FROM bandwidth_plan_associations WHERE plan_id = :plan")
                .param("plan", plan)
                .query(Long.class)
                .single()).as("association rows of %s", plan).isEqualTo(1);
            assertThat(jdbc
                .sql("SELECT count(*) FROM events WHERE resource_id = :plan AND type = 'bandwidth_plan.associated'")
                .param("plan", plan)
                .query(Long.class)
                .single()).as("associated events of %s", plan).isEqualTo(1);
        }
    }

    @Test
    void concurrentUnsubscribesRefundOnce() {
        TestAccount account = api.createAccount("unsubscribe race", "1000.00");
        UUID plan = fixtures.buy(account, subscription("MONTH", 1, 4));

        List<Response> results = Race.times(5,
                () -> api.post("/api/v1/bandwidth-plans/" + plan + "/unsubscribe", account.apiKey(), Map.of()));

        assertThat(results).filteredOn(r -> r.status() == 200).hasSize(1);
        assertThat(results).filteredOn(r -> r.status() != 200).extracting(Response::code).containsOnly("PLAN_ENDED");
        assertThat(jdbc.sql("SELECT count(*) FROM ledger_entries WHERE resource_id = :plan AND kind = 'REFUND'")
            .param("plan", plan)
            .query(Long.class)
            .single()).isEqualTo(1);
        assertThat(new java.math.BigDecimal(api.balance(account))).isBetween(new java.math.BigDecimal("999.90"),
                new java.math.BigDecimal("1000.00"));
    }

    @Test
    void concurrentRulesCannotLimitOnePhoneTwice() {
        TestAccount account = api.createAccount("rule race", "1000.00");
        UUID network = fixtures.network(account);
        UUID plan = fixtures.buy(account, subscription("WEEK", 1, 20));
        fixtures.associateInUse(account, plan, network);
        UUID phone = fixtures.phone(account, network);
        String rules = "/api/v1/bandwidth-plans/" + plan + "/speed-limit-rules";
        List<Callable<Response>> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String name = "rule " + i;
            tasks.add(() -> api.post(rules, account.apiKey(),
                    Map.of("name", name, "upstreamMbps", 5, "downstreamMbps", 5, "cloudPhoneIds", List.of(phone))));
        }

        List<Response> results = Race.run(tasks);

        assertThat(results).filteredOn(r -> r.status() == 201).hasSize(1);
        assertThat(results).filteredOn(r -> r.status() != 201)
            .extracting(Response::code)
            .containsOnly("PHONE_ALREADY_LIMITED");
    }

    @Test
    void concurrentBillingRunsBillEveryHourOnceEvenAfterACrash() {
        TestAccount account = api.createAccount("billing race", "0");
        List<UUID> plans = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            plans.add(fixtures.buy(account, payAsYouGo("PAY_BY_BANDWIDTH", 10 + i)));
        }
        Instant now = fixtures.advance(Duration.ofHours(5).plusMinutes(1));

        Race.times(4, () -> lifecycle.billHours(now));
        // a crash after the charges were written but before billed_until moved on: the
        // next run finds the hours taken
        jdbc.sql("UPDATE bandwidth_plans SET billed_until = created_at WHERE id IN (:plans)")
            .param("plans", plans)
            .update();
        Race.times(3, () -> lifecycle.billHours(now));

        for (int i = 0; i < plans.size(); i++) {
            List<Integer> hours = jdbc.sql("SELECT quantity FROM bandwidth_hourly_charges WHERE plan_id = :plan")
                .param("plan", plans.get(i))
                .query(Integer.class)
                .list();
            assertThat(hours).hasSize(5).containsOnly(10 + i);
        }
    }

    @Test
    void concurrentExpiryRunsAutoRenewOnce() {
        TestAccount account = api.createAccount("renewal race", "1000.00");
        Response bought = fixtures.purchase(account, with(subscription("MONTH", 1, 2), "autoRenew", true));
        Instant expiry = Instant.parse(bought.text("/expiresAt"));
        Instant now = fixtures.set(expiry.plusSeconds(5));

        Race.times(4, () -> lifecycle.expireOrRenew(now));

        assertThat(api.balance(account)).isEqualTo("900.00");
        assertThat(jdbc.sql("SELECT count(*) FROM bandwidth_plan_terms WHERE plan_id = :plan")
            .param("plan", bought.id())
            .query(Long.class)
            .single()).isEqualTo(2);
    }

}
