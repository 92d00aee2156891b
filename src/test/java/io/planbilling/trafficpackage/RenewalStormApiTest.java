package io.planbilling.trafficpackage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;

import io.planbilling.account.Accounts;
import io.planbilling.account.LedgerKind;
import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.Money;
import io.planbilling.testing.ApiTest;
import io.planbilling.testing.PoisonedRow;
import io.planbilling.testing.Race;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestDatabase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Renewal storms (docs/operations.md, the lifecycle job): thousands of packages whose
 * cycle ended together, renewed set-based in chunks by several runners at once, end
 * exactly as renewing them one by one ends them; two lifecycle runs at once (two
 * instances) split a storm, each renewing accounts of its own; overlapping runs (a run
 * outliving its lock) renew nothing twice; a failing chunk is reported and retried while
 * the others commit. The context has a database of its own, so every due package is the
 * test's, and chunks of 100 so that a storm has many.
 */
@ApiTest
@TestPropertySource(properties = { "billing.lifecycle.chunk-size=100", "billing.lifecycle.lock-at-most=PT0.001S",
        "billing.bandwidth.association-interval=P1D" })
class RenewalStormApiTest {

    private static final Logger log = LoggerFactory.getLogger(RenewalStormApiTest.class);

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry properties) {
        TestDatabase.useOwn(properties, "renewal_storm");
    }

    @Autowired
    TestApi api;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TrafficPackageExpiry expiry;

    @Autowired
    TrafficPackageRepository packages;

    @Autowired
    DeviceRepository devices;

    @Autowired
    Accounts accounts;

    @Autowired
    TrafficPrices prices;

    @Autowired
    BillingSettings settings;

    @Autowired
    PlatformTransactionManager transactionManager;

    /** The real one, which a test may make wait before a chunk's renewals. */
    @MockitoSpyBean
    AutoRenewals renewals;

    @Test
    void aStormRenewedByTwoRunnersAtOnceEndsAsRenewingItPackageByPackageEndsIt() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        RenewalStorm oneByOne = new RenewalStorm(jdbc, prices, settings, 1, now).seed(20261206, 500);
        RenewalStorm storm = new RenewalStorm(jdbc, prices, settings, 2, now).seed(20261206, 500);
        log.info("Storm of {} packages of {} accounts (and the same again for the one-by-one path)",
                storm.packages.size(), storm.accounts.size());

        renewOneByOne(oneByOne.packages, now);
        Callable<Map<String, Long>> runner = () -> expiry.run(now);
        List<Map<String, Long>> runs = Race.run(List.of(runner, runner));

        log.info("Two runners at once: {} and {}", runs.get(0), runs.get(1));
        assertThat(runs.get(0).get("expired") + runs.get(1).get("expired")).isEqualTo(storm.packages.size());
        List<String> outcome = storm.outcome();
        assertThat(outcome).containsExactlyElementsOf(oneByOne.outcome());
        assertThat(outcome).anyMatch(line -> line.contains("failure INSUFFICIENT_BALANCE"))
            .anyMatch(line -> line.contains("-> DEVICE_1_FLOW_20G"))
            .anyMatch(line -> line.contains("event: account.balance_low"))
            .noneMatch(line -> line.contains("successors 2"));
        long renewed = runs.get(0).get("renewed") + runs.get(1).get("renewed");
        assertThat(jdbc.sql("SELECT count(*) FROM traffic_packages WHERE predecessor_id = ANY(:ids)")
            .param("ids", storm.packages.toArray(UUID[]::new))
            .query(Long.class)
            .single()).isEqualTo(renewed);
        assertThat(expiry.run(now)).containsEntry("expired", 0L).containsEntry("renewed", 0L);
    }

    @Test
    void twoRunsAtOnceSplitAStormEachRenewingAccountsOfItsOwn() {
        RenewalStorm storm = new RenewalStorm(jdbc, prices, settings, 5, Instant.now()).seed(13, 250);
        // each run's first chunk, claimed, waits until the other run has claimed one too:
        // both runs are in the storm at once, on disjoint accounts (chunks of 100)
        CyclicBarrier bothClaimed = new CyclicBarrier(2);
        Set<Thread> waited = ConcurrentHashMap.newKeySet();
        doAnswer(call -> {
            if (waited.add(Thread.currentThread())) {
                bothClaimed.await(60, TimeUnit.SECONDS);
            }
            return call.callRealMethod();
        }).when(renewals).renew(any(), any());

        List<Response> runs = Race.run(List.<Callable<Response>>of(api::runLifecycle, api::runLifecycle));

        long expired = 0;
        long renewed = 0;
        for (Response run : runs) {
            assertThat(run.status()).as("%s", run).isEqualTo(200);
            JsonNode step = run.step("traffic-package-expiry");
            assertThat(step.get("succeeded").asBoolean()).as("%s", step).isTrue();
            assertThat(step.at("/counts/expired").asLong()).as("%s", step).isPositive();
            assertThat(step.at("/counts/renewed").asLong()).as("%s", step).isPositive();
            expired += step.at("/counts/expired").asLong();
            renewed += step.at("/counts/renewed").asLong();
        }
        log.info("Two runs at once: {} and {}", runs.get(0).step("traffic-package-expiry").get("counts"),
                runs.get(1).step("traffic-package-expiry").get("counts"));
        assertThat(expired).isEqualTo(storm.packages.size());
        assertExactlyOnce(storm, renewed);
    }

    @Test
    void runsOverlappingPastTheirLockRenewEveryPackageExactlyOnce() {
        RenewalStorm storm = new RenewalStorm(jdbc, prices, settings, 3, Instant.now()).seed(7, 150);

        // the renewals never take the lifecycle lock, and the lock of the exclusive steps
        // lasts a millisecond here: both runs run every step at once, as runs outliving
        // billing.lifecycle.lock-at-most would
        List<Response> runs = Race.run(List.<Callable<Response>>of(api::runLifecycle, api::runLifecycle));

        long renewed = 0;
        for (Response run : runs) {
            assertThat(run.status()).as("%s", run).isEqualTo(200);
            JsonNode step = run.step("traffic-package-expiry");
            assertThat(step.get("succeeded").asBoolean()).isTrue();
            renewed += step.at("/counts/renewed").asLong();
        }
        log.info("Two overlapping runs renewed {} of {} packages", renewed, storm.packages.size());
        assertExactlyOnce(storm, renewed);
    }

    @Test
    void aChunkFailingIsReportedWhileTheOthersCommitAndTheNextRunRetriesIt() {
        RenewalStorm storm = new RenewalStorm(jdbc, prices, settings, 4, Instant.now()).seed(11, 150);
        UUID poisoned = storm.packages.get(storm.packages.size() / 2);
        try (PoisonedRow poison = PoisonedRow.update(jdbc, "traffic_packages", poisoned)) {
            Response failed = api.runLifecycle();

            JsonNode step = failed.step("traffic-package-expiry");
            assertThat(step.get("succeeded").asBoolean()).isFalse();
            assertThat(step.get("error").asString()).startsWith(ErrorCode.INTERNAL_ERROR + ": 1 of ")
                .contains("chunks failed (DataIntegrityViolationException); their rows are retried on the next run");
            long expiredFirst = step.at("/counts/expired").asLong();
            // the other chunks (of 100 accounts each) committed
            assertThat(expiredFirst).isPositive().isLessThan(storm.packages.size());
            assertThat(status(poisoned)).isEqualTo("ACTIVE");
            assertThat(jdbc.sql("SELECT count(*) FROM traffic_packages WHERE id = ANY(:ids) AND status = 'ACTIVE'")
                .param("ids", storm.packages.toArray(UUID[]::new))
                .query(Long.class)
                .single()).isEqualTo(storm.packages.size() - expiredFirst);
            poison.close();

            Response retried = api.runLifecycle();

            JsonNode again = retried.step("traffic-package-expiry");
            assertThat(again.get("succeeded").asBoolean()).isTrue();
            assertThat(expiredFirst + again.at("/counts/expired").asLong()).isEqualTo(storm.packages.size());
            assertThat(status(poisoned)).isEqualTo("EXPIRED");
            assertExactlyOnce(storm, step.at("/counts/renewed").asLong() + again.at("/counts/renewed").asLong());
        }
    }

    /**
     * Every package of the storm expired, at most one successor each (one per
     * {@code AUTO_RENEWAL} entry), and every balance its ledger's sum.
     */
    private void assertExactlyOnce(RenewalStorm storm, long renewed) {
        UUID[] ids = storm.packages.toArray(UUID[]::new);
        assertThat(jdbc.sql("SELECT count(*) FROM traffic_packages WHERE id = ANY(:ids) AND status = 'EXPIRED'")
            .param("ids", ids)
            .query(Long.class)
            .single()).isEqualTo(ids.length);
        assertThat(jdbc.sql("SELECT count(*) FROM traffic_packages WHERE predecessor_id = ANY(:ids)")
            .param("ids", ids)
            .query(Long.class)
            .single()).isEqualTo(renewed);
        assertThat(
                jdbc.sql("SELECT count(*) FROM ledger_entries WHERE account_id = ANY(:ids) AND kind = 'AUTO_RENEWAL'")
                    .param("ids", storm.accounts.toArray(UUID[]::new))
                    .query(Long.class)
                    .single())
            .isEqualTo(renewed);
        assertThat(jdbc.sql("""
                SELECT count(*) FROM accounts a WHERE a.id = ANY(:ids)
                  AND a.balance <> (SELECT coalesce(sum(e.amount), 0) FROM ledger_entries e WHERE e.account_id = a.id)
                """).param("ids", storm.accounts.toArray(UUID[]::new)).query(Long.class).single()).isZero();
    }

    private String status(UUID packageId) {
        return jdbc.sql("SELECT status FROM traffic_packages WHERE id = :id")
            .param("id", packageId)
            .query(String.class)
            .single();
    }

    /**
     * The expiry and auto-renewal as they were before they became set-based, the oracle:
     * chunks of 100 in id order, each package expired, written, and renewed on its own
     * (its devices read, its account charged with {@link Accounts#tryCharge}, its
     * successor inserted) before the next.
     */
    private void renewOneByOne(List<UUID> ids, Instant now) {
        List<UUID> ordered = ids.stream().sorted(Comparator.comparing(UUID::toString)).toList();
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        for (int from = 0; from < ordered.size(); from += 100) {
            List<UUID> chunk = ordered.subList(from, Math.min(ordered.size(), from + 100));
            transactions.executeWithoutResult(status -> {
                List<TrafficPackage> expiring = packages.lock(chunk);
                devices.lockAll(expiring.stream()
                    .filter(TrafficPackage::wantsAutoRenewal)
                    .flatMap(pkg -> pkg.nextDevices().stream())
                    .distinct()
                    .toList());
                for (TrafficPackage pkg : expiring) {
                    if (pkg.expireIfDue(now)) {
                        packages.update(pkg);
                        if (pkg.wantsAutoRenewal()) {
                            renewOne(pkg, pkg.validUntil(), now);
                        }
                    }
                }
            });
        }
    }

    private Optional<TrafficPackage> renewOne(TrafficPackage pkg, Instant endedAt, Instant now) {
        Instant from = TrafficPackage.validUntil(endedAt, settings.zone()).isAfter(now) ? endedAt : now;
        List<UUID> next = pkg.nextDevices();
        devices.lock(pkg.accountId(), next);
        Set<UUID> taken = new HashSet<>();
        packages.liveBindings(next, now, pkg.id()).forEach(binding -> taken.add(binding.deviceId()));
        List<UUID> free = new ArrayList<>(next);
        free.removeAll(taken);
        Money price = prices.price(pkg.nextType(), pkg.region(), settings);
        UUID successorId = UUID.randomUUID();
        if (!accounts.tryCharge(pkg.accountId(), price, LedgerKind.AUTO_RENEWAL, Renewals.RESOURCE_TYPE, successorId,
                "Auto-renewal of " + pkg.nextType() + " " + pkg.region() + " package " + pkg.id())) {
            pkg.failRenewal(ErrorCode.INSUFFICIENT_BALANCE.name());
            packages.update(pkg);
            return Optional.empty();
        }
        TrafficPackage successor = pkg.renew(successorId, free, price, from, settings.zone(), now);
        packages.update(pkg);
        packages.insert(successor);
        return Optional.of(successor);
    }

}
