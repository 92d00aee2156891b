package io.planbilling.trafficpackage;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@ApiTest
class TrafficPackageApiTest {

    static final long GB = PackageApiSupport.GB;
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @Autowired
    TestApi api;

    PackageApiSupport support;

    @BeforeEach
    void setUp() {
        support = new PackageApiSupport(api);
    }

    @Test
    void catalogShowsTypesLimitsPricesAndRegions() {
        TestAccount account = api.createAccount("catalog");

        Response catalog = api.get("/api/v1/traffic-packages/catalog", account.apiKey());

        assertThat(catalog.status()).isEqualTo(200);
        assertThat(catalog.body().get("types")).hasSize(4);
        assertThat(catalog.text("/types/0/type")).isEqualTo("DEVICE_1_FLOW_20G");
        assertThat(catalog.body().at("/types/0/capacityBytes").asLong()).isEqualTo(20 * GB);
        assertThat(catalog.body().at("/types/0/maxDevices").asInt()).isEqualTo(1);
        assertThat(catalog.text("/types/0/prices/0/region")).isEqualTo("GUANGZHOU");
        assertThat(catalog.text("/types/0/prices/0/price/amount")).isEqualTo("30.00");
        assertThat(catalog.text("/types/0/prices/1/price/amount")).isEqualTo("40.00");
        assertThat(catalog.text("/types/3/type")).isEqualTo("DEVICE_5_FLOW_500G");
        assertThat(catalog.body().at("/types/3/maxDevices").asInt()).isEqualTo(5);
        assertThat(catalog.text("/types/3/prices/1/price/amount")).isEqualTo("850.00");
        assertThat(catalog.text("/regions/0/region")).isEqualTo("GUANGZHOU");
        assertThat(catalog.text("/regions/0/description")).contains("Chinese mainland");
        assertThat(catalog.text("/regions/1/paygPerGb/amount")).isEqualTo("1.60");
    }

    @Test
    void purchasesAPackageForAMonthPaidFromTheBalance() {
        TestAccount account = api.createAccount("purchase", "100.00");
        UUID device = support.device(account, "d1");
        Instant before = support.now();

        Response bought = support.purchase(account, "DEVICE_2_FLOW_50G", "GUANGZHOU", List.of(device), true);

        assertThat(bought.status()).as("%s", bought).isEqualTo(201);
        assertThat(bought.header("Location")).contains("/api/v1/traffic-packages/" + bought.id());
        assertThat(bought.text("/status")).isEqualTo("ACTIVE");
        assertThat(bought.text("/type")).isEqualTo("DEVICE_2_FLOW_50G");
        assertThat(bought.body().get("capacityBytes").asLong()).isEqualTo(50 * GB);
        assertThat(bought.body().get("usedBytes").asLong()).isZero();
        assertThat(bought.body().get("remainingBytes").asLong()).isEqualTo(50 * GB);
        assertThat(bought.body().get("maxDevices").asInt()).isEqualTo(2);
        assertThat(bought.text("/deviceIds/0")).isEqualTo(device.toString());
        assertThat(bought.body().get("autoRenew").asBoolean()).isTrue();
        assertThat(bought.text("/price/amount")).isEqualTo("70.00");
        Instant validFrom = Instant.parse(bought.text("/validFrom"));
        assertThat(validFrom).isAfterOrEqualTo(before);
        assertThat(Instant.parse(bought.text("/validUntil")))
            .isEqualTo(validFrom.atZone(ZONE).plusMonths(1).toInstant());
        assertThat(bought.text("/pendingChange")).isNull();
        assertThat(api.balance(account)).isEqualTo("30.00");
        assertThat(support.ledger(account)).containsExactly("CREDIT 100.00", "PURCHASE -70.00");
        Response ledger = api.get("/api/v1/account/ledger", account.apiKey());
        assertThat(ledger.text("/content/0/resourceType")).isEqualTo("TRAFFIC_PACKAGE");
        assertThat(ledger.text("/content/0/resourceId")).isEqualTo(bought.id().toString());
        assertThat(support.read(account, bought.id()).text("/id")).isEqualTo(bought.id().toString());
    }

