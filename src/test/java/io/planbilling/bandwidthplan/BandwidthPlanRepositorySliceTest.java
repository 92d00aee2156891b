package io.planbilling.bandwidthplan;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.PostgresJdbcTest;
import io.planbilling.testing.TestDatabase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL of {@link BandwidthPlanRepository} on the real PostgreSQL: the plan's row lock
 * that background claims skip, and the histories (peaks, associations) that hourly
 * billing reads. On a database of its own: the test's addresses are unique among live
 * plans.
 */
@PostgresJdbcTest
@Import({ BandwidthPlanRepository.class, BandwidthPlanViews.class })
@EnableConfigurationProperties(BandwidthPrices.class)
class BandwidthPlanRepositorySliceTest {

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry properties) {
        TestDatabase.useOwn(properties, "slice_bandwidth_plans");
    }

    private static final AtomicInteger addresses = new AtomicInteger();

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    BandwidthPlanRepository plans;

    private UUID account;

    @BeforeEach
    void account() {
        account = newAccount();
    }

    @Test
    void aLockedPlanIsSkippedByBackgroundClaimsUntilCommit() {
        UUID plan = payAsYouGo();

        List<UUID> claimable = transactions.execute(status -> {
            assertThat(plans.lock(plan)).map(BandwidthPlan::id).contains(plan);
            return claimable(plan);
        });

        assertThat(claimable).isEmpty();
        assertThat(claimable(plan)).containsExactly(plan);
        assertThat(plans.lock(account, plan)).isPresent();
        assertThat(plans.lock(UUID.randomUUID(), plan)).isEmpty();
    }

    @Test
    void theHighestPeakInForceCountsEveryPeakOfTheHourButNoneThatNeverTookEffect() {
        UUID plan = payAsYouGo();
        plans.startPeak(plan, 10, T0);
        plans.startPeak(plan, 50, T0.plus(Duration.ofMinutes(20)));
        plans.startPeak(plan, 20, T0.plus(Duration.ofMinutes(40)));
        // set and replaced at the same instant: never in force
        plans.startPeak(plan, 900, T0.plus(Duration.ofMinutes(90)));
        plans.endPeak(plan, T0.plus(Duration.ofMinutes(90)));
        plans.startPeak(plan, 30, T0.plus(Duration.ofMinutes(90)));

        assertThat(plans.highestPeak(plan, T0, T0.plus(Duration.ofHours(1)))).contains(50);
        assertThat(plans.highestPeak(plan, T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)))).contains(30);
        assertThat(plans.highestPeak(plan, T0.minus(Duration.ofHours(1)), T0)).isEqualTo(Optional.empty());
    }

    @Test
    void anAssociationStartsOnceAndEndsOnce() {
        UUID plan = payAsYouGo();
        UUID network = network();

        plans.startAssociation(plan, network, T0);
        plans.startAssociation(plan, network, T0);
        plans.endAssociation(plan, T0.plus(Duration.ofHours(1)));
        plans.endAssociation(plan, T0.plus(Duration.ofHours(2)));

        assertThat(jdbc.sql("SELECT associated_to FROM bandwidth_plan_associations WHERE plan_id = :plan")
            .param("plan", plan)
            .query(Timestamp.class)
            .list()).containsExactly(Timestamp.from(T0.plus(Duration.ofHours(1))));
    }

    private List<UUID> claimable(UUID plan) {
        return otherTransaction()
            .execute(status -> jdbc.sql("SELECT id FROM bandwidth_plans WHERE id = :id FOR UPDATE SKIP LOCKED")
                .param("id", plan)
                .query(UUID.class)
                .list());
    }

    /**
     * A transaction of its own on another connection, even inside another transaction of
     * the same thread: what a concurrent instance would see.
     */
    private TransactionTemplate otherTransaction() {
        TransactionTemplate template = new TransactionTemplate(transactionManager);
        template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return template;
    }

    private UUID payAsYouGo() {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO bandwidth_plans (id, account_id, region, payment_type, charge_type, auto_renew, peak_mbps,
                    status, ip_address, created_at, billed_until)
                VALUES (:id, :account, 'cn-east', 'PAY_AS_YOU_GO', 'PAY_BY_BANDWIDTH', false, 10, 'NOT_ASSOCIATED',
                    CAST(:ip AS inet), :at, :at)
                """)
            .param("id", id)
            .param("account", account)
            .param("ip", "10.0." + (addresses.incrementAndGet() / 250) + "." + (1 + addresses.get() % 250))
            .param("at", Timestamp.from(T0))
            .update();
        return id;
    }

    private UUID network() {
        UUID id = UUID.randomUUID();
        jdbc.sql(
                "INSERT INTO office_networks (id, account_id, name, region, created_at) VALUES (:id, :account, 'n', 'cn-east', :at)")
            .param("id", id)
            .param("account", account)
            .param("at", Timestamp.from(T0))
            .update();
        return id;
    }

    private UUID newAccount() {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO accounts (id, name, created_at, version) VALUES (:id, 'slice', :at, 0)")
            .param("id", id)
            .param("at", Timestamp.from(T0.minus(Duration.ofDays(1))))
            .update();
        return id;
    }

}
