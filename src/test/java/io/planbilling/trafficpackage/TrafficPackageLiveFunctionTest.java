package io.planbilling.trafficpackage;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.shared.Money;
import io.planbilling.testing.Gen;
import io.planbilling.testing.PostgresJdbcTest;
import io.planbilling.testing.TestDatabase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL function {@code traffic_package_live} (migration V46), which every query about
 * live packages calls, says what {@link TrafficPackage#isLive} says: at the boundaries (a
 * microsecond either side of the end of validity, every status) and over generated cases.
 * And it is inlined: a query calling it still uses a partial index of active packages (on
 * a database of its own, so the plan is that of this test's schema alone).
 */
@PostgresJdbcTest
class TrafficPackageLiveFunctionTest {

    private static final long SEED = Long.getLong("billing.gen.seed", 20261206L);

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry properties) {
        TestDatabase.useOwn(properties, "slice_traffic_live");
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    private record Case(TrafficPackageStatus status, Instant validUntil, Instant now) {
    }

    @Test
    void agreesWithTheAggregateAtEveryBoundary() {
        Instant end = Instant.parse("2026-12-31T16:00:00Z");
        List<Case> cases = new ArrayList<>();
        for (TrafficPackageStatus status : TrafficPackageStatus.values()) {
            for (Duration offset : List.of(Duration.ofDays(-31), Duration.ofNanos(-1_000), Duration.ZERO,
                    Duration.ofNanos(1_000), Duration.ofDays(31))) {
                cases.add(new Case(status, end, end.plus(offset)));
            }
        }
        assertAgreement(cases);
        assertThat(cases).filteredOn(c -> sqlLive(c)).hasSize(2);
    }

    @Test
    void agreesWithTheAggregateOnGeneratedCases() {
        Random random = new Random(SEED);
        Instant from = Instant.parse("2024-01-01T00:00:00Z");
        Instant to = Instant.parse("2028-01-01T00:00:00Z");
        Gen<Instant> instants = Gen.instants(from, to);
        Gen<TrafficPackageStatus> statuses = Gen.of(TrafficPackageStatus.values());
        Gen<Long> nearby = Gen.integers(-3, 3).map(Integer::longValue);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Instant validUntil = instants.next(random);
            // half the cases within a few microseconds of the end of validity
            Instant now = random.nextBoolean() ? instants.next(random)
                    : validUntil.plusNanos(1_000 * nearby.next(random));
            cases.add(new Case(statuses.next(random), validUntil, now));
        }
        assertAgreement(cases);
    }

    @Test
    void isInlinedSoTheIndexOfActivePackagesServesIt() {
        String plan = transactions.execute(status -> {
            jdbc.sql("SET LOCAL enable_seqscan = off").update();
            return String.join("\n", jdbc.sql("""
                    EXPLAIN SELECT id FROM traffic_packages p
                    WHERE traffic_package_live(p.status, p.valid_until, CAST(:now AS timestamptz))
                    """).param("now", Timestamp.from(Instant.now())).query(String.class).list());
        });
        // both indexes on active packages are partial (WHERE status = 'ACTIVE'): the
        // planner can use one only when it sees the function's body
        assertThat(plan).containsPattern("Index Scan using traffic_packages_(due|active_by_account)")
            .contains("valid_until")
            .doesNotContain("traffic_package_live");
    }

    private void assertAgreement(List<Case> cases) {
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            assertThat(sqlLive(c)).as("case %d (seed %d): %s", i, SEED, c).isEqualTo(pkg(c).isLive(c.now()));
        }
    }

    private boolean sqlLive(Case c) {
        return jdbc.sql("SELECT traffic_package_live(:status, :validUntil, :now)")
            .param("status", c.status().name())
            .param("validUntil", Timestamp.from(c.validUntil()))
            .param("now", Timestamp.from(c.now()))
            .query(Boolean.class)
            .single();
    }

    private static TrafficPackage pkg(Case c) {
        TrafficPackageType type = TrafficPackageType.DEVICE_1_FLOW_20G;
        Money price = Money.of("10.00", java.util.Currency.getInstance("CNY"));
        Instant validFrom = c.validUntil().minus(Duration.ofDays(30));
        return new TrafficPackage(UUID.randomUUID(), UUID.randomUUID(), type, TrafficRegion.GUANGZHOU, c.status(),
                type.capacityBytes(), 0, type.maxDevices(), true, price, price, validFrom, c.validUntil(), null, null,
                null, null, null, null, List.of(), validFrom, List.of());
    }

}