    @Test
    void purchasesWithoutDevicesAndInTheOtherRegionAtItsPrice() {
        TestAccount account = api.createAccount("no devices", "100.00");

        Response bought = api.post("/api/v1/traffic-packages", account.apiKey(),
                Map.of("type", "DEVICE_1_FLOW_20G", "region", "SILICON_VALLEY"));

        assertThat(bought.status()).as("%s", bought).isEqualTo(201);
        assertThat(bought.body().get("deviceIds")).isEmpty();
        assertThat(bought.body().get("autoRenew").asBoolean()).isFalse();
        assertThat(bought.text("/region")).isEqualTo("SILICON_VALLEY");
        assertThat(api.balance(account)).isEqualTo("60.00");
    }

    @Test
    void previewOfAPurchaseQuotesAndChangesNothing() {
        TestAccount account = api.createAccount("preview purchase", "100.00");
        UUID device = support.device(account, "d1");

        Response preview = api.post("/api/v1/traffic-packages?preview=true", account.apiKey(),
                Map.of("type", "DEVICE_2_FLOW_50G", "region", "GUANGZHOU", "deviceIds", List.of(device)));

        assertThat(preview.status()).as("%s", preview).isEqualTo(200);
        assertThat(preview.text("/result/type")).isEqualTo("DEVICE_2_FLOW_50G");
        assertThat(preview.text("/result/deviceIds/0")).isEqualTo(device.toString());
        assertThat(api.balance(account)).isEqualTo("100.00");
        assertThat(api.get("/api/v1/traffic-packages", account.apiKey()).body().at("/page/totalElements").asLong())
            .isZero();
        assertThat(api.get("/api/v1/devices/" + device, account.apiKey()).text("/payMode")).isEqualTo("PAY_AS_YOU_GO");
    }

    @Test
    void previewQuotesTheChargeAndTheBalanceAfter() {
        TestAccount account = api.createAccount("preview quote", "100.00");

        Response preview = api.post("/api/v1/traffic-packages?preview=true", account.apiKey(),
                Map.of("type", "DEVICE_2_FLOW_50G", "region", "GUANGZHOU"));

        assertThat(preview.text("/charge/amount")).isEqualTo("70.00");
        assertThat(preview.text("/refund/amount")).isEqualTo("0.00");
        assertThat(preview.text("/balanceAfter/amount")).isEqualTo("30.00");
        assertThat(preview.text("/result/status")).isEqualTo("ACTIVE");
        assertProblem(api.post("/api/v1/traffic-packages?preview=true", account.apiKey(),
                Map.of("type", "DEVICE_3_FLOW_100G", "region", "GUANGZHOU")), 402, "INSUFFICIENT_BALANCE");
        assertThat(api.balance(account)).isEqualTo("100.00");
    }

