package io.planbilling.trafficpackage;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.Money;
import io.planbilling.shared.PageQuery;
import io.planbilling.testing.PostgresJdbcTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL of {@link TrafficPackageRepository} and {@link DeviceRepository} on the real
 * PostgreSQL: locks that others skip, the live-package queries (through
 * {@code traffic_package_live}), and the set-based usage update.
 */
@PostgresJdbcTest
@Import({ TrafficPackageRepository.class, DeviceRepository.class })
class TrafficPackageRepositorySliceTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    BillingSettings settings;

    @Autowired
    TrafficPackageRepository packages;

    @Autowired
    DeviceRepository devices;

    private UUID account;

    @BeforeEach
    void account() {
        account = newAccount();
    }

    @Test
    void lockedPackagesAreSkippedByOtherClaimersUntilCommit() {
        TrafficPackage first = buy(List.of(device()), T0);
        TrafficPackage second = buy(List.of(device()), T0);
        List<UUID> ids = List.of(first.id(), second.id());

        List<UUID> skipped = transactions.execute(status -> {
            // in PostgreSQL's uuid order (that of the text), the one order every locker
            // uses
            assertThat(packages.lock(ids)).extracting(TrafficPackage::id)
                .containsExactlyInAnyOrderElementsOf(ids)
                .isSortedAccordingTo(Comparator.comparing(UUID::toString));
            return claimable(ids);
        });

        assertThat(skipped).isEmpty();
        assertThat(claimable(ids)).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aDeviceIsBoundToALivePackageOnlyWhileThatPackageIsLive() {
        UUID device = device();
        TrafficPackage pkg = buy(List.of(device), T0);
        Instant end = pkg.validUntil();

        assertThat(packages.liveBindings(List.of(device), end.minusNanos(1_000), List.of()))
            .containsExactly(new TrafficPackageRepository.DeviceBinding(device, pkg.id()));
        assertThat(packages.liveBindings(List.of(device), end.minusNanos(1_000), pkg.id())).isEmpty();
        assertThat(packages.liveBindings(List.of(device), end, List.of())).isEmpty();
        assertThat(devices.find(account, device, end.minusNanos(1_000)).orElseThrow().packageId()).isEqualTo(pkg.id());
        assertThat(devices.find(account, device, end).orElseThrow().packageId()).isNull();
    }

    @Test
    void aPackagePastItsValidityListsAsExpiredBeforeTheJobMarksIt() {
        TrafficPackage pkg = buy(List.of(device()), T0);
        Instant end = pkg.validUntil();

        assertThat(statusPage(TrafficPackageStatus.ACTIVE, end.minusNanos(1_000))).contains(pkg.id());
        assertThat(statusPage(TrafficPackageStatus.EXPIRED, end.minusNanos(1_000))).doesNotContain(pkg.id());
        assertThat(statusPage(TrafficPackageStatus.ACTIVE, end)).doesNotContain(pkg.id());
        assertThat(statusPage(TrafficPackageStatus.EXPIRED, end)).contains(pkg.id());
        assertThat(packages.count(account, TrafficPackageStatus.EXPIRED, null, end)).isEqualTo(1);
    }

    @Test
    void usageOfManyPackagesIsWrittenInOneStatement() {
        TrafficPackage first = buy(List.of(device()), T0);
        TrafficPackage second = buy(List.of(device()), T0);
        first.deduct(1_000, T0.plusSeconds(60));
        second.deduct(second.remainingBytes(), T0.plusSeconds(120));

        transactions.executeWithoutResult(status -> packages.updateUsage(List.of(first, second)));

        List<TrafficPackage> read = packages.read(List.of(first.id(), second.id()));
        assertThat(read).filteredOn(p -> p.id().equals(first.id()))
            .singleElement()
            .satisfies(p -> assertThat(p.usedBytes()).isEqualTo(1_000));
        assertThat(read).filteredOn(p -> p.id().equals(second.id())).singleElement().satisfies(p -> {
            assertThat(p.status()).isEqualTo(TrafficPackageStatus.EXHAUSTED);
            assertThat(p.endedAt()).isEqualTo(T0.plusSeconds(120));
        });
    }

    private List<UUID> statusPage(TrafficPackageStatus status, Instant now) {
        return packages.page(account, status, null, now, new PageQuery(0, 100))
            .stream()
            .map(TrafficPackage::id)
            .toList();
    }

    /** What another transaction can claim right now, skipping locked rows. */
    private List<UUID> claimable(List<UUID> ids) {
        return otherTransaction()
            .execute(status -> jdbc.sql("SELECT id FROM traffic_packages WHERE id = ANY(:ids) FOR UPDATE SKIP LOCKED")
                .param("ids", ids.toArray(UUID[]::new))
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

    private TrafficPackage buy(List<UUID> deviceIds, Instant at) {
        Money price = settings.money("30.00");
        TrafficPackage pkg = TrafficPackage.purchase(UUID.randomUUID(), account,
                new PurchaseCommand(TrafficPackageType.DEVICE_1_FLOW_20G, TrafficRegion.GUANGZHOU, deviceIds, true),
                price, at, settings.zone());
        // in a transaction, as in production: the purchase records its events with it
        transactions.executeWithoutResult(status -> packages.insert(pkg));
        return pkg;
    }

    private UUID device() {
        UUID id = UUID.randomUUID();
        devices.insert(id, account, "device", OveragePolicy.PAY_AS_YOU_GO, T0.minus(Duration.ofDays(1)));
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
