package io.planbilling.bandwidthplan;

import static io.planbilling.bandwidthplan.BandwidthFixtures.payAsYouGo;
import static io.planbilling.bandwidthplan.BandwidthFixtures.subscription;
import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Associations over HTTP, applied by the 1-second association worker; the lifecycle run's
 * own association step is proved where no worker can get there first
 * ({@link BandwidthAssociationStepApiTest}).
 */
@ApiTest
class BandwidthAssociationApiTest {

    @Autowired
    TestApi api;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    BandwidthLifecycle lifecycle;

    BandwidthFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new BandwidthFixtures(api);
    }

    @Test
    void associationAnswersChangingAndTheWorkerAppliesIt() {
        TestAccount account = api.createAccount("associate", "1000.00");
        UUID network = fixtures.network(account);
        UUID plan = fixtures.buy(account, subscription("WEEK", 1, 30));

        Response requested = fixtures.associate(account, plan, network);

        assertThat(requested.status()).as("%s", requested).isEqualTo(202);
        assertThat(requested.text("/status")).isEqualTo("CHANGING");
        assertThat(requested.text("/officeNetwork/id")).isEqualTo(network.toString());
        Response changing = api.get("/api/v1/office-networks/" + network, account.apiKey());
        assertThat(changing.text("/bandwidthPlanId")).isEqualTo(plan.toString());
        fixtures.awaitInUse(account, plan);
        Response premium = api.get("/api/v1/office-networks/" + network, account.apiKey());
        assertThat(premium.text("/bandwidthMode")).isEqualTo("PREMIUM");
        assertThat(premium.body().get("effectivePeakMbps").asInt()).isEqualTo(30);
    }

    @Test
    void aPlanLeftChangingByACrashIsFinishedByTheWorker() {
        TestAccount account = api.createAccount("crash", "1000.00");
        UUID network = fixtures.network(account);
        UUID plan = fixtures.buy(account, subscription("WEEK", 1, 10));
        // what a crash between the request and the worker leaves behind: CHANGING with
        // nothing applied yet
        jdbc.sql("UPDATE bandwidth_plans SET status = 'CHANGING', office_network_id = :network WHERE id = :plan")
            .param("network", network)
            .param("plan", plan)
            .update();

        Response applied = fixtures.awaitInUse(account, plan);

        assertThat(applied.text("/officeNetwork/id")).isEqualTo(network.toString());
        assertThat(jdbc
            .sql("SELECT count(*) FROM bandwidth_plan_associations WHERE plan_id = :plan"
                    + " AND associated_to IS NULL")
            .param("plan", plan)
            .query(Long.class)
            .single()).isEqualTo(1);
    }

    @Test
    void refusesAssociatingAPlanThatAlreadyHasANetwork() {
        TestAccount account = api.createAccount("plan taken", "1000.00");
        UUID first = fixtures.network(account);
        UUID second = fixtures.network(account);
        UUID plan = fixtures.buy(account, subscription("WEEK", 1, 10));
        fixtures.associateInUse(account, plan, first);

        Response again = fixtures.associate(account, plan, second);
        Response same = fixtures.associate(account, plan, first);

        assertProblem(again, 409, "PLAN_ALREADY_ASSOCIATED");
        assertProblem(same, 409, "PLAN_ALREADY_ASSOCIATED");
        assertThat(api.get("/api/v1/office-networks/" + second, account.apiKey()).text("/bandwidthMode"))
            .isEqualTo("BASIC");
    }

    @Test
    void refusesANetworkThatAlreadyHasAPlanOrIsInAnotherRegion() {
        TestAccount account = api.createAccount("network taken", "1000.00");
        UUID network = fixtures.network(account);
        UUID hangzhou = fixtures.network(account, "cn-hangzhou");
        UUID first = fixtures.buy(account, subscription("WEEK", 1, 10));
        UUID second = fixtures.buy(account, payAsYouGo("PAY_BY_BANDWIDTH", 10));
        fixtures.associate(account, first, network);

        Response taken = fixtures.associate(account, second, network);
        Response mismatch = fixtures.associate(account, second, hangzhou);
        Response unknown = fixtures.associate(account, second, UUID.randomUUID());
        Response missingBody = api.put("/api/v1/bandwidth-plans/" + second + "/office-network", account.apiKey(),
                Map.of());

        assertProblem(taken, 409, "NETWORK_ALREADY_ASSOCIATED");
        assertThat(assertProblem(mismatch, 422, "REGION_MISMATCH").text("/errors/0/field"))
            .isEqualTo("officeNetworkId");
        assertProblem(unknown, 404, "NOT_FOUND");
        assertProblem(missingBody, 400, "VALIDATION_FAILED");
        assertThat(fixtures.plan(account, second).text("/status")).isEqualTo("NOT_ASSOCIATED");
    }

    @Test
    void anotherAccountsNetworkOrPlanLooksMissing() {
        TestAccount account = api.createAccount("mine", "1000.00");
        TestAccount other = api.createAccount("theirs", "1000.00");
        UUID theirNetwork = fixtures.network(other);
        UUID theirPlan = fixtures.buy(other, subscription("WEEK", 1, 10));
        UUID plan = fixtures.buy(account, subscription("WEEK", 1, 10));

        assertProblem(fixtures.associate(account, plan, theirNetwork), 404, "NOT_FOUND");
        assertProblem(fixtures.associate(account, theirPlan, fixtures.network(account)), 404, "NOT_FOUND");
        assertProblem(api.delete("/api/v1/bandwidth-plans/" + theirPlan + "/office-network", account.apiKey()), 404,
                "NOT_FOUND");
    }

    @Test
    void dissociationRevertsTheNetworkPurgesRulesAndKeepsBilling() {
        TestAccount account = api.createAccount("dissociate", "1000.00");
        UUID network = fixtures.network(account);
        UUID phone = fixtures.phone(account, network);
        UUID plan = fixtures.buy(account, payAsYouGo("PAY_BY_BANDWIDTH", 20));
        fixtures.associateInUse(account, plan, network);
        Response rule = api.post("/api/v1/bandwidth-plans/" + plan + "/speed-limit-rules", account.apiKey(),
                Map.of("name", "team", "upstreamMbps", 5, "downstreamMbps", 10, "cloudPhoneIds", List.of(phone)));
        assertThat(rule.status()).as("%s", rule).isEqualTo(201);

        Response dissociated = api.delete("/api/v1/bandwidth-plans/" + plan + "/office-network", account.apiKey());

        assertThat(dissociated.status()).as("%s", dissociated).isEqualTo(200);
        assertThat(dissociated.text("/status")).isEqualTo("NOT_ASSOCIATED");
        assertThat(dissociated.body().get("officeNetwork").isNull()).isTrue();
        assertThat(dissociated.text("/ipAddress")).isNotNull();
        Response basic = api.get("/api/v1/office-networks/" + network, account.apiKey());
        assertThat(basic.text("/bandwidthMode")).isEqualTo("BASIC");
        assertThat(basic.body().get("effectivePeakMbps").asInt()).isEqualTo(5);
        assertThat(basic.body().get("bandwidthPlanId").isNull()).isTrue();
        assertThat(jdbc.sql("SELECT count(*) FROM speed_limit_rules WHERE plan_id = :plan")
            .param("plan", plan)
            .query(Long.class)
            .single()).isZero();
        assertThat(jdbc.sql("SELECT billed_until IS NOT NULL FROM bandwidth_plans WHERE id = :plan")
            .param("plan", plan)
            .query(Boolean.class)
            .single()).isTrue();
        assertThat(api.get("/api/v1/bandwidth-plans/" + plan + "/speed-limit-rules", account.apiKey())
            .body()
            .at("/page/totalElements")
            .asLong()).isZero();
        assertProblem(
                api.post("/api/v1/bandwidth-plans/" + plan + "/speed-limit-rules", account.apiKey(), Map.of("name",
                        "again", "upstreamMbps", 5, "downstreamMbps", 5, "cloudPhoneIds", List.of(phone))),
                409, "PLAN_NOT_ASSOCIATED");
        assertProblem(api.delete("/api/v1/bandwidth-plans/" + plan + "/office-network", account.apiKey()), 409,
                "PLAN_NOT_ASSOCIATED");
        Response reassociated = fixtures.associate(account, plan, network);
        assertThat(reassociated.status()).isEqualTo(202);
    }

    @Test
    void dissociatingWhileChangingCancelsTheAssociation() {
        TestAccount account = api.createAccount("cancel association", "1000.00");
        UUID network = fixtures.network(account);
        UUID plan = fixtures.buy(account, subscription("WEEK", 1, 10));
        fixtures.associate(account, plan, network);

        Response dissociated = api.delete("/api/v1/bandwidth-plans/" + plan + "/office-network", account.apiKey());
        lifecycle.applyAssociations();

        assertThat(dissociated.status()).as("%s", dissociated).isEqualTo(200);
        assertThat(fixtures.plan(account, plan).text("/status")).isEqualTo("NOT_ASSOCIATED");
        Response basic = api.get("/api/v1/office-networks/" + network, account.apiKey());
        assertThat(basic.text("/bandwidthMode")).isEqualTo("BASIC");
        assertThat(basic.body().get("bandwidthPlanId").isNull()).isTrue();
    }

    @Test
    void aNetworkFreedByDissociationTakesAnotherPlan() {
        TestAccount account = api.createAccount("handover", "1000.00");
        UUID network = fixtures.network(account);
        UUID first = fixtures.buy(account, subscription("WEEK", 1, 10));
        UUID second = fixtures.buy(account, subscription("WEEK", 1, 40));
        fixtures.associateInUse(account, first, network);
        api.delete("/api/v1/bandwidth-plans/" + first + "/office-network", account.apiKey());

        fixtures.associateInUse(account, second, network);

        assertThat(
                api.get("/api/v1/office-networks/" + network, account.apiKey()).body().get("effectivePeakMbps").asInt())
            .isEqualTo(40);
    }

}
