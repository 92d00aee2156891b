package io.planbilling.trafficpackage;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.Race;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
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
 * Every concurrency rule of the package side, raced with real threads over HTTP (or on
 * the lifecycle step itself).
 */
@ApiTest
class PackageRaceTest {

    static final int THREADS = 8;

    @Autowired
    TestApi api;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TrafficPackageExpiry expiry;

    PackageApiSupport support;

    @BeforeEach
    void setUp() {
        support = new PackageApiSupport(api);
    }

    static long count(List<Response> responses, int status) {
        return responses.stream().filter(response -> response.status() == status).count();
    }

    @Test
    void concurrentBindsForTheLastSlotHaveOneWinner() throws Exception {
        TestAccount account = api.createAccount("last slot race", "100.00");
        UUID packageId = support.bought(account, "DEVICE_2_FLOW_50G", List.of(support.device(account, "first")), false);
        List<Callable<Response>> binds = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            UUID device = support.device(account, "candidate " + i);
            binds.add(() -> api.post("/api/v1/traffic-packages/" + packageId + "/bindings", account.apiKey(),
                    Map.of("deviceIds", List.of(device))));
        }

        List<Response> results = Race.run(binds);

        assertThat(count(results, 200)).as("%s", results).isEqualTo(1);
        assertThat(results).filteredOn(response -> response.status() != 200)
            .allSatisfy(response -> assertThat(response.code()).isEqualTo("DEVICE_LIMIT_EXCEEDED"));
        assertThat(support.read(account, packageId).body().get("deviceIds")).hasSize(2);
        assertThat(bindings(packageId)).isEqualTo(2);
    }

    @Test
    void concurrentBindsOfOneDeviceToDifferentPackagesHaveOneWinner() throws Exception {
        TestAccount account = api.createAccount("one device race", "1000.00");
        UUID device = support.device(account, "contested");
        List<Callable<Response>> binds = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            UUID packageId = support.bought(account, "DEVICE_1_FLOW_20G", List.of(), false);
            binds.add(() -> api.post("/api/v1/traffic-packages/" + packageId + "/bindings", account.apiKey(),
                    Map.of("deviceIds", List.of(device))));
        }

        List<Response> results = Race.run(binds);

        assertThat(count(results, 200)).as("%s", results).isEqualTo(1);
        assertThat(results).filteredOn(response -> response.status() != 200)
            .allSatisfy(response -> assertThat(response.code()).isEqualTo("DEVICE_ALREADY_BOUND"));
        assertThat(jdbc.sql("SELECT count(*) FROM traffic_bindings WHERE device_id = :device")
            .param("device", device)
            .query(Long.class)
            .single()).isEqualTo(1);
    }

    @Test
    void concurrentPurchasesOfOneDeviceBindItOnce() throws Exception {
        TestAccount account = api.createAccount("purchase device race", "1000.00");
        UUID device = support.device(account, "contested");
        List<Callable<Response>> purchases = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            purchases.add(() -> support.purchase(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", List.of(device), false));
        }

        List<Response> results = Race.run(purchases);

        assertThat(count(results, 201)).as("%s", results).isEqualTo(1);
        assertThat(results).filteredOn(response -> response.status() != 201)
            .allSatisfy(response -> assertThat(response.code()).isEqualTo("DEVICE_ALREADY_BOUND"));
        assertThat(api.balance(account)).isEqualTo("970.00");
    }

    @Test
    void concurrentPurchasesNeverOverdrawTheBalance() throws Exception {
        TestAccount account = api.createAccount("purchase balance race", "100.00");
        List<Callable<Response>> purchases = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            purchases.add(() -> support.purchase(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", List.of(), false));
        }

        List<Response> results = Race.run(purchases);

        assertThat(count(results, 201)).as("%s", results).isEqualTo(3);
        assertThat(results).filteredOn(response -> response.status() != 201)
            .allSatisfy(response -> assertThat(response.code()).isEqualTo("INSUFFICIENT_BALANCE"));
        assertThat(api.balance(account)).isEqualTo("10.00");
        assertThat(api.get("/api/v1/traffic-packages", account.apiKey()).body().at("/page/totalElements").asLong())
            .isEqualTo(3);
    }

    @Test
    void concurrentLifecycleRunsRenewEachExpiredPackageOnce() throws Exception {
        TestAccount account = api.createAccount("lifecycle race", "1000.00");
        List<UUID> packages = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            packages.add(support.bought(account, "DEVICE_1_FLOW_20G", List.of(support.device(account, "d" + i)), true));
        }
        Instant later = support.advance("P32D");
        List<Callable<Object>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(() -> expiry.run(later));
        }

        Race.run(runs);

        for (UUID packageId : packages) {
            assertThat(jdbc.sql("SELECT count(*) FROM traffic_packages WHERE predecessor_id = :id")
                .param("id", packageId)
                .query(Long.class)
                .single()).isEqualTo(1);
            assertThat(support.read(account, packageId).text("/status")).isEqualTo("EXPIRED");
        }
        assertThat(support.ledger(account).stream().filter(entry -> entry.startsWith("AUTO_RENEWAL"))).hasSize(5);
        assertThat(api.balance(account)).isEqualTo("700.00");
    }

    @Test
    void aManualRenewalRacingTheLifecycleMakesOneSuccessor() throws Exception {
        TestAccount account = api.createAccount("renewal race", "1000.00");
        UUID packageId = support.bought(account, "DEVICE_1_FLOW_20G", List.of(support.device(account, "d")), true);
        Instant later = support.advance("P32D");
        List<Callable<Object>> racers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            racers
                .add(() -> api.post("/api/v1/traffic-packages/" + packageId + "/renewal", account.apiKey(), Map.of()));
            racers.add(() -> expiry.run(later));
        }

        Race.run(racers);

        assertThat(jdbc.sql("SELECT count(*) FROM traffic_packages WHERE predecessor_id = :id")
            .param("id", packageId)
            .query(Long.class)
            .single()).isEqualTo(1);
        assertThat(support.ledger(account).stream().filter(entry -> entry.contains("RENEWAL"))).hasSize(1);
        assertThat(api.balance(account)).isEqualTo("940.00");
    }

    @Test
    void concurrentUpgradesOfOnePackageChargeOnce() throws Exception {
        TestAccount account = api.createAccount("upgrade race", "1000.00");
        UUID packageId = support.bought(account, "DEVICE_1_FLOW_20G", List.of(), false);
        List<Callable<Response>> upgrades = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            upgrades.add(() -> api.post("/api/v1/traffic-packages/" + packageId + "/tier-change", account.apiKey(),
                    Map.of("type", "DEVICE_2_FLOW_50G")));
        }

        List<Response> results = Race.run(upgrades);

        assertThat(count(results, 200)).as("%s", results).isEqualTo(1);
        assertThat(results).filteredOn(response -> response.status() != 200)
            .allSatisfy(response -> assertThat(response.code()).isEqualTo("TIER_UNCHANGED"));
        assertThat(support.ledger(account).stream().filter(entry -> entry.startsWith("UPGRADE"))).hasSize(1);
    }

    @Test
    void concurrentUnsubscribesRefundOnce() throws Exception {
        TestAccount account = api.createAccount("unsubscribe race", "100.00");
        UUID packageId = support.bought(account, "DEVICE_1_FLOW_20G", List.of(), false);
        List<Callable<Response>> unsubscribes = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            unsubscribes.add(() -> api.post("/api/v1/traffic-packages/" + packageId + "/unsubscribe", account.apiKey(),
                    Map.of()));
        }

        List<Response> results = Race.run(unsubscribes);

        assertThat(count(results, 200)).as("%s", results).isEqualTo(1);
        assertThat(results).filteredOn(response -> response.status() != 200)
            .allSatisfy(response -> assertThat(response.code()).isEqualTo("PACKAGE_NOT_ACTIVE"));
        assertThat(api.balance(account)).isEqualTo("100.00");
        assertThat(support.ledger(account)).containsExactly("CREDIT 100.00", "PURCHASE -30.00", "REFUND 30.00");
    }

    private long bindings(UUID packageId) {
        return jdbc.sql("SELECT count(*) FROM traffic_bindings WHERE package_id = :id")
            .param("id", packageId)
            .query(Long.class)
            .single();
    }

}
