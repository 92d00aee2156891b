package io.planbilling.trafficpackage;

import static io.planbilling.trafficpackage.PackageRaceTest.count;
import static io.planbilling.testing.Race.run;
import static io.planbilling.trafficpackage.UsageFixtures.id;
import static io.planbilling.trafficpackage.UsageFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
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

/**
 * Binds against a device limit, usage against a package's capacity and purchases against
 * a balance, each raced by many callers released at the same moment over HTTP
 * (docs/traffic-packages.md, "Concurrency and lock order"): the outcome is the one a
 * single caller at a time would have produced.
 */
@ApiTest
class ConcurrentBindUsageAndPurchaseRaceTest {

    private static final long GB = TrafficPackageType.GB;

    @Autowired
    TestApi api;

    PackageApiSupport support;

    UsageFixtures usage;

    @BeforeEach
    void setUp() {
        support = new PackageApiSupport(api);
        usage = new UsageFixtures(api);
    }

    @Test
    void twelveConcurrentBindsToAThreeDevicePackageBindExactlyThree() throws Exception {
        TestAccount account = api.createAccount("twelve binds", "200.00");
        UUID packageId = support.bought(account, "DEVICE_3_FLOW_100G", List.of(), false);
        List<Callable<Response>> binds = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            UUID device = support.device(account, "candidate " + i);
            binds.add(() -> api.post("/api/v1/traffic-packages/" + packageId + "/bindings", account.apiKey(),
                    Map.of("deviceIds", List.of(device))));
        }

        List<Response> results = run(binds);

        assertThat(count(results, 200)).as("%s", results).isEqualTo(3);
        assertThat(results).filteredOn(response -> response.status() != 200)
            .hasSize(9)
            .allSatisfy(response -> assertThat(response.code()).isEqualTo("DEVICE_LIMIT_EXCEEDED"));
        assertThat(support.read(account, packageId).body().get("deviceIds")).hasSize(3);
    }

    @Test
    void twentyConcurrentSixGigabyteBatchesOnAHundredGigabytePackageDeductExactlyItsCapacity() throws Exception {
        TestAccount account = api.createAccount("twenty batches", "200.00");
        UUID device = usage.device(account);
        UUID packageId = usage.bought(account, "DEVICE_3_FLOW_100G", "GUANGZHOU", false, device);
        Instant now = usage.now();
        List<Callable<Response>> batches = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Map<String, Object> sixGb = record(id(), device, "GUANGZHOU", 6 * GB, now);
            batches.add(() -> usage.post(sixGb));
        }

        List<Response> results = run(batches);

        assertThat(count(results, 200)).as("%s", results).isEqualTo(20);
        long packageBytes = 0;
        long paygBytes = 0;
        for (Response response : results) {
            packageBytes += response.body().at("/results/0/packageBytes").asLong();
            paygBytes += response.body().at("/results/0/paygBytes").asLong();
        }
        assertThat(packageBytes).isEqualTo(100 * GB);
        assertThat(paygBytes).isEqualTo(20 * GB);
        Response read = usage.pkg(account, packageId);
        assertThat(read.body().get("usedBytes").asLong()).isEqualTo(100 * GB);
        assertThat(read.text("/status")).isEqualTo("EXHAUSTED");
    }

    @Test
    void sixConcurrentPurchasesOfThirtyOnAHundredBalanceBuyExactlyThree() throws Exception {
        TestAccount account = api.createAccount("six purchases", "100.00");
        List<Callable<Response>> purchases = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            purchases.add(() -> support.purchase(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", List.of(), false));
        }

        List<Response> results = run(purchases);

        assertThat(count(results, 201)).as("%s", results).isEqualTo(3);
        assertThat(results).filteredOn(response -> response.status() != 201)
            .allSatisfy(response -> assertThat(response.code()).isEqualTo("INSUFFICIENT_BALANCE"));
        assertThat(api.balance(account)).isEqualTo("10.00");
        assertThat(support.ledger(account)).containsExactly("CREDIT 100.00", "PURCHASE -30.00", "PURCHASE -30.00",
                "PURCHASE -30.00");
    }

}
