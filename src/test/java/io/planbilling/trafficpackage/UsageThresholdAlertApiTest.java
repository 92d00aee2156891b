package io.planbilling.trafficpackage;

import static io.planbilling.trafficpackage.UsageFixtures.GB;
import static io.planbilling.trafficpackage.UsageFixtures.id;
import static io.planbilling.trafficpackage.UsageFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.Feed;
import io.planbilling.testing.Race;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * {@code traffic_package.usage_threshold_reached}: emitted by the usage that makes a
 * package's usage reach ⌈threshold × capacity ÷ 100⌉, once per package cycle and
 * threshold, whatever runs concurrently (docs/alerts.md).
 */
@ApiTest
class UsageThresholdAlertApiTest {

    private static final String REACHED = "traffic_package.usage_threshold_reached";

    @Autowired
    TestApi api;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    UsageAlerts usageAlerts;

    @Autowired
    TrafficPackageRepository store;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    Clock clock;

    UsageFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new UsageFixtures(api);
    }

    private void thresholds(TestAccount account, List<Integer> thresholds) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("trafficUsageThresholds", thresholds);
        settings.put("expiryReminderDays", List.of(7, 3, 1));
        Response saved = api.put("/api/v1/alert-settings", account.apiKey(), settings);
        assertThat(saved.status()).as("%s", saved).isEqualTo(200);
    }

    private void use(UUID device, long bytes) {
        Response applied = fixtures.post(record(id(), device, "GUANGZHOU", bytes, fixtures.now()));
        assertThat(applied.status()).as("%s", applied).isEqualTo(200);
    }

    private List<JsonNode> reached(TestAccount account) {
        return new Feed(api, jdbc).events(account.apiKey(), REACHED);
    }

    private static List<String> thresholdsOf(List<JsonNode> events) {
        return events.stream()
            .map(e -> e.get("resourceId").asString().substring(0, 8) + " " + e.at("/data/threshold").asInt())
            .toList();
    }

    @Test
    void oneRecordThatCrossesBothDefaultThresholdsEmitsBothInOrder() {
        TestAccount account = api.createAccount("threshold both", "30.00");
        UUID device = fixtures.device(account);
        UUID pkg = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, device);

        use(device, 20 * GB);

        List<JsonNode> events = reached(account);
        assertThat(events).extracting(e -> e.at("/data/threshold").asInt()).containsExactly(80, 100);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("resourceType").asString()).isEqualTo("TRAFFIC_PACKAGE");
            assertThat(e.get("resourceId").asString()).isEqualTo(pkg.toString());
            assertThat(e.at("/data/usedBytes").asLong()).isEqualTo(20 * GB);
            assertThat(e.at("/data/thresholdsReached").toString()).isEqualTo("[80,100]");
        });
        assertThat(fixtures.pkg(account, pkg).body().get("thresholdsReached").toString()).isEqualTo("[80,100]");
    }

    @Test
    void aThresholdIsReachedAtTheByteItsCeilingNamesAndOnlyOnce() {
        TestAccount account = api.createAccount("threshold boundary", "30.00");
        thresholds(account, List.of(33, 80));
        UUID device = fixtures.device(account);
        UUID pkg = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, device);

        // 33 % of 20 GiB is 7 086 696 038.4 bytes: one byte short, then the byte that
        // reaches it
        use(device, 7_086_696_038L);
        assertThat(reached(account)).isEmpty();
        assertThat(fixtures.pkg(account, pkg).body().get("thresholdsReached").toString()).isEqualTo("[]");
        use(device, 1);
        use(device, GB);

        assertThat(reached(account)).extracting(e -> e.at("/data/threshold").asInt()).containsExactly(33);
        assertThat(fixtures.pkg(account, pkg).body().get("thresholdsReached").toString()).isEqualTo("[33]");
    }

    @Test
    void aBatchOfManyRecordsEmitsEachThresholdItReachesOnce() {
        TestAccount account = api.createAccount("threshold many", "30.00");
        thresholds(account, List.of(25, 50, 75));
        UUID first = fixtures.device(account);
        UUID pkg = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, first);
        Instant now = fixtures.now();
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            batch.add(record(id(), first, "GUANGZHOU", GB, now));
        }

        assertThat(fixtures.post(batch).status()).isEqualTo(200);

        assertThat(reached(account)).extracting(e -> e.at("/data/threshold").asInt()).containsExactly(25, 50, 75);
        assertThat(reached(account))
            .allSatisfy(e -> assertThat(e.at("/data/usedBytes").asLong()).as("the package as the batch left it")
                .isEqualTo(16 * GB));
        assertThat(fixtures.pkg(account, pkg).body().get("thresholdsReached").toString()).isEqualTo("[25,50,75]");
    }

    @Test
    void aRenewedSuccessorStartsFresh() {
        TestAccount account = api.createAccount("threshold successor", "60.00");
        UUID device = fixtures.device(account);
        UUID first = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", true, device);

        use(device, 20 * GB + 2 * GB); // exhausts the first, 2 GB flow into the
                                       // auto-renewed successor (10 %)
        UUID successor = UUID.fromString(fixtures.pkg(account, first).text("/successorId"));
        assertThat(fixtures.pkg(account, successor).body().get("thresholdsReached").toString()).isEqualTo("[]");
        use(device, 14 * GB); // the successor at 16 GB: 80 %

        assertThat(thresholdsOf(reached(account))).containsExactly(first.toString().substring(0, 8) + " 80",
                first.toString().substring(0, 8) + " 100", successor.toString().substring(0, 8) + " 80");
    }

    @Test
    void anUpgradeKeepsTheThresholdsReachedAndTheOthersApplyToTheNewCapacity() {
        TestAccount account = api.createAccount("threshold upgrade", "200.00");
        UUID device = fixtures.device(account);
        UUID pkg = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, device);
        use(device, 17 * GB); // 85 % of 20 GB: 80 reached
        Response upgraded = api.post("/api/v1/traffic-packages/" + pkg + "/tier-change", account.apiKey(),
                Map.of("type", "DEVICE_2_FLOW_50G"));
        assertThat(upgraded.status()).as("%s", upgraded).isEqualTo(200);
        assertThat(upgraded.body().get("thresholdsReached").toString()).isEqualTo("[80]");

        use(device, 23 * GB); // 40 GB of 50 GB: 80 % again, already reached
        assertThat(reached(account)).extracting(e -> e.at("/data/threshold").asInt()).containsExactly(80);
        use(device, 10 * GB); // 50 GB of 50 GB: 100 %

        List<JsonNode> events = reached(account);
        assertThat(events).extracting(e -> e.at("/data/threshold").asInt()).containsExactly(80, 100);
        assertThat(events.get(1).at("/data/capacityBytes").asLong()).isEqualTo(50 * GB);
    }

    @Test
    void aSettingsChangeAppliesFromThenOnAndNeverResends() {
        TestAccount account = api.createAccount("threshold settings", "30.00");
        UUID device = fixtures.device(account);
        UUID pkg = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, device);
        use(device, 17 * GB); // 85 %: 80 reached
        thresholds(account, List.of(50, 80, 90));

        use(device, GB); // 90 %: 50 was passed before it was asked for, 80 was sent
                         // already

        assertThat(reached(account)).extracting(e -> e.at("/data/threshold").asInt()).containsExactly(80, 90);
        thresholds(account, List.of());
        use(device, 2 * GB); // 100 %, nothing asked for
        assertThat(reached(account)).hasSize(2);
        assertThat(fixtures.pkg(account, pkg).body().get("thresholdsReached").toString()).isEqualTo("[80,90]");
    }

    @Test
    void twentyConcurrentBatchesAcrossAThresholdEmitOneEvent() {
        TestAccount account = api.createAccount("threshold race", "100.00");
        thresholds(account, List.of(50));
        UUID a = fixtures.device(account);
        UUID b = fixtures.device(account);
        UUID pkg = fixtures.bought(account, "DEVICE_2_FLOW_50G", "GUANGZHOU", false, a, b);
        use(a, 24 * GB); // 48 %
        Instant now = fixtures.now();

        List<Response> responses = Race.times(20, () -> fixtures
            .post(List.of(record(id(), a, "GUANGZHOU", GB / 2, now), record(id(), b, "GUANGZHOU", GB / 2, now))));

        assertThat(responses).extracting(Response::status).containsOnly(200);
        List<JsonNode> events = reached(account);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).at("/data/threshold").asInt()).isEqualTo(50);
        // the transaction that reached it left the package at 25 GB (48 % + 1 GB) or,
        // when it applied several of the small batches together
        // (docs/traffic-packages.md,
        // coalesced requests), a whole number of GB more
        long usedThen = events.get(0).at("/data/usedBytes").asLong();
        assertThat(usedThen).isBetween(25 * GB, 44 * GB);
        assertThat(usedThen % GB).isZero();
        assertThat(fixtures.pkg(account, pkg).body().get("usedBytes").asLong()).isEqualTo(44 * GB);
    }

    /**
     * The table's primary key alone settles it: two transactions record the same
     * threshold of the same package through the ingestion's own statement, without the
     * package locks that usually serialise them. The second waits on the first one's key,
     * and once the first commits it claims nothing.
     */
    @Test
    void theDatabaseKeyAloneRefusesASecondCopyOfAThreshold() throws Exception {
        TestAccount account = api.createAccount("threshold key", "30.00");
        UUID device = fixtures.device(account);
        UUID id = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, device);
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        CountDownLatch firstClaimed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);

        CompletableFuture<List<Integer>> first = CompletableFuture.supplyAsync(() -> transaction.execute(status -> {
            List<Integer> claimed = claimEighty(id);
            firstClaimed.countDown();
            waitFor(release);
            return claimed;
        }));
        assertThat(firstClaimed.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<List<Integer>> second = CompletableFuture
            .supplyAsync(() -> transaction.execute(status -> claimEighty(id)));
        // the second transaction is waiting for the first one's row in the key's index
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> jdbc.queryForObject("""
                SELECT count(*) FROM pg_stat_activity
                WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO traffic_package_usage_alerts%'
                """, Integer.class) == 1);
        release.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).containsExactly(80);
        assertThat(second.get(30, TimeUnit.SECONDS)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM traffic_package_usage_alerts WHERE package_id = ?",
                Integer.class, id))
            .isEqualTo(1);
    }

    /**
     * Records the 80 % of a package through {@link UsageAlerts}, from an unlocked read;
     * answers what it claimed.
     */
    private List<Integer> claimEighty(UUID id) {
        TrafficPackage pkg = store.read(List.of(id)).get(0);
        pkg.deduct(16 * GB, clock.instant());
        usageAlerts.reached(List.of(pkg), Map.of(id, 0L), clock.instant());
        return pkg.thresholdsReached();
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

}
