package io.planbilling.bandwidthplan;

import static io.planbilling.bandwidthplan.BandwidthFixtures.subscription;
import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.Race;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Purchases racing for the last address of a tiny pool (its own application context:
 * 203.0.113.8/30 has the two host addresses .9 and .10).
 */
@ApiTest
@TestPropertySource(properties = "billing.bandwidth.ip-pool=203.0.113.8/30")
class BandwidthIpPoolRaceApiTest {

    @Autowired
    TestApi api;

    @Test
    void purchasesRacingForTheLastAddressGetItOnceAndAnEndedPlanGivesItBack() {
        BandwidthFixtures fixtures = new BandwidthFixtures(api);
        TestAccount account = api.createAccount("tiny pool", "1000.00");
        Response first = fixtures.purchase(account, subscription("WEEK", 1, 2));
        assertThat(first.text("/ipAddress")).isIn("203.0.113.9", "203.0.113.10");

        List<Response> racing = Race.times(8, () -> fixtures.purchase(account, subscription("WEEK", 1, 2)));

        List<Response> won = racing.stream().filter(r -> r.status() == 201).toList();
        assertThat(won).hasSize(1);
        assertThat(won.get(0).text("/ipAddress")).isIn("203.0.113.9", "203.0.113.10")
            .isNotEqualTo(first.text("/ipAddress"));
        assertThat(racing).filteredOn(r -> r.status() != 201)
            .allSatisfy(r -> assertProblem(r, 409, "IP_POOL_EXHAUSTED"));
        assertThat(api.balance(account)).isEqualTo("968.00");

        Response ended = api.post("/api/v1/bandwidth-plans/" + first.id() + "/unsubscribe", account.apiKey(), Map.of());
        assertThat(ended.status()).isEqualTo(200);
        Response again = fixtures.purchase(account, subscription("WEEK", 1, 2));
        assertThat(again.status()).as("%s", again).isEqualTo(201);
        assertThat(again.text("/ipAddress")).isEqualTo(first.text("/ipAddress"));
        assertProblem(fixtures.purchase(account, subscription("WEEK", 1, 2)), 409, "IP_POOL_EXHAUSTED");
    }

}
