package io.planbilling.bandwidthplan;

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

@ApiTest
class SpeedLimitRuleApiTest {

    @Autowired
    TestApi api;

    BandwidthFixtures fixtures;

    TestAccount account;

    UUID network;

    UUID plan;

    String rules;

    @BeforeEach
    void associatedPlan() {
        fixtures = new BandwidthFixtures(api);
        account = api.createAccount("rules", "1000.00");
        network = fixtures.network(account);
        plan = fixtures.buy(account, subscription("WEEK", 1, 20));
        fixtures.associateInUse(account, plan, network);
        rules = "/api/v1/bandwidth-plans/" + plan + "/speed-limit-rules";
    }

    private Response create(String name, int up, int down, List<UUID> phones) {
        return api.post(rules, account.apiKey(),
                Map.of("name", name, "upstreamMbps", up, "downstreamMbps", down, "cloudPhoneIds", phones));
    }

    @Test
    void createsListsReadsEditsAndDeletesRules() {
        UUID phone = fixtures.phone(account, network);

        Response created = create("design team", 5, 20, List.of(phone));

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.header("Location")).contains(rules + "/" + created.id());
        assertThat(created.text("/name")).isEqualTo("design team");
        assertThat(created.body().get("upstreamMbps").asInt()).isEqualTo(5);
        assertThat(created.body().get("downstreamMbps").asInt()).isEqualTo(20);
        assertThat(created.text("/cloudPhoneIds/0")).isEqualTo(phone.toString());
        Response list = api.get(rules, account.apiKey());
        assertThat(list.body().at("/page/totalElements").asLong()).isEqualTo(1);
        assertThat(list.text("/content/0/id")).isEqualTo(created.id().toString());
        Response edited = api.patch(rules + "/" + created.id(), account.apiKey(),
                Map.of("name", "designers", "upstreamMbps", 8));
        assertThat(edited.status()).as("%s", edited).isEqualTo(200);
        assertThat(edited.text("/name")).isEqualTo("designers");
        assertThat(edited.body().get("upstreamMbps").asInt()).isEqualTo(8);
        assertThat(edited.body().get("downstreamMbps").asInt()).isEqualTo(20);
        assertThat(api.get(rules + "/" + created.id(), account.apiKey()).text("/name")).isEqualTo("designers");
        assertThat(api.delete(rules + "/" + created.id(), account.apiKey()).status()).isEqualTo(204);
        assertProblem(api.get(rules + "/" + created.id(), account.apiKey()), 404, "NOT_FOUND");
        assertProblem(api.delete(rules + "/" + created.id(), account.apiKey()), 404, "NOT_FOUND");
    }

    @Test
    void replacesTheRulesPhones() {
        UUID first = fixtures.phone(account, network);
        UUID second = fixtures.phone(account, network);
        Response rule = create("swap", 5, 5, List.of(first));

        Response replaced = api.put(rules + "/" + rule.id() + "/cloud-phones", account.apiKey(),
                Map.of("cloudPhoneIds", List.of(second)));

        assertThat(replaced.status()).as("%s", replaced).isEqualTo(200);
        assertThat(replaced.body().get("cloudPhoneIds").size()).isEqualTo(1);
        assertThat(replaced.text("/cloudPhoneIds/0")).isEqualTo(second.toString());
        assertThat(create("other", 5, 5, List.of(first)).status()).isEqualTo(201);
    }

    @Test
    void limitsAreBetweenOneAndThePeak() {
        UUID phone = fixtures.phone(account, network);

        Response aboveUp = create("too fast", 21, 5, List.of(phone));
        Response aboveDown = create("too fast", 5, 21, List.of(phone));
        Response zero = create("zero", 0, 5, List.of(phone));

        assertThat(assertProblem(aboveUp, 422, "LIMIT_EXCEEDS_PEAK").text("/errors/0/field")).isEqualTo("upstreamMbps");
        assertThat(assertProblem(aboveDown, 422, "LIMIT_EXCEEDS_PEAK").text("/errors/0/field"))
            .isEqualTo("downstreamMbps");
        assertThat(assertProblem(zero, 400, "VALIDATION_FAILED").text("/errors/0/field")).isEqualTo("upstreamMbps");
        assertThat(create("at the peak", 20, 20, List.of(phone)).status()).isEqualTo(201);
        Response rule = create("low", 1, 1, List.of());
        assertProblem(api.patch(rules + "/" + rule.id(), account.apiKey(), Map.of("downstreamMbps", 21)), 422,
                "LIMIT_EXCEEDS_PEAK");
        assertProblem(api.patch(rules + "/" + rule.id(), account.apiKey(), Map.of()), 400, "VALIDATION_FAILED");
    }

    @Test
    void phonesMustBelongToThePlansNetwork() {
        UUID elsewhere = fixtures.phone(account, fixtures.network(account));
        UUID inside = fixtures.phone(account, network);
        TestAccount other = api.createAccount("rules other");
        UUID foreign = fixtures.phone(other, fixtures.network(other));

        Response outside = create("mixed", 5, 5, List.of(inside, elsewhere, foreign));

        assertProblem(outside, 422, "PHONE_NOT_IN_NETWORK");
        assertThat(outside.body().get("errors").size()).isEqualTo(2);
        assertThat(outside.text("/errors/0/field")).isEqualTo("cloudPhoneIds[1]");
        assertThat(outside.text("/errors/1/field")).isEqualTo("cloudPhoneIds[2]");
        assertThat(api.get(rules, account.apiKey()).body().at("/page/totalElements").asLong()).isZero();
        Response rule = create("inside", 5, 5, List.of(inside));
        assertProblem(api.put(rules + "/" + rule.id() + "/cloud-phones", account.apiKey(),
                Map.of("cloudPhoneIds", List.of(elsewhere))), 422, "PHONE_NOT_IN_NETWORK");
        assertProblem(create("twice", 5, 5, List.of(inside, inside)), 400, "VALIDATION_FAILED");
    }

    @Test
    void aPhoneIsInAtMostOneRuleOfThePlan() {
        UUID phone = fixtures.phone(account, network);
        UUID free = fixtures.phone(account, network);
        create("first", 5, 5, List.of(phone));
        Response second = create("second", 5, 5, List.of(free));
        UUID fresh = fixtures.phone(account, network);

        Response duplicate = create("third", 5, 5, List.of(fresh, phone));
        Response moved = api.put(rules + "/" + second.id() + "/cloud-phones", account.apiKey(),
                Map.of("cloudPhoneIds", List.of(free, phone)));

        assertThat(assertProblem(duplicate, 409, "PHONE_ALREADY_LIMITED").text("/errors/0/field"))
            .isEqualTo("cloudPhoneIds[1]");
        assertThat(duplicate.text("/errors/0/message")).contains("first");
        assertProblem(moved, 409, "PHONE_ALREADY_LIMITED");
        Response unchanged = api.put(rules + "/" + second.id() + "/cloud-phones", account.apiKey(),
                Map.of("cloudPhoneIds", List.of(free)));
        assertThat(unchanged.status()).isEqualTo(200);
    }

    @Test
    void ruleNamesAreUniqueInThePlan() {
        create("team", 5, 5, List.of());
        Response other = create("other", 5, 5, List.of());

        Response same = create("team", 6, 6, List.of());
        Response renamed = api.patch(rules + "/" + other.id(), account.apiKey(), Map.of("name", "team"));

        assertThat(assertProblem(same, 409, "RULE_NAME_TAKEN").text("/errors/0/field")).isEqualTo("name");
        assertProblem(renamed, 409, "RULE_NAME_TAKEN");
        assertThat(api.patch(rules + "/" + other.id(), account.apiKey(), Map.of("name", "other")).status())
            .isEqualTo(200);
        assertProblem(create(" ", 5, 5, List.of()), 400, "VALIDATION_FAILED");
    }

    @Test
    void rulesNeedAnAssociatedPlan() {
        UUID unassociated = fixtures.buy(account, subscription("WEEK", 1, 20));

        Response refused = api.post("/api/v1/bandwidth-plans/" + unassociated + "/speed-limit-rules", account.apiKey(),
                Map.of("name", "x", "upstreamMbps", 5, "downstreamMbps", 5, "cloudPhoneIds", List.of()));

        assertProblem(refused, 409, "PLAN_NOT_ASSOCIATED");
        assertProblem(api.get("/api/v1/bandwidth-plans/" + UUID.randomUUID() + "/speed-limit-rules", account.apiKey()),
                404, "NOT_FOUND");
    }

    @Test
    void aPeakBelowARulesLimitIsRefusedNamingTheRules() {
        create("fast", 15, 18, List.of());
        create("slow", 3, 3, List.of());

        Response lowered = api.post("/api/v1/bandwidth-plans/" + plan + "/peak-bandwidth", account.apiKey(),
                Map.of("peakBandwidthMbps", 10));

        assertProblem(lowered, 409, "RULE_EXCEEDS_PEAK");
        assertThat(lowered.text("/detail")).contains("'fast'").doesNotContain("'slow'");
        assertThat(lowered.body().get("errors").size()).isEqualTo(1);
        assertThat(fixtures.plan(account, plan).body().get("peakBandwidthMbps").asInt()).isEqualTo(20);
        assertThat(api
            .post("/api/v1/bandwidth-plans/" + plan + "/peak-bandwidth", account.apiKey(),
                    Map.of("peakBandwidthMbps", 18))
            .status()).isEqualTo(200);
    }

}
