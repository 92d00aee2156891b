package io.planbilling.bandwidthplan;

import static io.planbilling.bandwidthplan.BandwidthFixtures.payAsYouGo;
import static io.planbilling.bandwidthplan.BandwidthFixtures.subscription;
import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@ApiTest
class BandwidthPlanChangeApiTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @Autowired
    TestApi api;

    @Autowired
    JdbcClient jdbc;

    BandwidthFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new BandwidthFixtures(api);
    }

    private Response peak(TestAccount account, UUID plan, int mbps, String query) {
        return api.post("/api/v1/bandwidth-plans/" + plan + "/peak-bandwidth" + query, account.apiKey(),
                Map.of("peakBandwidthMbps", mbps));
    }

    private static BigDecimal amount(String value) {
        return new BigDecimal(value);
    }

    @Test
    void anUpgradeChargesTheDifferenceProratedOverTheTimeLeft() {
        TestAccount account = api.createAccount("upgrade", "1000.00");
        UUID plan = fixtures.buy(account, subscription("WEEK", 1, 10));
        fixtures.advance(Duration.ofHours(84));

        Response upgraded = peak(account, plan, 20, "");

        assertThat(upgraded.status()).as("%s", upgraded).isEqualTo(200);
        assertThat(upgraded.body().get("peakBandwidthMbps").asInt()).isEqualTo(20);
        Response ledger = api.get("/api/v1/account/ledger", account.apiKey());
        assertThat(ledger.text("/content/0/kind")).isEqualTo("PEAK_CHANGE");
        // half of the week is left: 10 Mbps × 8.00 × 1/2, less at most a second's share
        assertThat(amount(ledger.text("/content/0/amount/amount"))).isBetween(amount("-40.00"), amount("-39.99"));
        BigDecimal balance = amount(api.balance(account));
        assertThat(balance).isEqualTo(amount("920.00").add(amount(ledger.text("/content/0/amount/amount"))));
    }

    @Test
    void aDowngradeRefundsTheDifferenceRoundedDown() {
        TestAccount account = api.createAccount("downgrade", "1000.00");
        UUID plan = fixtures.buy(account, subscription("WEEK", 1, 10));
        fixtures.advance(Duration.ofHours(84));

        Response downgraded = peak(account, plan, 5, "");

        assertThat(downgraded.status()).as("%s", downgraded).isEqualTo(200);
        Response ledger = api.get("/api/v1/account/ledger", account.apiKey());
        assertThat(ledger.text("/content/0/kind")).isEqualTo("PEAK_CHANGE");
        assertThat(amount(ledger.text("/content/0/amount/amount"))).isBetween(amount("19.99"), amount("20.00"));
        assertThat(amount(api.balance(account)))
            .isEqualTo(amount("920.00").add(amount(ledger.text("/content/0/amount/amount"))));
    }

    @Test
    void aPeakChangePreviewQuotesWithoutChanging() {
        TestAccount account = api.createAccount("peak preview", "1000.00");
        UUID plan = fixtures.buy(account, subscription("MONTH", 1, 10));

        Response preview = peak(account, plan, 12, "?preview=true");

        assertThat(preview.status()).as("%s", preview).isEqualTo(200);
        assertThat(amount(preview.text("/charge/amount"))).isBetween(amount("49.90"), amount("50.00"));
        assertThat(preview.text("/refund/amount")).isEqualTo("0.00");
        assertThat(preview.body().at("/result/peakBandwidthMbps").asInt()).isEqualTo(12);
        assertThat(amount(preview.text("/balanceAfter/amount")))
            .isEqualTo(amount("750.00").subtract(amount(preview.text("/charge/amount"))));
        assertThat(fixtures.plan(account, plan).body().get("peakBandwidthMbps").asInt()).isEqualTo(10);
        assertThat(api.balance(account)).isEqualTo("750.00");
    }

    @Test
    void anUpgradeTheBalanceDoesNotCoverChangesNothing() {
        TestAccount account = api.createAccount("poor upgrade", "250.00");
        UUID plan = fixtures.buy(account, subscription("MONTH", 1, 10));

        Response refused = peak(account, plan, 20, "");

        assertProblem(refused, 402, "INSUFFICIENT_BALANCE");
        assertThat(fixtures.plan(account, plan).body().get("peakBandwidthMbps").asInt()).isEqualTo(10);
        assertThat(jdbc.sql("SELECT count(*) FROM bandwidth_plan_peaks WHERE plan_id = :plan")
            .param("plan", plan)
            .query(Long.class)
            .single()).isEqualTo(1);
    }

    @Test
    void peakChangesStayInTheRangeOfThePlansChargeType() {
        TestAccount account = api.createAccount("peak ranges", "1000.00");
        UUID traffic = fixtures.buy(account, payAsYouGo("PAY_BY_TRAFFIC", 10));
        UUID bandwidth = fixtures.buy(account, payAsYouGo("PAY_BY_BANDWIDTH", 10));

        assertProblem(peak(account, traffic, 201, ""), 400, "VALIDATION_FAILED");
        assertProblem(peak(account, bandwidth, 1, ""), 400, "VALIDATION_FAILED");
        assertProblem(api.post("/api/v1/bandwidth-plans/" + bandwidth + "/peak-bandwidth", account.apiKey(), Map.of()),
                400, "VALIDATION_FAILED");

        assertThat(peak(account, traffic, 200, "").status()).isEqualTo(200);
        Response unchanged = peak(account, bandwidth, 10, "");
        assertThat(unchanged.status()).isEqualTo(200);
        assertThat(peak(account, bandwidth, 1000, "").body().get("peakBandwidthMbps").asInt()).isEqualTo(1000);
        assertThat(api.balance(account)).isEqualTo("1000.00");
    }

    @Test
    void anAssociatedNetworkFollowsThePeakAtOnce() {
        TestAccount account = api.createAccount("network follows", "1000.00");
        UUID network = fixtures.network(account);
        UUID plan = fixtures.buy(account, payAsYouGo("PAY_BY_BANDWIDTH", 10));
        fixtures.associateInUse(account, plan, network);

        peak(account, plan, 60, "");

        assertThat(
                api.get("/api/v1/office-networks/" + network, account.apiKey()).body().get("effectivePeakMbps").asInt())
            .isEqualTo(60);
    }

    @Test
    void renewalExtendsFromTheCurrentExpiryAndIsPaidNow() {
        TestAccount account = api.createAccount("renew", "1000.00");
        Response bought = fixtures.purchase(account, subscription("MONTH", 1, 2));
        Instant expiry = Instant.parse(bought.text("/expiresAt"));

        Response renewed = api.post("/api/v1/bandwidth-plans/" + bought.id() + "/renewals", account.apiKey(),
                Map.of("duration", Map.of("unit", "YEAR", "count", 1)));

        assertThat(renewed.status()).as("%s", renewed).isEqualTo(200);
        assertThat(Instant.parse(renewed.text("/expiresAt"))).isEqualTo(expiry.atZone(ZONE).plusYears(1).toInstant());
        assertThat(renewed.text("/duration/unit")).isEqualTo("MONTH");
        assertThat(api.balance(account)).isEqualTo("450.00");
        Response ledger = api.get("/api/v1/account/ledger", account.apiKey());
        assertThat(ledger.text("/content/0/kind")).isEqualTo("RENEWAL");
        assertThat(ledger.text("/content/0/amount/amount")).isEqualTo("-500.00");
    }

    @Test
    void renewalPreviewQuotesAndRenewalRulesHold() {
        TestAccount account = api.createAccount("renew rules", "100.00");
        UUID plan = fixtures.buy(account, subscription("WEEK", 1, 2));
        UUID payg = fixtures.buy(account, payAsYouGo("PAY_BY_BANDWIDTH", 2));
        String renewals = "/api/v1/bandwidth-plans/" + plan + "/renewals";

        Response preview = api.post(renewals + "?preview=true", account.apiKey(),
                Map.of("duration", Map.of("unit", "MONTH", "count", 1)));
        Response poor = api.post(renewals, account.apiKey(), Map.of("duration", Map.of("unit", "MONTH", "count", 3)));
        Response notOffered = api.post(renewals, account.apiKey(),
                Map.of("duration", Map.of("unit", "MONTH", "count", 5)));
        Response notSubscription = api.post("/api/v1/bandwidth-plans/" + payg + "/renewals", account.apiKey(),
                Map.of("duration", Map.of("unit", "MONTH", "count", 1)));

        assertThat(preview.status()).as("%s", preview).isEqualTo(200);
        assertThat(preview.text("/charge/amount")).isEqualTo("50.00");
        assertThat(preview.text("/balanceAfter/amount")).isEqualTo("34.00");
        assertProblem(poor, 402, "INSUFFICIENT_BALANCE");
        assertProblem(notOffered, 400, "VALIDATION_FAILED");
        assertProblem(notSubscription, 409, "NOT_A_SUBSCRIPTION");
        assertThat(api.balance(account)).isEqualTo("84.00");
    }

    @Test
    void anExpiredSubscriptionCannotBeRenewed() {
        TestAccount account = api.createAccount("renew expired", "1000.00");
        UUID plan = fixtures.buy(account, subscription("WEEK", 1, 2));
        fixtures.advance(Duration.ofDays(8));

        Response beforeLifecycle = api.post("/api/v1/bandwidth-plans/" + plan + "/renewals", account.apiKey(),
                Map.of("duration", Map.of("unit", "WEEK", "count", 1)));
        fixtures.runLifecycle();
        Response afterLifecycle = api.post("/api/v1/bandwidth-plans/" + plan + "/renewals", account.apiKey(),
                Map.of("duration", Map.of("unit", "WEEK", "count", 1)));

        assertProblem(beforeLifecycle, 409, "PLAN_EXPIRED");
        assertProblem(afterLifecycle, 409, "PLAN_EXPIRED");
        assertThat(fixtures.plan(account, plan).text("/status")).isEqualTo("EXPIRED");
        assertProblem(peak(account, plan, 3, ""), 409, "PLAN_EXPIRED");
        assertProblem(fixtures.associate(account, plan, fixtures.network(account)), 409, "PLAN_EXPIRED");
    }

    @Test
    void unsubscribeRefundsTheUnusedShareAndReleasesTheAddress() {
        TestAccount account = api.createAccount("unsubscribe", "1000.00");
        UUID plan = fixtures.buy(account, subscription("WEEK", 1, 10));
        fixtures.advance(Duration.ofHours(42));

        Response ended = api.post("/api/v1/bandwidth-plans/" + plan + "/unsubscribe", account.apiKey(), Map.of());

        assertThat(ended.status()).as("%s", ended).isEqualTo(200);
        assertThat(ended.text("/status")).isEqualTo("UNSUBSCRIBED");
        assertThat(ended.body().get("ipAddress").isNull()).isTrue();
        assertThat(ended.text("/endedAt")).isNotNull();
        Response ledger = api.get("/api/v1/account/ledger", account.apiKey());
        assertThat(ledger.text("/content/0/kind")).isEqualTo("REFUND");
        // three quarters of the week are left: 80.00 × 3/4, rounded down
        assertThat(amount(ledger.text("/content/0/amount/amount"))).isBetween(amount("59.99"), amount("60.00"));
        assertThat(jdbc.sql("SELECT count(*) FROM bandwidth_ip_pool WHERE plan_id = :plan")
            .param("plan", plan)
            .query(Long.class)
            .single()).isZero();
        assertProblem(api.post("/api/v1/bandwidth-plans/" + plan + "/unsubscribe", account.apiKey(), Map.of()), 409,
                "PLAN_ENDED");
        assertProblem(peak(account, plan, 20, ""), 409, "PLAN_ENDED");
        assertThat(api.get("/api/v1/bandwidth-plans?status=UNSUBSCRIBED", account.apiKey()).text("/content/0/id"))
            .isEqualTo(plan.toString());
    }

    @Test
    void unsubscribePreviewQuotesTheRefund() {
        TestAccount account = api.createAccount("unsubscribe preview", "1000.00");
        UUID plan = fixtures.buy(account, subscription("MONTH", 2, 4));

        Response preview = api.post("/api/v1/bandwidth-plans/" + plan + "/unsubscribe?preview=true", account.apiKey(),
                Map.of());

        assertThat(preview.status()).as("%s", preview).isEqualTo(200);
        assertThat(amount(preview.text("/refund/amount"))).isBetween(amount("199.90"), amount("200.00"));
        assertThat(preview.text("/result/status")).isEqualTo("UNSUBSCRIBED");
        assertThat(fixtures.plan(account, plan).text("/status")).isEqualTo("NOT_ASSOCIATED");
        assertThat(api.balance(account)).isEqualTo("800.00");
    }

    @Test
    void unsubscribeRefundsRenewedTermsInFull() {
        TestAccount account = api.createAccount("unsubscribe renewed", "1000.00");
        UUID plan = fixtures.buy(account, subscription("WEEK", 1, 10));
        api.post("/api/v1/bandwidth-plans/" + plan + "/renewals", account.apiKey(),
                Map.of("duration", Map.of("unit", "MONTH", "count", 1)));

        Response ended = api.post("/api/v1/bandwidth-plans/" + plan + "/unsubscribe", account.apiKey(), Map.of());

        assertThat(ended.status()).isEqualTo(200);
        // the renewed month is untouched and the week barely begun: almost all of 80.00 +
        // 250.00 comes back
        assertThat(amount(api.balance(account))).isBetween(amount("999.90"), amount("1000.00"));
    }

    @Test
    void anAssociatedPlanIsUnsubscribedOnlyWithForce() {
        TestAccount account = api.createAccount("unsubscribe associated", "1000.00");
        UUID network = fixtures.network(account);
        UUID plan = fixtures.buy(account, subscription("WEEK", 1, 10));
        fixtures.associateInUse(account, plan, network);

        Response refused = api.post("/api/v1/bandwidth-plans/" + plan + "/unsubscribe", account.apiKey(), Map.of());
        Response forced = api.post("/api/v1/bandwidth-plans/" + plan + "/unsubscribe?force=true", account.apiKey(),
                Map.of());

        assertProblem(refused, 409, "PLAN_ASSOCIATED");
        assertThat(forced.status()).as("%s", forced).isEqualTo(200);
        assertThat(forced.text("/status")).isEqualTo("UNSUBSCRIBED");
        assertThat(forced.body().get("officeNetwork").isNull()).isTrue();
        Response basic = api.get("/api/v1/office-networks/" + network, account.apiKey());
        assertThat(basic.text("/bandwidthMode")).isEqualTo("BASIC");
        assertThat(basic.body().get("bandwidthPlanId").isNull()).isTrue();
    }

    @Test
    void payAsYouGoPlansAreDeletedNotUnsubscribed() {
        TestAccount account = api.createAccount("payg unsubscribe", "1000.00");
        UUID payg = fixtures.buy(account, payAsYouGo("PAY_BY_TRAFFIC", 10));
        UUID subscription = fixtures.buy(account, subscription("WEEK", 1, 2));

        assertProblem(api.post("/api/v1/bandwidth-plans/" + payg + "/unsubscribe", account.apiKey(), Map.of()), 409,
                "NOT_A_SUBSCRIPTION");
        assertProblem(api.delete("/api/v1/bandwidth-plans/" + subscription, account.apiKey()), 409,
                "NOT_PAY_AS_YOU_GO");
    }

    @Test
    void deletingAPayAsYouGoPlanEndsItAndHidesIt() {
        TestAccount account = api.createAccount("delete", "0");
        UUID network = fixtures.network(account);
        UUID plan = fixtures.buy(account, payAsYouGo("PAY_BY_BANDWIDTH", 10));
        fixtures.associateInUse(account, plan, network);

        Response refused = api.delete("/api/v1/bandwidth-plans/" + plan, account.apiKey());
        Response deleted = api.delete("/api/v1/bandwidth-plans/" + plan + "?force=true", account.apiKey());

        assertProblem(refused, 409, "PLAN_ASSOCIATED");
        assertThat(deleted.status()).isEqualTo(204);
        assertProblem(fixtures.plan(account, plan), 404, "NOT_FOUND");
        assertThat(api.get("/api/v1/bandwidth-plans", account.apiKey()).body().at("/page/totalElements").asLong())
            .isZero();
        assertThat(api.get("/api/v1/office-networks/" + network, account.apiKey()).text("/bandwidthMode"))
            .isEqualTo("BASIC");
        assertThat(jdbc.sql("SELECT count(*) FROM bandwidth_ip_pool WHERE plan_id = :plan")
            .param("plan", plan)
            .query(Long.class)
            .single()).isZero();
        // the started hour is billed at deletion
        assertThat(jdbc.sql("SELECT count(*) FROM bandwidth_hourly_charges WHERE plan_id = :plan")
            .param("plan", plan)
            .query(Long.class)
            .single()).isEqualTo(1);
        assertProblem(api.delete("/api/v1/bandwidth-plans/" + plan, account.apiKey()), 404, "NOT_FOUND");
    }

}
