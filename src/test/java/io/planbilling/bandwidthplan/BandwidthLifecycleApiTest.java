package io.planbilling.bandwidthplan;

import static io.planbilling.bandwidthplan.BandwidthFixtures.payAsYouGo;
import static io.planbilling.bandwidthplan.BandwidthFixtures.sample;
import static io.planbilling.bandwidthplan.BandwidthFixtures.subscription;
import static io.planbilling.bandwidthplan.BandwidthFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@ApiTest
class BandwidthLifecycleApiTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private static final long GB = 1L << 30;

    @Autowired
    TestApi api;

    @Autowired
    JdbcClient jdbc;

    BandwidthFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new BandwidthFixtures(api);
    }

    private long chargedHours(UUID plan) {
        return jdbc.sql("SELECT count(*) FROM bandwidth_hourly_charges WHERE plan_id = :plan")
            .param("plan", plan)
            .query(Long.class)
            .single();
    }

    /** The plan's postpaid lines of every bill month that {@code [from, to]} touches. */
    private List<JsonNode> postpaidLines(TestAccount account, UUID plan, Instant from, Instant to) {
        Set<YearMonth> months = new LinkedHashSet<>(
                List.of(YearMonth.from(from.atZone(ZONE)), YearMonth.from(to.atZone(ZONE))));
        return months.stream().flatMap(month -> {
            Response bill = api.get("/api/v1/bills?month=" + month, account.apiKey());
            assertThat(bill.status()).as("%s", bill).isEqualTo(200);
            return bill.body().get("postpaid").valueStream();
        }).filter(line -> line.get("resourceId").asString().equals(plan.toString())).toList();
    }

    private static BigDecimal sum(List<JsonNode> lines, String field) {
        return lines.stream()
            .map(line -> new BigDecimal(
                    field.equals("quantity") ? line.get("quantity").asString() : line.at("/amount/amount").asString()))
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void billsEachHourAtTheHighestPeakInForceOnceWhateverRunsAgain() {
        TestAccount account = api.createAccount("hourly bandwidth", "0");
        Response bought = fixtures.purchase(account, payAsYouGo("PAY_BY_BANDWIDTH", 10));
        UUID plan = bought.id();
        Instant start = Instant.parse(bought.text("/createdAt"));
        fixtures.set(start.plus(Duration.ofMinutes(30)));
        api.post("/api/v1/bandwidth-plans/" + plan + "/peak-bandwidth", account.apiKey(),
                Map.of("peakBandwidthMbps", 40));
        fixtures.set(start.plus(Duration.ofMinutes(90)));
        api.post("/api/v1/bandwidth-plans/" + plan + "/peak-bandwidth", account.apiKey(),
                Map.of("peakBandwidthMbps", 20));
        fixtures.set(start.plus(Duration.ofMinutes(190)));

        Response run = fixtures.runLifecycle();
        fixtures.runLifecycle();

        assertThat(run.raw()).contains("bandwidth-plan-hourly-billing");
        assertThat(chargedHours(plan)).isEqualTo(3);
        List<Integer> quantities = jdbc
            .sql("SELECT quantity FROM bandwidth_hourly_charges WHERE plan_id = :plan" + " ORDER BY hour_start")
            .param("plan", plan)
            .query(Integer.class)
            .list();
        assertThat(quantities).containsExactly(40, 40, 20);
        List<JsonNode> lines = postpaidLines(account, plan, start, start.plus(Duration.ofHours(3)));
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.get("kind").asString()).isEqualTo("BANDWIDTH_HOURS");
            assertThat(line.get("unit").asString()).isEqualTo("MBPS_HOUR");
            assertThat(line.at("/unitPrice/amount").asString()).isEqualTo("0.05");
            assertThat(line.get("resourceType").asString()).isEqualTo("BANDWIDTH_PLAN");
        });
        assertThat(sum(lines, "quantity")).isEqualByComparingTo("100");
        assertThat(sum(lines, "amount")).isEqualByComparingTo("5.00");
        assertThat(api.balance(account)).isEqualTo("0.00");
    }

    @Test
    void deletingBillsTheStartedHourAtItsHighestPeak() {
        TestAccount account = api.createAccount("delete bills", "0");
        Response bought = fixtures.purchase(account, payAsYouGo("PAY_BY_BANDWIDTH", 10));
        Instant start = Instant.parse(bought.text("/createdAt"));
        fixtures.set(start.plus(Duration.ofMinutes(70)));
        api.post("/api/v1/bandwidth-plans/" + bought.id() + "/peak-bandwidth", account.apiKey(),
                Map.of("peakBandwidthMbps", 30));
        fixtures.set(start.plus(Duration.ofMinutes(80)));

        assertThat(api.delete("/api/v1/bandwidth-plans/" + bought.id(), account.apiKey()).status()).isEqualTo(204);
        fixtures.advance(Duration.ofHours(3));
        fixtures.runLifecycle();

        List<Integer> quantities = jdbc
            .sql("SELECT quantity FROM bandwidth_hourly_charges WHERE plan_id = :plan" + " ORDER BY hour_start")
            .param("plan", bought.id())
            .query(Integer.class)
            .list();
        assertThat(quantities).containsExactly(10, 30);
    }

    @Test
    void payByTrafficBillsInboundBytesOfAssociatedMinutesOnlyAfterTheSettleDelay() {
        TestAccount account = api.createAccount("traffic billing", "0");
        UUID network = fixtures.network(account);
        UUID otherNetwork = fixtures.network(account);
        Response bought = fixtures.purchase(account, payAsYouGo("PAY_BY_TRAFFIC", 50));
        UUID plan = bought.id();
        Instant start = Instant.parse(bought.text("/createdAt"));
        fixtures.set(start.plus(Duration.ofMinutes(5)));
        fixtures.associateInUse(account, plan, network);
        Instant associated = jdbc.sql("SELECT associated_from FROM bandwidth_plan_associations WHERE plan_id = :plan")
            .param("plan", plan)
            .query(java.sql.Timestamp.class)
            .single()
            .toInstant();
        Instant minute = associated.truncatedTo(ChronoUnit.MINUTES);
        fixtures.set(start.plus(Duration.ofMinutes(20)));
        Response posted = fixtures.samples(List.of(sample(network, minute.minus(Duration.ofMinutes(2)), 5 * GB, 0),
                sample(network, minute.plus(Duration.ofMinutes(1)), GB, 10 * GB),
                sample(network, minute.plus(Duration.ofMinutes(2)), GB / 2, 10 * GB),
                sample(otherNetwork, minute.plus(Duration.ofMinutes(1)), 7 * GB, 0)));
        assertThat(posted.status()).as("%s", posted).isEqualTo(200);

        fixtures.set(start.plus(Duration.ofMinutes(62)));
        fixtures.runLifecycle();
        long beforeSettled = chargedHours(plan);
        fixtures.set(start.plus(Duration.ofMinutes(130)));
        fixtures.runLifecycle();

        assertThat(beforeSettled).isZero();
        assertThat(chargedHours(plan)).isEqualTo(2);
        List<JsonNode> lines = postpaidLines(account, plan, start, start.plus(Duration.ofHours(2)));
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).get("kind").asString()).isEqualTo("INBOUND_TRAFFIC");
        assertThat(lines.get(0).get("unit").asString()).isEqualTo("GB");
        assertThat(new BigDecimal(lines.get(0).get("quantity").asString())).isEqualByComparingTo("1.5");
        assertThat(lines.get(0).at("/unitPrice/amount").asString()).isEqualTo("0.80");
        assertThat(lines.get(0).at("/amount/amount").asString()).isEqualTo("1.20");
    }

    @Test
    void dissociationDoesNotStopBilling() {
        TestAccount account = api.createAccount("billing after dissociation", "0");
        UUID network = fixtures.network(account);
        Response bought = fixtures.purchase(account, payAsYouGo("PAY_BY_BANDWIDTH", 8));
        fixtures.associateInUse(account, bought.id(), network);
        api.delete("/api/v1/bandwidth-plans/" + bought.id() + "/office-network", account.apiKey());

        fixtures.set(Instant.parse(bought.text("/createdAt")).plus(Duration.ofMinutes(125)));
        fixtures.runLifecycle();

        assertThat(chargedHours(bought.id())).isEqualTo(2);
    }

    @Test
    void deletingAPayByTrafficPlanBillsItsInboundTrafficUpToNow() {
        TestAccount account = api.createAccount("delete traffic", "0");
        UUID network = fixtures.network(account);
        Response bought = fixtures.purchase(account, payAsYouGo("PAY_BY_TRAFFIC", 8));
        Instant start = Instant.parse(bought.text("/createdAt"));
        fixtures.associateInUse(account, bought.id(), network);
        Instant associated = jdbc.sql("SELECT associated_from FROM bandwidth_plan_associations WHERE plan_id = :plan")
            .param("plan", bought.id())
            .query(java.sql.Timestamp.class)
            .single()
            .toInstant();
        fixtures.set(start.plus(Duration.ofMinutes(30)));
        fixtures.samples(List.of(sample(network, associated.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1)),
                2 * GB, 3 * GB)));

        assertThat(api.delete("/api/v1/bandwidth-plans/" + bought.id() + "?force=true", account.apiKey()).status())
            .isEqualTo(204);

        List<JsonNode> lines = postpaidLines(account, bought.id(), start, start.plus(Duration.ofMinutes(30)));
        assertThat(lines).hasSize(1);
        assertThat(new BigDecimal(lines.get(0).get("quantity").asString())).isEqualByComparingTo("2");
        assertThat(lines.get(0).at("/amount/amount").asString()).isEqualTo("1.60");
    }

    @Test
    void aSubscriptionExpiresDissociatesAndReleasesItsAddress() {
        TestAccount account = api.createAccount("expiry", "1000.00");
        UUID network = fixtures.network(account);
        UUID phone = fixtures.phone(account, network);
        Response bought = fixtures.purchase(account, with(subscription("WEEK", 1, 10), "officeNetworkId", network));
        UUID plan = bought.id();
        fixtures.awaitInUse(account, plan);
        api.post("/api/v1/bandwidth-plans/" + plan + "/speed-limit-rules", account.apiKey(),
                Map.of("name", "r", "upstreamMbps", 5, "downstreamMbps", 5, "cloudPhoneIds", List.of(phone)));
        Instant expiresAt = Instant.parse(bought.text("/expiresAt"));
        fixtures.set(expiresAt.minusSeconds(60));
        fixtures.runLifecycle();
        assertThat(fixtures.plan(account, plan).text("/status")).isEqualTo("IN_USE");

        fixtures.set(expiresAt.plusSeconds(1));
        Response run = fixtures.runLifecycle();

        assertThat(run.raw()).contains("bandwidth-plan-expiry");
        Response expired = fixtures.plan(account, plan);
        assertThat(expired.text("/status")).isEqualTo("EXPIRED");
        assertThat(Instant.parse(expired.text("/endedAt"))).isEqualTo(expiresAt);
        assertThat(expired.body().get("officeNetwork").isNull()).isTrue();
        assertThat(expired.body().get("ipAddress").isNull()).isTrue();
        Response basic = api.get("/api/v1/office-networks/" + network, account.apiKey());
        assertThat(basic.text("/bandwidthMode")).isEqualTo("BASIC");
        assertThat(basic.body().get("effectivePeakMbps").asInt()).isEqualTo(5);
        assertThat(jdbc.sql("SELECT count(*) FROM speed_limit_rules WHERE plan_id = :plan")
            .param("plan", plan)
            .query(Long.class)
            .single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM bandwidth_ip_pool WHERE plan_id = :plan")
            .param("plan", plan)
            .query(Long.class)
            .single()).isZero();
        assertThat(api.balance(account)).isEqualTo("920.00");
        assertThat(fixtures.associate(account, fixtures.buy(account, subscription("WEEK", 1, 2)), network).status())
            .isEqualTo(202);
    }

    @Test
    void autoRenewalPaysFromTheBalanceAndExpiresWhenItCannot() {
        TestAccount account = api.createAccount("auto-renew", "100.00");
        Response bought = fixtures.purchase(account, with(subscription("MONTH", 1, 2), "autoRenew", true));
        UUID plan = bought.id();
        Instant firstExpiry = Instant.parse(bought.text("/expiresAt"));
        Instant secondExpiry = firstExpiry.atZone(ZONE).plusMonths(1).toInstant();

        fixtures.set(firstExpiry.plusSeconds(1));
        fixtures.runLifecycle();
        fixtures.runLifecycle();

        Response renewed = fixtures.plan(account, plan);
        assertThat(renewed.text("/status")).isEqualTo("NOT_ASSOCIATED");
        assertThat(Instant.parse(renewed.text("/expiresAt"))).isEqualTo(secondExpiry);
        assertThat(api.balance(account)).isEqualTo("0.00");
        Response ledger = api.get("/api/v1/account/ledger", account.apiKey());
        assertThat(ledger.text("/content/0/kind")).isEqualTo("AUTO_RENEWAL");
        assertThat(ledger.text("/content/0/amount/amount")).isEqualTo("-50.00");
        assertThat(ledger.text("/content/1/kind")).isEqualTo("PURCHASE");

        fixtures.set(secondExpiry.plusSeconds(1));
        fixtures.runLifecycle();

        Response expired = fixtures.plan(account, plan);
        assertThat(expired.text("/status")).isEqualTo("EXPIRED");
        assertThat(Instant.parse(expired.text("/endedAt"))).isEqualTo(secondExpiry);
        assertThat(api.get("/api/v1/account/ledger", account.apiKey()).body().at("/page/totalElements").asLong())
            .isEqualTo(3);
    }

}
