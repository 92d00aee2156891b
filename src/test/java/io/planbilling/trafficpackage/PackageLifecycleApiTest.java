package io.planbilling.trafficpackage;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Expiry and auto-renewal at expiry, driven by the shared test clock (always moved
 * forward, never assumed).
 */
@ApiTest
class PackageLifecycleApiTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @Autowired
    TestApi api;

    PackageApiSupport support;

    @BeforeEach
    void setUp() {
        support = new PackageApiSupport(api);
    }

    /**
     * Moves the clock past the end of a cycle that started now (a month is at most 31
     * days).
     */
    private void passACycle() {
        support.advance("P32D");
    }

    @Test
    void aPackageExpiresAtTheEndOfItsMonthAndIsMarkedByTheLifecycleJob() {
        TestAccount account = api.createAccount("expiry", "100.00");
        UUID device = support.device(account, "d1");
        UUID packageId = support.bought(account, "DEVICE_1_FLOW_20G", List.of(device), false);

        passACycle();

        assertThat(support.read(account, packageId).text("/status")).isEqualTo("EXPIRED");
        assertThat(api.get("/api/v1/devices/" + device, account.apiKey()).text("/payMode")).isEqualTo("PAY_AS_YOU_GO");
        Response run = support.runLifecycle();
        JsonNode step = run.step("traffic-package-expiry");
        assertThat(step.get("succeeded").asBoolean()).isTrue();
        assertThat(step.at("/counts/expired").asLong()).isPositive();
        assertThat(support.read(account, packageId).text("/status")).isEqualTo("EXPIRED");
        assertThat(api.get("/api/v1/traffic-packages?status=EXPIRED", account.apiKey()).text("/content/0/id"))
            .isEqualTo(packageId.toString());
        assertThat(api.get("/api/v1/traffic-packages?status=ACTIVE", account.apiKey())
            .body()
            .at("/page/totalElements")
            .asLong()).isZero();
        assertThat(support.read(account, packageId).text("/successorId")).isNull();
        assertThat(api.delete("/api/v1/traffic-packages/" + packageId, account.apiKey()).status()).isEqualTo(204);
    }

    @Test
    void anUnboundPackageStillExpires() {
        TestAccount account = api.createAccount("unbound expiry", "100.00");
        UUID packageId = support.bought(account, "DEVICE_2_FLOW_50G", List.of(), false);

        passACycle();
        support.runLifecycle();

        assertThat(support.read(account, packageId).text("/status")).isEqualTo("EXPIRED");
        assertThat(support.read(account, packageId).body().get("usedBytes").asLong()).isZero();
    }

    @Test
    void autoRenewsAtExpiryUntilTheBalanceRunsShort() {
        TestAccount account = api.createAccount("auto renew at expiry", "60.00");
        UUID device = support.device(account, "d1");
        Response bought = support.purchase(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", List.of(device), true);
        UUID first = bought.id();

        passACycle();
        support.runLifecycle();

        Response expired = support.read(account, first);
        assertThat(expired.text("/status")).isEqualTo("EXPIRED");
        UUID second = UUID.fromString(expired.text("/successorId"));
        Response renewed = support.read(account, second);
        assertThat(renewed.text("/status")).isEqualTo("ACTIVE");
        assertThat(renewed.text("/type")).isEqualTo("DEVICE_1_FLOW_20G");
        assertThat(renewed.text("/region")).isEqualTo("GUANGZHOU");
        assertThat(renewed.text("/deviceIds/0")).isEqualTo(device.toString());
        assertThat(renewed.body().get("autoRenew").asBoolean()).isTrue();
        assertThat(renewed.text("/predecessorId")).isEqualTo(first.toString());
        Instant validFrom = Instant.parse(renewed.text("/validFrom"));
        assertThat(validFrom).isEqualTo(Instant.parse(bought.text("/validUntil")));
        assertThat(Instant.parse(renewed.text("/validUntil")))
            .isEqualTo(validFrom.atZone(ZONE).plusMonths(1).toInstant());
        assertThat(api.get("/api/v1/devices/" + device, account.apiKey()).text("/packageId"))
            .isEqualTo(second.toString());
        assertThat(support.ledger(account)).containsExactly("CREDIT 60.00", "PURCHASE -30.00", "AUTO_RENEWAL -30.00");

        support.runLifecycle();
        assertThat(support.ledger(account)).hasSize(3);

        passACycle();
        support.runLifecycle();

        Response failed = support.read(account, second);
        assertThat(failed.text("/status")).isEqualTo("EXPIRED");
        assertThat(failed.text("/renewalFailure")).isEqualTo("INSUFFICIENT_BALANCE");
        assertThat(failed.text("/successorId")).isNull();
        assertThat(api.balance(account)).isEqualTo("0.00");
        assertThat(api.get("/api/v1/devices/" + device, account.apiKey()).text("/payMode")).isEqualTo("PAY_AS_YOU_GO");
    }

    @Test
    void turningAutoRenewOffStopsTheRenewalAtTheEndOfTheCycle() {
        TestAccount account = api.createAccount("auto renew off", "100.00");
        UUID packageId = support.bought(account, "DEVICE_1_FLOW_20G", List.of(), true);
        api.patch("/api/v1/traffic-packages/" + packageId, account.apiKey(), Map.of("autoRenew", false));

        passACycle();
        support.runLifecycle();

        assertThat(support.read(account, packageId).text("/successorId")).isNull();
        assertThat(support.read(account, packageId).text("/renewalFailure")).isNull();
        assertThat(api.balance(account)).isEqualTo("70.00");
    }

    @Test
    void aPendingDowngradeTakesEffectAtTheAutoRenewalWithTheKeptDevices() {
        TestAccount account = api.createAccount("downgrade at renewal", "200.00");
        UUID first = support.device(account, "d1");
        UUID second = support.device(account, "d2");
        UUID packageId = support.bought(account, "DEVICE_2_FLOW_50G", List.of(first, second), true);
        api.post("/api/v1/traffic-packages/" + packageId + "/tier-change", account.apiKey(),
                Map.of("type", "DEVICE_1_FLOW_20G", "deviceIds", List.of(second)));

        passACycle();
        support.runLifecycle();

        Response renewed = support.read(account,
                UUID.fromString(support.read(account, packageId).text("/successorId")));
        assertThat(renewed.text("/type")).isEqualTo("DEVICE_1_FLOW_20G");
        assertThat(renewed.body().get("capacityBytes").asLong()).isEqualTo(20 * PackageApiSupport.GB);
        assertThat(renewed.body().get("deviceIds")).hasSize(1);
        assertThat(renewed.text("/deviceIds/0")).isEqualTo(second.toString());
        assertThat(renewed.text("/price/amount")).isEqualTo("30.00");
        assertThat(renewed.text("/pendingChange")).isNull();
        assertThat(support.ledger(account)).endsWith("AUTO_RENEWAL -30.00");
        assertThat(api.get("/api/v1/devices/" + first, account.apiKey()).text("/payMode")).isEqualTo("PAY_AS_YOU_GO");
    }

    @Test
    void theAutoRenewalLeavesOutADeviceBoundElsewhereAfterTheExpiry() {
        TestAccount account = api.createAccount("device moved on", "200.00");
        UUID kept = support.device(account, "kept");
        UUID moved = support.device(account, "moved");
        UUID packageId = support.bought(account, "DEVICE_2_FLOW_50G", List.of(kept, moved), true);

        passACycle();
        UUID elsewhere = support.bought(account, "DEVICE_1_FLOW_20G", List.of(moved), false);
        support.runLifecycle();

        Response renewed = support.read(account,
                UUID.fromString(support.read(account, packageId).text("/successorId")));
        assertThat(renewed.body().get("deviceIds")).hasSize(1);
        assertThat(renewed.text("/deviceIds/0")).isEqualTo(kept.toString());
        assertThat(api.get("/api/v1/devices/" + moved, account.apiKey()).text("/packageId"))
            .isEqualTo(elsewhere.toString());
    }

    @Test
    void anExpiredPackageCanBeRenewedByHandBeforeTheJobRuns() {
        TestAccount account = api.createAccount("manual after expiry", "100.00");
        UUID device = support.device(account, "d1");
        UUID packageId = support.bought(account, "DEVICE_1_FLOW_20G", List.of(device), true);
        passACycle();

        Response renewed = api.post("/api/v1/traffic-packages/" + packageId + "/renewal", account.apiKey(), Map.of());
        support.runLifecycle();

        assertThat(renewed.status()).as("%s", renewed).isEqualTo(201);
        assertThat(Instant.parse(renewed.text("/validFrom")))
            .isAfter(Instant.parse(support.read(account, packageId).text("/validUntil")));
        assertThat(support.read(account, packageId).text("/successorId")).isEqualTo(renewed.id().toString());
        assertThat(support.ledger(account)).containsExactly("CREDIT 100.00", "PURCHASE -30.00", "RENEWAL -30.00");
        assertProblem(api.post("/api/v1/traffic-packages/" + packageId + "/renewal", account.apiKey(), Map.of()), 409,
                "ALREADY_RENEWED");
    }

    @Test
    void aPackageBoughtOnJanuary31stExpiresOnTheLastDayOfFebruary() {
        TestAccount account = api.createAccount("month end", "100.00");
        // the next January 31st, 10:00 in the billing zone, after the shared clock's
        // current time
        java.time.ZonedDateTime now = support.now().atZone(ZONE);
        java.time.ZonedDateTime january31 = now.withMonth(1)
            .withDayOfMonth(31)
            .withHour(10)
            .withMinute(0)
            .withSecond(0)
            .withNano(0);
        if (!january31.toInstant().isAfter(now.toInstant())) {
            january31 = january31.plusYears(1);
        }
        api.post("/api/v1/admin/clock", api.operator(), Map.of("set", january31.toInstant().toString()));

        Response bought = support.purchase(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", List.of(), false);

        java.time.LocalDate lastOfFebruary = java.time.YearMonth.of(january31.getYear(), 2).atEndOfMonth();
        Instant validFrom = Instant.parse(bought.text("/validFrom"));
        assertThat(validFrom.atZone(ZONE).toLocalDate()).isEqualTo(january31.toLocalDate());
        assertThat(Instant.parse(bought.text("/validUntil")).atZone(ZONE).toLocalDate()).isEqualTo(lastOfFebruary);
        assertThat(Instant.parse(bought.text("/validUntil")).atZone(ZONE).toLocalTime())
            .isEqualTo(validFrom.atZone(ZONE).toLocalTime());
    }

}