    @Test
    void refusesAPurchaseTheBalanceDoesNotCoverAndCreatesNothing() {
        TestAccount account = api.createAccount("poor", "20.00");
        UUID device = support.device(account, "d1");

        Response refused = support.purchase(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", List.of(device), false);

        assertProblem(refused, 402, "INSUFFICIENT_BALANCE");
        assertThat(api.balance(account)).isEqualTo("20.00");
        assertThat(api.get("/api/v1/traffic-packages", account.apiKey()).body().at("/page/totalElements").asLong())
            .isZero();
        assertThat(api.get("/api/v1/devices?bound=false", account.apiKey()).body().at("/page/totalElements").asLong())
            .isEqualTo(1);
    }

    @Test
    void enforcesTheTypesDeviceLimitAtPurchase() {
        TestAccount account = api.createAccount("limit", "1000.00");
        List<UUID> devices = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            devices.add(support.device(account, "d" + i));
        }

        // every type's limit is unit-tested (TrafficCommandsTest); this is the answer the
        // client sees
        Response one = assertProblem(
                support.purchase(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", devices.subList(0, 2), false), 422,
                "DEVICE_LIMIT_EXCEEDED");

        assertThat(one.text("/errors/0/field")).isEqualTo("deviceIds");
        assertThat(one.text("/detail")).contains("DEVICE_1_FLOW_20G binds at most 1 device");
        assertThat(api.balance(account)).isEqualTo("1000.00");
        assertThat(support.purchase(account, "DEVICE_5_FLOW_500G", "GUANGZHOU", devices.subList(0, 5), false).status())
            .isEqualTo(201);
    }

    @Test
    void aDeviceIsBoundToOneLivePackageAtATime() {
        TestAccount account = api.createAccount("no stacking", "200.00");
        UUID device = support.device(account, "d1");
        support.bought(account, "DEVICE_1_FLOW_20G", List.of(device), false);

        Response stacked = support.purchase(account, "DEVICE_2_FLOW_50G", "SILICON_VALLEY", List.of(device), false);

        assertProblem(stacked, 409, "DEVICE_ALREADY_BOUND");
        assertThat(stacked.text("/errors/0/field")).isEqualTo("deviceIds");
        assertThat(api.balance(account)).isEqualTo("170.00");
    }

    /**
     * The rules of a purchase that need the account's data; the request's own shape
     * (types, regions, ids, members) is proven by the web slice ({@code TrafficWebTest}).
     */
    @Test
    void rejectsInvalidPurchases() {
        TestAccount account = api.createAccount("invalid purchase", "100.00");
        UUID device = support.device(account, "d1");
        TestAccount other = api.createAccount("someone else");
        UUID foreign = support.device(other, "theirs");

        assertProblem(api.post("/api/v1/traffic-packages", account.apiKey(),
                Map.of("type", "DEVICE_2_FLOW_50G", "region", "GUANGZHOU", "deviceIds", List.of(device, device))), 400,
                "VALIDATION_FAILED");
        Response unknown = assertProblem(
                support.purchase(account, "DEVICE_2_FLOW_50G", "GUANGZHOU", List.of(UUID.randomUUID()), false), 422,
                "UNKNOWN_DEVICE");
        assertThat(unknown.text("/errors/0/field")).isEqualTo("deviceIds");
        assertProblem(support.purchase(account, "DEVICE_2_FLOW_50G", "GUANGZHOU", List.of(foreign), false), 422,
                "UNKNOWN_DEVICE");
        assertProblem(api.post("/api/v1/traffic-packages", api.operator(),
                Map.of("type", "DEVICE_1_FLOW_20G", "region", "GUANGZHOU")), 403, "FORBIDDEN");
        assertThat(api.balance(account)).isEqualTo("100.00");
    }

    @Test
    void aRetriedPurchaseWithTheSameIdempotencyKeyChargesOnce() {
        TestAccount account = api.createAccount("idempotent purchase", "100.00");
        Map<String, Object> body = Map.of("type", "DEVICE_1_FLOW_20G", "region", "GUANGZHOU");

        Response first = api.request("POST", "/api/v1/traffic-packages")
            .key(account.apiKey())
            .idempotencyKey("buy-1")
            .json(body)
            .send();
        Response retry = api.request("POST", "/api/v1/traffic-packages")
            .key(account.apiKey())
            .idempotencyKey("buy-1")
            .json(body)
            .send();

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.raw()).isEqualTo(first.raw());
        assertThat(api.balance(account)).isEqualTo("70.00");
        assertThat(api.get("/api/v1/traffic-packages", account.apiKey()).body().at("/page/totalElements").asLong())
            .isEqualTo(1);
    }

    @Test
    void bindsMoreDevicesUpToTheLimit() {
        TestAccount account = api.createAccount("bind", "100.00");
        UUID first = support.device(account, "d1");
        UUID second = support.device(account, "d2");
        UUID third = support.device(account, "d3");
        UUID packageId = support.bought(account, "DEVICE_2_FLOW_50G", List.of(first), false);

        Response bound = api.post("/api/v1/traffic-packages/" + packageId + "/bindings", account.apiKey(),
                Map.of("deviceIds", List.of(second)));

        assertThat(bound.status()).as("%s", bound).isEqualTo(200);
        assertThat(bound.body().get("deviceIds")).hasSize(2);
        assertThat(api.get("/api/v1/devices/" + second, account.apiKey()).text("/packageId"))
            .isEqualTo(packageId.toString());
        Response full = assertProblem(api.post("/api/v1/traffic-packages/" + packageId + "/bindings", account.apiKey(),
                Map.of("deviceIds", List.of(third))), 422, "DEVICE_LIMIT_EXCEEDED");
        assertThat(full.text("/errors/0/field")).isEqualTo("deviceIds");
        assertProblem(api.post("/api/v1/traffic-packages/" + packageId + "/bindings", account.apiKey(),
                Map.of("deviceIds", List.of(first))), 409, "DEVICE_ALREADY_BOUND");
        assertProblem(api.post("/api/v1/traffic-packages/" + packageId + "/bindings", account.apiKey(),
                Map.of("deviceIds", List.of())), 400, "VALIDATION_FAILED");
        assertProblem(api.post("/api/v1/traffic-packages/" + packageId + "/bindings", account.apiKey(),
                Map.of("deviceIds", List.of(UUID.randomUUID()))), 422, "DEVICE_LIMIT_EXCEEDED");
    }

