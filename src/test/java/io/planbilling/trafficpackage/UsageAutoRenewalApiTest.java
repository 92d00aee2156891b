package io.planbilling.trafficpackage;

import static io.planbilling.trafficpackage.UsageFixtures.GB;
import static io.planbilling.trafficpackage.UsageFixtures.id;
import static io.planbilling.trafficpackage.UsageFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Auto-renewal at exhaustion, driven by usage ingestion (docs/traffic-packages.md). */
@ApiTest
class UsageAutoRenewalApiTest {

    @Autowired
    TestApi api;

    @Autowired
    JdbcClient jdbc;

    UsageFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new UsageFixtures(api);
    }

    @Test
    void renewsAtExhaustionUntilTheBalanceRunsOutThenFallsBackToPayAsYouGo() {
        TestAccount account = api.createAccount("renewal chain", "90.00");
        UUID device = fixtures.device(account);
        UUID first = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", true, device);

        Response exhaustFirst = fixtures.post(record(id(), device, "GUANGZHOU", 25 * GB, fixtures.now()));

        JsonNode firstRead = fixtures.pkg(account, first).body();
        assertThat(firstRead.get("status").asString()).isEqualTo("EXHAUSTED");
        UUID second = UUID.fromString(firstRead.get("successorId").asString());
        assertThat(exhaustFirst.body().at("/results/0/packageBytes").asLong()).isEqualTo(25 * GB);
        assertThat(exhaustFirst.body().at("/results/0/packageId").asString()).isEqualTo(second.toString());
        JsonNode secondRead = fixtures.pkg(account, second).body();
        assertThat(secondRead.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(secondRead.get("predecessorId").asString()).isEqualTo(first.toString());
        assertThat(secondRead.get("type").asString()).isEqualTo("DEVICE_1_FLOW_20G");
        assertThat(secondRead.get("region").asString()).isEqualTo("GUANGZHOU");
        assertThat(secondRead.get("usedBytes").asLong()).as("the rest of the record flowed in").isEqualTo(5 * GB);
        assertThat(secondRead.get("deviceIds").get(0).asString()).isEqualTo(device.toString());
        assertThat(secondRead.get("autoRenew").asBoolean()).isTrue();
        assertThat(api.balance(account)).isEqualTo("30.00");

        fixtures.post(record(id(), device, "GUANGZHOU", 20 * GB, fixtures.now()));

        UUID third = UUID.fromString(fixtures.pkg(account, second).text("/successorId"));
        assertThat(fixtures.pkg(account, third).body().get("usedBytes").asLong()).isEqualTo(5 * GB);
        assertThat(api.balance(account)).isEqualTo("0.00");

        Response short_ = fixtures.post(record(id(), device, "GUANGZHOU", 20 * GB, fixtures.now()));

        JsonNode thirdRead = fixtures.pkg(account, third).body();
        assertThat(thirdRead.get("status").asString()).isEqualTo("EXHAUSTED");
        assertThat(thirdRead.get("renewalFailure").asString()).isEqualTo("INSUFFICIENT_BALANCE");
        assertThat(thirdRead.get("successorId").isNull()).isTrue();
        assertThat(short_.body().at("/results/0/packageBytes").asLong()).isEqualTo(15 * GB);
        assertThat(short_.body().at("/results/0/paygBytes").asLong()).isEqualTo(5 * GB);
        Response after = fixtures.post(record(id(), device, "GUANGZHOU", GB, fixtures.now()));
        assertThat(after.body().at("/results/0/paygBytes").asLong()).isEqualTo(GB);
        assertThat(api.get("/api/v1/devices/" + device, account.apiKey()).text("/payMode")).isEqualTo("PAY_AS_YOU_GO");

        List<String> kinds = new ArrayList<>();
        for (JsonNode entry : api.get("/api/v1/account/ledger?size=50", account.apiKey()).body().get("content")) {
            kinds.add(entry.get("kind").asString() + " " + entry.at("/amount/amount").asString());
        }
        assertThat(kinds).containsExactly("AUTO_RENEWAL -30.00", "AUTO_RENEWAL -30.00", "PURCHASE -30.00",
                "CREDIT 90.00");
    }

    @Test
    void oneRecordCanFlowThroughSeveralSuccessors() {
        TestAccount account = api.createAccount("renewal in one record", "90.00");
        UUID device = fixtures.device(account);
        UUID first = fixtures.bought(account, "DEVICE_1_FLOW_20G", "SILICON_VALLEY", true, device);

        Response posted = fixtures.post(record(id(), device, "SILICON_VALLEY", 45 * GB, fixtures.now()));

        assertThat(posted.body().at("/results/0/packageBytes").asLong()).isEqualTo(40 * GB);
        assertThat(posted.body().at("/results/0/paygBytes").asLong()).isEqualTo(5 * GB);
        UUID second = UUID.fromString(fixtures.pkg(account, first).text("/successorId"));
        assertThat(fixtures.pkg(account, second).text("/status")).isEqualTo("EXHAUSTED");
        assertThat(fixtures.pkg(account, second).text("/renewalFailure")).isEqualTo("INSUFFICIENT_BALANCE");
        assertThat(api.balance(account)).as("90 - 40 purchase - 40 renewal").isEqualTo("10.00");
    }

    @Test
    void turningAutoRenewOffAffectsTheEndOfTheCurrentCycle() {
        TestAccount account = api.createAccount("renewal toggled", "100.00");
        UUID device = fixtures.device(account);
        UUID first = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, device);
        assertThat(api.patch("/api/v1/traffic-packages/" + first, account.apiKey(), Map.of("autoRenew", true)).status())
            .isEqualTo(200);

        fixtures.post(record(id(), device, "GUANGZHOU", 21 * GB, fixtures.now()));

        UUID second = UUID.fromString(fixtures.pkg(account, first).text("/successorId"));
        assertThat(
                api.patch("/api/v1/traffic-packages/" + second, account.apiKey(), Map.of("autoRenew", false)).status())
            .isEqualTo(200);

        Response posted = fixtures.post(record(id(), device, "GUANGZHOU", 20 * GB, fixtures.now()));

        JsonNode secondRead = fixtures.pkg(account, second).body();
        assertThat(secondRead.get("status").asString()).isEqualTo("EXHAUSTED");
        assertThat(secondRead.get("successorId").isNull()).isTrue();
        assertThat(secondRead.get("renewalFailure").isNull()).isTrue();
        assertThat(posted.body().at("/results/0/paygBytes").asLong()).isEqualTo(GB);
        assertThat(api.balance(account)).isEqualTo("40.00");
    }

    @Test
    void aPendingDowngradeTakesEffectWithTheRenewalAtExhaustion() {
        TestAccount account = api.createAccount("renewal downgrade", "200.00");
        UUID kept = fixtures.device(account);
        UUID dropped = fixtures.device(account);
        UUID first = fixtures.bought(account, "DEVICE_2_FLOW_50G", "GUANGZHOU", true, kept, dropped);
        Response scheduled = api.post("/api/v1/traffic-packages/" + first + "/tier-change", account.apiKey(),
                Map.of("type", "DEVICE_1_FLOW_20G", "deviceIds", List.of(kept)));
        assertThat(scheduled.status()).as(scheduled.toString()).isEqualTo(200);

        fixtures.post(record(id(), dropped, "GUANGZHOU", 52 * GB, fixtures.now()));

        UUID second = UUID.fromString(fixtures.pkg(account, first).text("/successorId"));
        JsonNode secondRead = fixtures.pkg(account, second).body();
        assertThat(secondRead.get("type").asString()).isEqualTo("DEVICE_1_FLOW_20G");
        assertThat(secondRead.get("deviceIds").size()).isEqualTo(1);
        assertThat(secondRead.get("deviceIds").get(0).asString()).isEqualTo(kept.toString());
        assertThat(secondRead.at("/price/amount").asString()).isEqualTo("30.00");
        assertThat(api.balance(account)).isEqualTo("100.00");
        assertThat(api.get("/api/v1/devices/" + dropped, account.apiKey()).text("/payMode")).isEqualTo("PAY_AS_YOU_GO");
        Response keptTraffic = fixtures.post(record(id(), kept, "GUANGZHOU", GB, fixtures.now()));
        assertThat(keptTraffic.body().at("/results/0/packageId").asString()).isEqualTo(second.toString());
    }

    @Test
    void aRecordFromBeforeTheExhaustionThatArrivesLateFlowsIntoTheSuccessor() {
        TestAccount account = api.createAccount("renewal late record", "100.00");
        UUID device = fixtures.device(account);
        UUID first = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", true, device);
        Instant boughtAt = Instant.parse(fixtures.pkg(account, first).text("/validFrom"));
        String exhausting = id();
        fixtures.post(record(exhausting, device, "GUANGZHOU", 25 * GB, fixtures.now()));
        UUID second = UUID.fromString(fixtures.pkg(account, first).text("/successorId"));

        Response late = fixtures.post(record(id(), device, "GUANGZHOU", GB, boughtAt));

        assertThat(late.body().at("/results/0/packageId").asString()).isEqualTo(second.toString());
        assertThat(late.body().at("/results/0/packageBytes").asLong()).isEqualTo(GB);
        assertThat(fixtures.pkg(account, second).body().get("usedBytes").asLong()).isEqualTo(6 * GB);
        List<Map<String, Object>> split = jdbc
            .sql("SELECT package_id, bytes FROM traffic_usage_allocations WHERE record_id = :id ORDER BY bytes DESC")
            .param("id", exhausting)
            .query()
            .listOfRows();
        assertThat(split).hasSize(2);
        assertThat(split.get(0)).containsEntry("package_id", first).containsEntry("bytes", 20 * GB);
        assertThat(split.get(1)).containsEntry("package_id", second).containsEntry("bytes", 5 * GB);
    }

    @Test
    void trafficAfterAnExpiryTheJobHasNotRecordedYetFindsTheAutoRenewedSuccessor() {
        TestAccount account = api.createAccount("renewal at expiry by ingestion", "100.00");
        UUID device = fixtures.device(account);
        UUID first = fixtures.bought(account, "DEVICE_1_FLOW_20G", "SILICON_VALLEY", true, device);
        Instant validUntil = Instant.parse(fixtures.pkg(account, first).text("/validUntil"));
        api.post("/api/v1/admin/clock", api.operator(),
                Map.of("set", validUntil.plus(Duration.ofMinutes(30)).toString()));

        Response posted = fixtures
            .post(record(id(), device, "SILICON_VALLEY", GB, validUntil.plus(Duration.ofMinutes(1))));

        JsonNode firstRead = fixtures.pkg(account, first).body();
        assertThat(firstRead.get("status").asString()).isEqualTo("EXPIRED");
        UUID second = UUID.fromString(firstRead.get("successorId").asString());
        assertThat(posted.body().at("/results/0/packageId").asString()).isEqualTo(second.toString());
        assertThat(posted.body().at("/results/0/paygBytes").asLong()).isZero();
        JsonNode secondRead = fixtures.pkg(account, second).body();
        assertThat(Instant.parse(secondRead.get("validFrom").asString())).isEqualTo(validUntil);
        assertThat(secondRead.get("usedBytes").asLong()).isEqualTo(GB);
        assertThat(api.balance(account)).isEqualTo("20.00");
    }

    @Test
    void aLateRecordFromAfterAnExpiryTheJobRenewedIsOffsetByTheSuccessor() {
        TestAccount account = api.createAccount("renewal by the job, late record", "100.00");
        UUID device = fixtures.device(account);
        UUID first = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", true, device);
        Instant validUntil = Instant.parse(fixtures.pkg(account, first).text("/validUntil"));
        api.post("/api/v1/admin/clock", api.operator(),
                Map.of("set", validUntil.plus(Duration.ofMinutes(30)).toString()));
        assertThat(api.post("/api/v1/admin/lifecycle/run", api.operator(), Map.of()).status()).isEqualTo(200);
        UUID second = UUID.fromString(fixtures.pkg(account, first).text("/successorId"));

        Response late = fixtures.post(record(id(), device, "GUANGZHOU", GB, validUntil.plus(Duration.ofMinutes(1))),
                record(id(), device, "GUANGZHOU", 2 * GB, validUntil.minus(Duration.ofMinutes(1))));

        assertThat(late.body().at("/results/0/packageId").asString()).isEqualTo(second.toString());
        assertThat(late.body().at("/results/1/packageId").asString()).as("before the expiry: the first cycle")
            .isEqualTo(first.toString());
        assertThat(fixtures.pkg(account, second).body().get("usedBytes").asLong()).isEqualTo(GB);
        assertThat(fixtures.pkg(account, first).body().get("usedBytes").asLong()).isEqualTo(2 * GB);
        assertThat(fixtures.pkg(account, first).text("/status")).isEqualTo("EXPIRED");
    }

}
