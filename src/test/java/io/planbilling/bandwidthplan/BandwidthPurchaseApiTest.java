package io.planbilling.bandwidthplan;

import static io.planbilling.bandwidthplan.BandwidthFixtures.payAsYouGo;
import static io.planbilling.bandwidthplan.BandwidthFixtures.subscription;
import static io.planbilling.bandwidthplan.BandwidthFixtures.with;
import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

@ApiTest
class BandwidthPurchaseApiTest {

    @Autowired
    TestApi api;

    BandwidthFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new BandwidthFixtures(api);
    }

    @Test
    void catalogShowsRegionsDurationsRangesPricesAndTheBasicBandwidth() {
        TestAccount account = api.createAccount("catalog");

        Response catalog = api.get("/api/v1/bandwidth-plans/catalog", account.apiKey());

        assertThat(catalog.status()).isEqualTo(200);
        assertThat(catalog.body().get("regions").toString())
            .isEqualTo("[\"cn-hangzhou\",\"cn-shanghai\",\"cn-shenzhen\",\"ap-southeast-1\"]");
        assertThat(catalog.body().at("/durations/0/unit").asString()).isEqualTo("WEEK");
        assertThat(catalog.body().at("/durations/0/counts").toString()).isEqualTo("[1]");
        assertThat(catalog.body().at("/durations/0/autoRenewAllowed").asBoolean()).isFalse();
        assertThat(catalog.body().at("/durations/1/counts").toString()).isEqualTo("[1,2,3,6]");
        assertThat(catalog.body().at("/durations/2/counts").toString()).isEqualTo("[1,2,3]");
        assertThat(catalog.body().at("/peakRanges/0/maxMbps").asInt()).isEqualTo(1000);
        assertThat(catalog.body().at("/peakRanges/1/chargeType").asString()).isEqualTo("PAY_BY_BANDWIDTH");
        assertThat(catalog.body().at("/peakRanges/2/minMbps").asInt()).isEqualTo(2);
        assertThat(catalog.body().at("/peakRanges/2/maxMbps").asInt()).isEqualTo(200);
        assertThat(catalog.text("/prices/subscriptionPerMbpsWeek/amount")).isEqualTo("8.00");
        assertThat(catalog.text("/prices/subscriptionPerMbpsMonth/amount")).isEqualTo("25.00");
        assertThat(catalog.text("/prices/subscriptionPerMbpsYear/amount")).isEqualTo("250.00");
        assertThat(catalog.text("/prices/payByBandwidthPerMbpsHour/amount")).isEqualTo("0.05");
        assertThat(catalog.text("/prices/payByTrafficPerGb/amount")).isEqualTo("0.80");
        assertThat(catalog.text("/prices/payByTrafficPerGb/currency")).isEqualTo("CNY");
        assertThat(catalog.body().get("basicBandwidthMbps").asInt()).isEqualTo(5);
    }

    @Test
    void createsOfficeNetworksOnBasicBandwidth() {
        TestAccount account = api.createAccount("networks");

        Response created = api.post("/api/v1/office-networks", account.apiKey(),
                Map.of("name", "Shanghai office", "region", "cn-shanghai"));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).contains("/api/v1/office-networks/" + created.id());
        assertThat(created.text("/bandwidthMode")).isEqualTo("BASIC");
        assertThat(created.body().get("effectivePeakMbps").asInt()).isEqualTo(5);
        assertThat(created.body().get("bandwidthPlanId").isNull()).isTrue();
        assertThat(api.get("/api/v1/office-networks/" + created.id(), account.apiKey()).text("/name"))
            .isEqualTo("Shanghai office");
        Response list = api.get("/api/v1/office-networks?size=5", account.apiKey());
        assertThat(list.text("/content/0/id")).isEqualTo(created.id().toString());
        assertThat(list.body().at("/page/totalElements").asLong()).isEqualTo(1);
    }

    @Test
    void refusesNetworksInUnknownRegionsAndHidesOtherAccountsNetworks() {
        TestAccount account = api.createAccount("network rules");
        TestAccount other = api.createAccount("network other");
        UUID network = fixtures.network(account);

        Response unknownRegion = api.post("/api/v1/office-networks", account.apiKey(),
                Map.of("name", "x", "region", "mars-1"));

        assertThat(assertProblem(unknownRegion, 400, "VALIDATION_FAILED").text("/errors/0/field")).isEqualTo("region");
        assertProblem(api.post("/api/v1/office-networks", account.apiKey(), Map.of("region", "cn-shanghai")), 400,
                "VALIDATION_FAILED");
        assertProblem(api.get("/api/v1/office-networks/" + network, other.apiKey()), 404, "NOT_FOUND");
        assertThat(api.get("/api/v1/office-networks", other.apiKey()).body().at("/page/totalElements").asLong())
            .isZero();
    }

    @Test
    void createsCloudPhonesInANetworkAndListsThemByNetwork() {
        TestAccount account = api.createAccount("phones");
        UUID first = fixtures.network(account);
        UUID second = fixtures.network(account);
        UUID phone = fixtures.phone(account, first);
        fixtures.phone(account, second);

        Response ofFirst = api.get("/api/v1/cloud-phones?officeNetworkId=" + first, account.apiKey());

        assertThat(ofFirst.body().at("/page/totalElements").asLong()).isEqualTo(1);
        assertThat(ofFirst.text("/content/0/id")).isEqualTo(phone.toString());
        assertThat(ofFirst.text("/content/0/officeNetworkId")).isEqualTo(first.toString());
        assertThat(api.get("/api/v1/cloud-phones", account.apiKey()).body().at("/page/totalElements").asLong())
            .isEqualTo(2);
        assertThat(api.get("/api/v1/cloud-phones/" + phone, account.apiKey()).text("/name")).startsWith("phone");
        TestAccount other = api.createAccount("phones other");
        assertProblem(api.post("/api/v1/cloud-phones", other.apiKey(), Map.of("name", "p", "officeNetworkId", first)),
                404, "NOT_FOUND");
        assertProblem(api.get("/api/v1/cloud-phones?officeNetworkId=" + first, other.apiKey()), 404, "NOT_FOUND");
        assertProblem(api.get("/api/v1/cloud-phones/" + phone, other.apiKey()), 404, "NOT_FOUND");
    }

    @Test
    void buysASubscriptionPaidNowFromTheBalance() {
        TestAccount account = api.createAccount("subscription", "1000.00");
        Instant before = fixtures.now();

        Response bought = fixtures.purchase(account, with(subscription("MONTH", 1, 10), "autoRenew", true));

        assertThat(bought.status()).as("%s", bought).isEqualTo(201);
        assertThat(bought.header("Location")).contains("/api/v1/bandwidth-plans/" + bought.id());
        assertThat(bought.text("/status")).isEqualTo("NOT_ASSOCIATED");
        assertThat(bought.text("/paymentType")).isEqualTo("SUBSCRIPTION");
        assertThat(bought.body().get("chargeType").isNull()).isTrue();
        assertThat(bought.text("/duration/unit")).isEqualTo("MONTH");
        assertThat(bought.body().at("/duration/count").asInt()).isEqualTo(1);
        assertThat(bought.body().get("duration").size()).isEqualTo(2);
        assertThat(bought.body().get("autoRenew").asBoolean()).isTrue();
        assertThat(bought.body().get("peakBandwidthMbps").asInt()).isEqualTo(10);
        assertThat(bought.body().get("officeNetwork").isNull()).isTrue();
        assertThat(bought.text("/ipAddress")).startsWith("198.51.100.");
        assertThat(bought.text("/price/amount")).isEqualTo("250.00");
        assertThat(bought.text("/priceUnit")).isEqualTo("TERM");
        Instant created = Instant.parse(bought.text("/createdAt"));
        assertThat(created).isAfterOrEqualTo(before);
        assertThat(Instant.parse(bought.text("/expiresAt")))
            .isEqualTo(created.atZone(ZoneId.of("Asia/Shanghai")).plusMonths(1).toInstant());
        assertThat(api.balance(account)).isEqualTo("750.00");
        Response ledger = api.get("/api/v1/account/ledger", account.apiKey());
        assertThat(ledger.text("/content/0/kind")).isEqualTo("PURCHASE");
        assertThat(ledger.text("/content/0/amount/amount")).isEqualTo("-250.00");
        assertThat(ledger.text("/content/0/resourceType")).isEqualTo("BANDWIDTH_PLAN");
        assertThat(ledger.text("/content/0/resourceId")).isEqualTo(bought.id().toString());
        assertThat(fixtures.plan(account, bought.id()).text("/ipAddress")).isEqualTo(bought.text("/ipAddress"));
    }

    @Test
    void buysPayAsYouGoWithoutTouchingTheBalance() {
        TestAccount account = api.createAccount("payg", "0");

        Response bandwidth = fixtures.purchase(account, payAsYouGo("PAY_BY_BANDWIDTH", 1000));
        Response traffic = fixtures.purchase(account, payAsYouGo("PAY_BY_TRAFFIC", 200));

        assertThat(bandwidth.status()).as("%s", bandwidth).isEqualTo(201);
        assertThat(bandwidth.text("/paymentType")).isEqualTo("PAY_AS_YOU_GO");
        assertThat(bandwidth.text("/chargeType")).isEqualTo("PAY_BY_BANDWIDTH");
        assertThat(bandwidth.body().get("duration").isNull()).isTrue();
        assertThat(bandwidth.body().get("expiresAt").isNull()).isTrue();
        assertThat(bandwidth.body().get("autoRenew").asBoolean()).isFalse();
        assertThat(bandwidth.text("/price/amount")).isEqualTo("50.00");
        assertThat(bandwidth.text("/priceUnit")).isEqualTo("HOUR");
        assertThat(traffic.status()).as("%s", traffic).isEqualTo(201);
        assertThat(traffic.text("/price/amount")).isEqualTo("0.80");
        assertThat(traffic.text("/priceUnit")).isEqualTo("GB");
        assertThat(traffic.text("/ipAddress")).isNotEqualTo(bandwidth.text("/ipAddress"));
        assertThat(api.balance(account)).isEqualTo("0.00");
        assertThat(api.get("/api/v1/account/ledger", account.apiKey()).body().at("/page/totalElements").asLong())
            .isZero();
    }

    /**
     * The purchase rules themselves are unit-tested ({@code PurchaseCommandTest}); this
     * proves that each kind of refusal reaches the client as its problem, naming the
     * field, and buys nothing.
     */
    @Test
    void aRefusedPurchaseCommandAnswersItsProblemAndBuysNothing() {
        TestAccount account = api.createAccount("command refusals", "1000.00");

        Response foreign = fixtures.purchase(account, with(payAsYouGo("PAY_BY_TRAFFIC", 10), "autoRenew", false));
        Response weekly = fixtures.purchase(account, with(subscription("WEEK", 1, 10), "autoRenew", true));
        Response traffic = fixtures.purchase(account, payAsYouGo("PAY_BY_TRAFFIC", 201));

        assertThat(assertProblem(foreign, 422, "PARAMETER_NOT_ALLOWED").text("/errors/0/field")).isEqualTo("autoRenew");
        assertThat(assertProblem(weekly, 422, "AUTO_RENEW_NOT_ALLOWED").text("/errors/0/field")).isEqualTo("autoRenew");
        assertThat(assertProblem(traffic, 400, "VALIDATION_FAILED").text("/errors/0/message"))
            .isEqualTo("must be between 2 and 200 for PAY_BY_TRAFFIC");
        assertThat(api.balance(account)).isEqualTo("1000.00");
        assertThat(api.get("/api/v1/bandwidth-plans", account.apiKey()).body().at("/page/totalElements").asLong())
            .isZero();
    }

    /**
     * The body's shape, the configured region and an offered duration, as the client sees
     * them; the command's own rules are unit-tested ({@code PurchaseCommandTest},
     * {@code BandwidthRegionTest}).
     */
    @Test
    void validatesDurationsRegionsAndTheBodysShape() {
        TestAccount account = api.createAccount("purchase validation", "1000.00");

        assertThat(assertProblem(fixtures.purchase(account, subscription("MONTH", 4, 10)), 400, "VALIDATION_FAILED")
            .text("/errors/0/field")).isEqualTo("duration.count");
        assertProblem(fixtures.purchase(account, subscription("DECADE", 1, 10)), 400, "VALIDATION_FAILED");
        assertThat(assertProblem(fixtures.purchase(account, with(subscription("MONTH", 1, 10), "region", "mars-1")),
                400, "VALIDATION_FAILED")
            .text("/errors/0/field")).isEqualTo("region");
        assertProblem(fixtures.purchase(account, with(subscription("MONTH", 1, 10), "colour", "red")), 400,
                "VALIDATION_FAILED");
        assertThat(
                assertProblem(fixtures.purchase(account, with(subscription("MONTH", 1, 10), "peakBandwidthMbps", 10.5)),
                        400, "VALIDATION_FAILED")
                    .text("/errors/0/field"))
            .isEqualTo("peakBandwidthMbps");
        assertProblem(fixtures.purchase(account, with(subscription("MONTH", 1, 10), "peakBandwidthMbps", "10")), 400,
                "VALIDATION_FAILED");
        assertProblem(fixtures.purchase(account, with(subscription("MONTH", 1, 10), "paymentType", "LATER")), 400,
                "VALIDATION_FAILED");
        assertThat(api.balance(account)).isEqualTo("1000.00");
    }

    @Test
    void refusesAPurchaseTheBalanceDoesNotCoverAndCreatesNothing() {
        TestAccount account = api.createAccount("poor", "100.00");

        Response refused = fixtures.purchase(account, subscription("MONTH", 1, 10));

        assertProblem(refused, 402, "INSUFFICIENT_BALANCE");
        assertThat(api.balance(account)).isEqualTo("100.00");
        assertThat(api.get("/api/v1/bandwidth-plans", account.apiKey()).body().at("/page/totalElements").asLong())
            .isZero();
    }

    @Test
    void previewQuotesThePurchaseWithoutBuying() {
        TestAccount account = api.createAccount("preview purchase", "1000.00");

        Response preview = api.post("/api/v1/bandwidth-plans?preview=true", account.apiKey(),
                subscription("YEAR", 1, 2));

        assertThat(preview.status()).as("%s", preview).isEqualTo(200);
        assertThat(preview.text("/charge/amount")).isEqualTo("500.00");
        assertThat(preview.text("/refund/amount")).isEqualTo("0.00");
        assertThat(preview.text("/balanceAfter/amount")).isEqualTo("500.00");
        assertThat(preview.text("/result/status")).isEqualTo("NOT_ASSOCIATED");
        assertThat(preview.text("/result/peakBandwidthMbps")).isEqualTo("2");
        assertThat(api.balance(account)).isEqualTo("1000.00");
        assertThat(api.get("/api/v1/bandwidth-plans", account.apiKey()).body().at("/page/totalElements").asLong())
            .isZero();
        assertProblem(api.post("/api/v1/bandwidth-plans?preview=true", account.apiKey(), subscription("YEAR", 1, 5)),
                402, "INSUFFICIENT_BALANCE");
    }

    @Test
    void aRetriedPurchaseWithTheSameIdempotencyKeyChargesOnce() {
        TestAccount account = api.createAccount("idempotent purchase", "1000.00");
        String key = "buy-" + UUID.randomUUID();

        Response first = api.request("POST", "/api/v1/bandwidth-plans")
            .key(account.apiKey())
            .idempotencyKey(key)
            .json(subscription("MONTH", 1, 10))
            .send();
        Response retry = api.request("POST", "/api/v1/bandwidth-plans")
            .key(account.apiKey())
            .idempotencyKey(key)
            .json(subscription("MONTH", 1, 10))
            .send();

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.id()).isEqualTo(first.id());
        assertThat(api.balance(account)).isEqualTo("750.00");
        assertThat(api.get("/api/v1/bandwidth-plans", account.apiKey()).body().at("/page/totalElements").asLong())
            .isEqualTo(1);
    }

    @Test
    void associatesAtPurchaseThroughTheWorker() {
        TestAccount account = api.createAccount("associate at purchase", "1000.00");
        UUID network = fixtures.network(account);

        Response bought = fixtures.purchase(account, with(subscription("MONTH", 1, 20), "officeNetworkId", network));

        assertThat(bought.status()).as("%s", bought).isEqualTo(201);
        assertThat(bought.text("/status")).isIn("CHANGING", "IN_USE");
        assertThat(bought.text("/officeNetwork/id")).isEqualTo(network.toString());
        assertThat(bought.text("/officeNetwork/name")).startsWith("office");
        Response inUse = fixtures.awaitInUse(account, bought.id());
        assertThat(inUse.text("/officeNetwork/id")).isEqualTo(network.toString());
        Response premium = api.get("/api/v1/office-networks/" + network, account.apiKey());
        assertThat(premium.text("/bandwidthMode")).isEqualTo("PREMIUM");
        assertThat(premium.body().get("effectivePeakMbps").asInt()).isEqualTo(20);
        assertThat(premium.text("/bandwidthPlanId")).isEqualTo(bought.id().toString());
    }

    @Test
    void refusesAssociationAtPurchaseAcrossRegionsOrToATakenNetwork() {
        TestAccount account = api.createAccount("purchase association rules", "1000.00");
        UUID hangzhou = fixtures.network(account, "cn-hangzhou");
        UUID taken = fixtures.network(account);
        fixtures.buy(account, with(subscription("WEEK", 1, 10), "officeNetworkId", taken));

        Response mismatch = fixtures.purchase(account, with(subscription("WEEK", 1, 10), "officeNetworkId", hangzhou));
        Response conflict = fixtures.purchase(account, with(subscription("WEEK", 1, 10), "officeNetworkId", taken));
        Response unknown = fixtures.purchase(account,
                with(subscription("WEEK", 1, 10), "officeNetworkId", UUID.randomUUID()));

        assertThat(assertProblem(mismatch, 422, "REGION_MISMATCH").text("/errors/0/field"))
            .isEqualTo("officeNetworkId");
        assertProblem(conflict, 409, "NETWORK_ALREADY_ASSOCIATED");
        assertProblem(unknown, 404, "NOT_FOUND");
        assertThat(api.balance(account)).isEqualTo("920.00");
    }

    @Test
    void listsOwnPlansByStatusAndHidesOtherAccountsPlans() {
        TestAccount account = api.createAccount("plan list", "1000.00");
        TestAccount other = api.createAccount("plan list other");
        UUID older = fixtures.buy(account, subscription("WEEK", 1, 2));
        UUID newer = fixtures.buy(account, payAsYouGo("PAY_BY_BANDWIDTH", 2));

        Response all = api.get("/api/v1/bandwidth-plans", account.apiKey());
        Response notAssociated = api.get("/api/v1/bandwidth-plans?status=NOT_ASSOCIATED&size=1", account.apiKey());
        Response inUse = api.get("/api/v1/bandwidth-plans?status=IN_USE", account.apiKey());

        assertThat(all.text("/content/0/id")).isEqualTo(newer.toString());
        assertThat(all.text("/content/1/id")).isEqualTo(older.toString());
        assertThat(notAssociated.body().at("/page/totalElements").asLong()).isEqualTo(2);
        assertThat(notAssociated.body().at("/page/totalPages").asInt()).isEqualTo(2);
        assertThat(inUse.body().at("/page/totalElements").asLong()).isZero();
        assertProblem(api.get("/api/v1/bandwidth-plans?status=LOST", account.apiKey()), 400, "VALIDATION_FAILED");
        assertProblem(api.get("/api/v1/bandwidth-plans/" + older, other.apiKey()), 404, "NOT_FOUND");
        JsonNode otherList = api.get("/api/v1/bandwidth-plans", other.apiKey()).body();
        assertThat(otherList.at("/page/totalElements").asLong()).isZero();
        assertProblem(api.get("/api/v1/bandwidth-plans", api.operator()), 403, "FORBIDDEN");
        assertProblem(api.get("/api/v1/bandwidth-plans", null), 401, "UNAUTHENTICATED");
    }

}