    @Test
    void refusesBindingADeviceOfAnotherLivePackage() {
        TestAccount account = api.createAccount("bind elsewhere", "200.00");
        UUID device = support.device(account, "d1");
        support.bought(account, "DEVICE_1_FLOW_20G", List.of(device), false);
        UUID second = support.bought(account, "DEVICE_2_FLOW_50G", List.of(), false);

        assertProblem(api.post("/api/v1/traffic-packages/" + second + "/bindings", account.apiKey(),
                Map.of("deviceIds", List.of(device))), 409, "DEVICE_ALREADY_BOUND");
        assertProblem(api.post("/api/v1/traffic-packages/" + second + "/bindings", account.apiKey(),
                Map.of("deviceIds", List.of(UUID.randomUUID()))), 422, "UNKNOWN_DEVICE");
    }

    @Test
    void anExhaustedPackageReleasesItsDevicesAndTakesNoBindings() {
        TestAccount account = api.createAccount("exhausted", "100.00");
        UUID device = support.device(account, "d1");
        UUID packageId = support.bought(account, "DEVICE_1_FLOW_20G", List.of(device), false);

        support.use(device, "GUANGZHOU", 20 * GB);

        Response read = support.read(account, packageId);
        assertThat(read.text("/status")).isEqualTo("EXHAUSTED");
        assertThat(read.body().get("remainingBytes").asLong()).isZero();
        assertThat(api.get("/api/v1/devices/" + device, account.apiKey()).text("/payMode")).isEqualTo("PAY_AS_YOU_GO");
        assertProblem(api.post("/api/v1/traffic-packages/" + packageId + "/bindings", account.apiKey(),
                Map.of("deviceIds", List.of(support.device(account, "d2")))), 409, "PACKAGE_NOT_ACTIVE");
        assertThat(support.purchase(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", List.of(device), false).status())
            .isEqualTo(201);
    }

    @Test
    void autoRenewCanBeTurnedOffAndOnWhileLive() {
        TestAccount account = api.createAccount("auto renew", "100.00");
        UUID packageId = support.bought(account, "DEVICE_1_FLOW_20G", List.of(), true);

        Response off = api.patch("/api/v1/traffic-packages/" + packageId, account.apiKey(), Map.of("autoRenew", false));

        assertThat(off.status()).as("%s", off).isEqualTo(200);
        assertThat(off.body().get("autoRenew").asBoolean()).isFalse();
        assertThat(api.patch("/api/v1/traffic-packages/" + packageId, account.apiKey(), Map.of("autoRenew", true))
            .body()
            .get("autoRenew")
            .asBoolean()).isTrue();
        assertProblem(api.patch("/api/v1/traffic-packages/" + packageId, account.apiKey(), Map.of()), 400,
                "VALIDATION_FAILED");
        api.post("/api/v1/traffic-packages/" + packageId + "/unsubscribe", account.apiKey(), Map.of());
        assertProblem(api.patch("/api/v1/traffic-packages/" + packageId, account.apiKey(), Map.of("autoRenew", true)),
                409, "PACKAGE_NOT_ACTIVE");
    }

    @Test
    void upgradeChargesThePriceDifferenceProratedByTheTimeLeft() {
        TestAccount account = api.createAccount("upgrade", "300.00");
        UUID first = support.device(account, "d1");
        UUID second = support.device(account, "d2");
        Response bought = support.purchase(account, "DEVICE_2_FLOW_50G", "GUANGZHOU", List.of(first, second), true);
        UUID packageId = bought.id();
        support.use(first, "GUANGZHOU", 4 * GB);
        Instant validFrom = Instant.parse(bought.text("/validFrom"));
        Instant validUntil = Instant.parse(bought.text("/validUntil"));

        Response preview = api.post("/api/v1/traffic-packages/" + packageId + "/tier-change?preview=true",
                account.apiKey(), Map.of("type", "DEVICE_3_FLOW_100G"));
        Instant before = support.now();
        Response upgraded = api.post("/api/v1/traffic-packages/" + packageId + "/tier-change", account.apiKey(),
                Map.of("type", "DEVICE_3_FLOW_100G"));
        Instant after = support.now();

        assertThat(preview.status()).as("%s", preview).isEqualTo(200);
        assertThat(upgraded.status()).as("%s", upgraded).isEqualTo(200);
        assertThat(upgraded.text("/type")).isEqualTo("DEVICE_3_FLOW_100G");
        assertThat(upgraded.body().get("capacityBytes").asLong()).isEqualTo(100 * GB);
        assertThat(upgraded.body().get("usedBytes").asLong()).isEqualTo(4 * GB);
        assertThat(upgraded.body().get("maxDevices").asInt()).isEqualTo(3);
        assertThat(upgraded.body().get("deviceIds")).hasSize(2);
        assertThat(upgraded.text("/validUntil")).isEqualTo(bought.text("/validUntil"));
        assertThat(upgraded.text("/price/amount")).isEqualTo("130.00");
        // 60.00 × time left ÷ cycle, rounded half-even, at some moment between before and
        // after
        BigDecimal charge = new BigDecimal(support.ledger(account).get(2).substring("UPGRADE -".length()));
        assertThat(support.ledger(account).get(2)).startsWith("UPGRADE -");
        assertThat(charge).isBetween(prorated(validFrom, validUntil, after), prorated(validFrom, validUntil, before));
        assertThat(new BigDecimal(preview.text("/charge/amount"))).isBetween(charge, new BigDecimal("60.00"));
        assertThat(preview.text("/result/type")).isEqualTo("DEVICE_3_FLOW_100G");
        assertThat(api.balance(account)).isEqualTo(new BigDecimal("230.00").subtract(charge).toPlainString());
        assertProblem(api.post("/api/v1/traffic-packages/" + packageId + "/tier-change", account.apiKey(),
                Map.of("type", "DEVICE_3_FLOW_100G")), 422, "TIER_UNCHANGED");
    }

    private static BigDecimal prorated(Instant from, Instant until, Instant at) {
        return new BigDecimal("60.00").multiply(BigDecimal.valueOf(Duration.between(at, until).toMillis()))
            .divide(BigDecimal.valueOf(Duration.between(from, until).toMillis()), 2, RoundingMode.HALF_EVEN);
    }

    @Test
    void refusesAnUpgradeTheBalanceDoesNotCover() {
        TestAccount account = api.createAccount("poor upgrade", "30.00");
        UUID packageId = support.bought(account, "DEVICE_1_FLOW_20G", List.of(), false);

        assertProblem(api.post("/api/v1/traffic-packages/" + packageId + "/tier-change", account.apiKey(),
                Map.of("type", "DEVICE_5_FLOW_500G")), 402, "INSUFFICIENT_BALANCE");

        assertThat(support.read(account, packageId).text("/type")).isEqualTo("DEVICE_1_FLOW_20G");
        assertThat(api.balance(account)).isEqualTo("0.00");
    }

    @Test
    void anUpgradeNamingDevicesToKeepIsRefused() {
        TestAccount account = api.createAccount("upgrade with devices", "500.00");
        UUID device = support.device(account, "kept?");
        UUID packageId = support.bought(account, "DEVICE_1_FLOW_20G", List.of(device), false);

        assertProblem(api.post("/api/v1/traffic-packages/" + packageId + "/tier-change", account.apiKey(),
                Map.of("type", "DEVICE_2_FLOW_50G", "deviceIds", List.of(device))), 400, "VALIDATION_FAILED");

        assertThat(support.read(account, packageId).text("/type")).isEqualTo("DEVICE_1_FLOW_20G");
        assertThat(api.balance(account)).isEqualTo("470.00");
    }

    @Test
    void downgradeIsPendingUntilTheNextCycleAndCanBeCancelled() {
        TestAccount account = api.createAccount("downgrade", "200.00");
        UUID first = support.device(account, "d1");
        UUID second = support.device(account, "d2");
        UUID packageId = support.bought(account, "DEVICE_2_FLOW_50G", List.of(first, second), true);

        Response needsDevices = assertProblem(api.post("/api/v1/traffic-packages/" + packageId + "/tier-change",
                account.apiKey(), Map.of("type", "DEVICE_1_FLOW_20G")), 422, "DEVICE_LIMIT_EXCEEDED");
        assertProblem(
                api.post("/api/v1/traffic-packages/" + packageId + "/tier-change", account.apiKey(),
                        Map.of("type", "DEVICE_1_FLOW_20G", "deviceIds", List.of(UUID.randomUUID()))),
                422, "DEVICE_NOT_BOUND");
        Response pending = api.post("/api/v1/traffic-packages/" + packageId + "/tier-change", account.apiKey(),
                Map.of("type", "DEVICE_1_FLOW_20G", "deviceIds", List.of(second)));

        assertThat(needsDevices.text("/errors/0/field")).isEqualTo("deviceIds");
        assertThat(pending.status()).as("%s", pending).isEqualTo(200);
        assertThat(pending.text("/type")).isEqualTo("DEVICE_2_FLOW_50G");
        assertThat(pending.text("/pendingChange/type")).isEqualTo("DEVICE_1_FLOW_20G");
        assertThat(pending.text("/pendingChange/deviceIds/0")).isEqualTo(second.toString());
        assertThat(api.balance(account)).isEqualTo("130.00");

        Response cancelled = api.delete("/api/v1/traffic-packages/" + packageId + "/tier-change", account.apiKey());

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.text("/pendingChange")).isNull();
        assertProblem(api.delete("/api/v1/traffic-packages/" + packageId + "/tier-change", account.apiKey()), 409,
                "NO_PENDING_CHANGE");
        assertProblem(api.post("/api/v1/traffic-packages/" + packageId + "/tier-change", account.apiKey(),
                Map.of("type", "DEVICE_7_FLOW_1G")), 400, "VALIDATION_FAILED");
    }

    @Test
    void renewingALivePackageIsRefused() {
        TestAccount account = api.createAccount("renew live", "100.00");
        UUID packageId = support.bought(account, "DEVICE_1_FLOW_20G", List.of(), false);

        assertProblem(api.post("/api/v1/traffic-packages/" + packageId + "/renewal", account.apiKey(), Map.of()), 409,
                "PACKAGE_STILL_ACTIVE");
        assertThat(api.balance(account)).isEqualTo("70.00");
    }

    @Test
    void renewsASpentPackageWithTheSameTypeRegionAndDevices() {
        TestAccount account = api.createAccount("renew spent", "100.00");
        UUID device = support.device(account, "d1");
        UUID packageId = support.bought(account, "DEVICE_1_FLOW_20G", List.of(device), false);
        support.use(device, "GUANGZHOU", 20 * GB);

        Response preview = api.post("/api/v1/traffic-packages/" + packageId + "/renewal?preview=true", account.apiKey(),
                Map.of());
        Response renewed = api.post("/api/v1/traffic-packages/" + packageId + "/renewal", account.apiKey(), Map.of());

        assertThat(preview.status()).as("%s", preview).isEqualTo(200);
        assertThat(preview.text("/charge/amount")).isEqualTo("30.00");
        assertThat(preview.text("/balanceAfter/amount")).isEqualTo("40.00");
        assertThat(renewed.status()).as("%s", renewed).isEqualTo(201);
        assertThat(renewed.text("/type")).isEqualTo("DEVICE_1_FLOW_20G");
        assertThat(renewed.text("/region")).isEqualTo("GUANGZHOU");
        assertThat(renewed.text("/deviceIds/0")).isEqualTo(device.toString());
        assertThat(renewed.text("/predecessorId")).isEqualTo(packageId.toString());
        assertThat(renewed.text("/status")).isEqualTo("ACTIVE");
        assertThat(support.read(account, packageId).text("/successorId")).isEqualTo(renewed.id().toString());
        assertThat(support.ledger(account)).endsWith("RENEWAL -30.00");
        assertThat(api.balance(account)).isEqualTo("40.00");
        assertProblem(api.post("/api/v1/traffic-packages/" + packageId + "/renewal", account.apiKey(), Map.of()), 409,
                "ALREADY_RENEWED");
    }

    @Test
    void manualRenewalTakesThePendingDowngradeAndRefusesWhenTheBalanceIsShort() {
        TestAccount account = api.createAccount("renew downgraded", "130.00");
        UUID first = support.device(account, "d1");
        UUID second = support.device(account, "d2");
        UUID packageId = support.bought(account, "DEVICE_2_FLOW_50G", List.of(first, second), false);
        api.post("/api/v1/traffic-packages/" + packageId + "/tier-change", account.apiKey(),
                Map.of("type", "DEVICE_1_FLOW_20G", "deviceIds", List.of(second)));
        support.use(first, "GUANGZHOU", 50 * GB);

        Response renewed = api.post("/api/v1/traffic-packages/" + packageId + "/renewal", account.apiKey(), Map.of());

        assertThat(renewed.status()).as("%s", renewed).isEqualTo(201);
        assertThat(renewed.text("/type")).isEqualTo("DEVICE_1_FLOW_20G");
        assertThat(renewed.body().get("deviceIds")).hasSize(1);
        assertThat(renewed.text("/deviceIds/0")).isEqualTo(second.toString());
        assertThat(api.balance(account)).isEqualTo("30.00");

        support.use(second, "GUANGZHOU", 20 * GB);
        api.post("/api/v1/traffic-packages", account.apiKey(),
                Map.of("type", "DEVICE_1_FLOW_20G", "region", "GUANGZHOU"));
        assertProblem(api.post("/api/v1/traffic-packages/" + renewed.id() + "/renewal", account.apiKey(), Map.of()),
                402, "INSUFFICIENT_BALANCE");
        assertThat(support.read(account, renewed.id()).text("/successorId")).isNull();
    }

    @Test
    void unsubscribeRefundsTheUnusedShareRoundedDownAndReleasesTheDevices() {
        TestAccount account = api.createAccount("unsubscribe", "100.00");
        UUID device = support.device(account, "d1");
        UUID packageId = support.bought(account, "DEVICE_1_FLOW_20G", List.of(device), true);
        support.use(device, "GUANGZHOU", 7 * GB + 1);

        Response preview = api.post("/api/v1/traffic-packages/" + packageId + "/unsubscribe?preview=true",
                account.apiKey(), Map.of());
        assertThat(preview.status()).as("%s", preview).isEqualTo(200);
        assertThat(preview.text("/refund/amount")).isEqualTo("19.49");
        assertThat(support.read(account, packageId).text("/status")).isEqualTo("ACTIVE");

        Response ended = api.post("/api/v1/traffic-packages/" + packageId + "/unsubscribe", account.apiKey(), Map.of());

        // 30.00 × (13 GB − 1 byte) ÷ 20 GB = 19.4999… → 19.49
        assertThat(ended.status()).as("%s", ended).isEqualTo(200);
        assertThat(ended.text("/refund/amount")).isEqualTo("19.49");
        assertThat(ended.text("/charge/amount")).isEqualTo("0.00");
        assertThat(ended.text("/balanceAfter/amount")).isEqualTo("89.49");
        assertThat(ended.text("/result/status")).isEqualTo("UNSUBSCRIBED");
        assertThat(ended.body().at("/result/deviceIds")).isEmpty();
        assertThat(ended.body().at("/result/autoRenew").asBoolean()).isFalse();
        assertThat(support.ledger(account)).endsWith("REFUND 19.49");
        assertThat(api.get("/api/v1/devices/" + device, account.apiKey()).text("/payMode")).isEqualTo("PAY_AS_YOU_GO");
        assertProblem(api.post("/api/v1/traffic-packages/" + packageId + "/unsubscribe", account.apiKey(), Map.of()),
                409, "PACKAGE_NOT_ACTIVE");
        assertProblem(api.post("/api/v1/traffic-packages/" + packageId + "/renewal", account.apiKey(), Map.of()), 409,
                "PACKAGE_NOT_RENEWABLE");
        assertThat(support.bought(account, "DEVICE_1_FLOW_20G", List.of(device), false)).isNotNull();
    }

    @Test
    void deletesOnlySpentOrUnsubscribedPackages() {
        TestAccount account = api.createAccount("delete", "100.00");
        UUID packageId = support.bought(account, "DEVICE_1_FLOW_20G", List.of(), false);

        assertProblem(api.delete("/api/v1/traffic-packages/" + packageId, account.apiKey()), 409,
                "PACKAGE_STILL_ACTIVE");
        api.post("/api/v1/traffic-packages/" + packageId + "/unsubscribe", account.apiKey(), Map.of());
        Response deleted = api.delete("/api/v1/traffic-packages/" + packageId, account.apiKey());

        assertThat(deleted.status()).isEqualTo(204);
        assertProblem(support.read(account, packageId), 404, "NOT_FOUND");
        assertThat(api.get("/api/v1/traffic-packages", account.apiKey()).body().at("/page/totalElements").asLong())
            .isZero();
        assertProblem(api.delete("/api/v1/traffic-packages/" + packageId, account.apiKey()), 404, "NOT_FOUND");
        assertThat(support.ledger(account)).containsExactly("CREDIT 100.00", "PURCHASE -30.00", "REFUND 30.00");
    }

    @Test
    void listsPackagesNewestFirstFilteredByStatusAndDevice() {
        TestAccount account = api.createAccount("list packages", "300.00");
        UUID device = support.device(account, "d1");
        UUID spent = support.bought(account, "DEVICE_1_FLOW_20G", List.of(device), false);
        support.use(device, "GUANGZHOU", 20 * GB);
        UUID live = support.bought(account, "DEVICE_2_FLOW_50G", List.of(device), false);
        UUID other = support.bought(account, "DEVICE_1_FLOW_20G", List.of(), false);

        assertThat(ids(api.get("/api/v1/traffic-packages", account.apiKey()))).containsExactly(other, live, spent);
        assertThat(ids(api.get("/api/v1/traffic-packages?status=ACTIVE", account.apiKey()))).containsExactly(other,
                live);
        assertThat(ids(api.get("/api/v1/traffic-packages?status=EXHAUSTED", account.apiKey()))).containsExactly(spent);
        assertThat(ids(api.get("/api/v1/traffic-packages?deviceId=" + device, account.apiKey()))).containsExactly(live,
                spent);
        Response page = api.get("/api/v1/traffic-packages?size=1&page=1", account.apiKey());
        assertThat(ids(page)).containsExactly(live);
        assertThat(page.body().at("/page/totalPages").asInt()).isEqualTo(3);
        assertProblem(api.get("/api/v1/traffic-packages?status=SLEEPING", account.apiKey()), 400, "VALIDATION_FAILED");
    }

    @Test
    void purchaseUpgradeAndRefundAppearOnTheMonthlyBill() {
        TestAccount account = api.createAccount("bill", "300.00");
        UUID packageId = support.bought(account, "DEVICE_1_FLOW_20G", List.of(), false);
        api.post("/api/v1/traffic-packages/" + packageId + "/tier-change", account.apiKey(),
                Map.of("type", "DEVICE_2_FLOW_50G"));
        api.post("/api/v1/traffic-packages/" + packageId + "/unsubscribe", account.apiKey(), Map.of());
        String month = java.time.YearMonth.from(support.now().atZone(ZONE)).toString();

        Response bill = api.get("/api/v1/bills?month=" + month, account.apiKey());

        assertThat(bill.status()).as("%s", bill).isEqualTo(200);
        List<String> kinds = new ArrayList<>();
        bill.body().get("prepaid").forEach(entry -> kinds.add(entry.get("kind").asString()));
        assertThat(kinds).containsExactly("PURCHASE", "UPGRADE", "REFUND");
        BigDecimal charged = new BigDecimal(bill.text("/totals/prepaid/amount"));
        BigDecimal refunded = new BigDecimal(bill.text("/totals/refunded/amount"));
        assertThat(charged.subtract(refunded))
            .isEqualTo(new BigDecimal("300.00").subtract(new BigDecimal(api.balance(account))));
        assertThat(bill.body().get("prepaid").get(0).get("resourceId").asString()).isEqualTo(packageId.toString());
    }

    @Test
    void anotherAccountsPackageIsNotFound() {
        TestAccount owner = api.createAccount("package owner", "100.00");
        TestAccount other = api.createAccount("package stranger", "100.00");
        UUID packageId = support.bought(owner, "DEVICE_1_FLOW_20G", List.of(), false);
        String path = "/api/v1/traffic-packages/" + packageId;

        assertProblem(api.get(path, other.apiKey()), 404, "NOT_FOUND");
        assertProblem(
                api.post(path + "/bindings", other.apiKey(), Map.of("deviceIds", List.of(support.device(other, "x")))),
                404, "NOT_FOUND");
        assertProblem(api.patch(path, other.apiKey(), Map.of("autoRenew", true)), 404, "NOT_FOUND");
        assertProblem(api.post(path + "/tier-change", other.apiKey(), Map.of("type", "DEVICE_2_FLOW_50G")), 404,
                "NOT_FOUND");
        assertProblem(api.post(path + "/unsubscribe", other.apiKey(), Map.of()), 404, "NOT_FOUND");
        assertProblem(api.post(path + "/renewal", other.apiKey(), Map.of()), 404, "NOT_FOUND");
        assertProblem(api.delete(path, other.apiKey()), 404, "NOT_FOUND");
        assertThat(api.balance(other)).isEqualTo("100.00");
        assertThat(api.get(path, owner.apiKey()).status()).isEqualTo(200);
    }

    private static List<UUID> ids(Response page) {
        List<UUID> ids = new ArrayList<>();
        page.body().get("content").forEach(node -> ids.add(UUID.fromString(node.get("id").asString())));
        return ids;
    }

}
