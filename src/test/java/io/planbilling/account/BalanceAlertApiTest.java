package io.planbilling.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.Feed;
import io.planbilling.testing.Race;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * {@code account.balance_low} and {@code account.balance_recovered}: the account is OK or
 * LOW against its low-balance threshold, debits move it OK → LOW, credits and refunds LOW
 * → OK, each move once, and the two alternate (docs/alerts.md).
 */
@ApiTest
class BalanceAlertApiTest {

    private static final String LOW = "account.balance_low";

    private static final String RECOVERED = "account.balance_recovered";

    @Autowired
    TestApi api;

    @Autowired
    JdbcTemplate jdbc;

    private Feed feed() {
        return new Feed(api, jdbc);
    }

    private void lowBalance(TestAccount account, String threshold) {
        Response saved = api.put("/api/v1/alert-settings", account.apiKey(),
                AlertSettingsApiTest.settings(List.of(80, 100), List.of(7, 3, 1), threshold, null));
        assertThat(saved.status()).as("%s", saved).isEqualTo(200);
    }

    /** A debit of 30.00: a 20 GB package in Guangzhou; answers the package. */
    private UUID spend30(TestAccount account) {
        Response bought = api.post("/api/v1/traffic-packages", account.apiKey(),
                Map.of("type", "DEVICE_1_FLOW_20G", "region", "GUANGZHOU", "deviceIds", List.of(), "autoRenew", false));
        assertThat(bought.status()).as("%s", bought).isEqualTo(201);
        return bought.id();
    }

    private List<JsonNode> alerts(TestAccount account) {
        return feed().events(account.apiKey(), LOW, RECOVERED);
    }

    @Test
    void debitsBelowTheThresholdAndCreditsBackAboveItAlternate() {
        TestAccount account = api.createAccount("balance alternation", "100.00");
        lowBalance(account, "50.00");

        spend30(account); // 70.00: OK
        spend30(account); // 40.00: OK → LOW
        UUID third = spend30(account); // 10.00: still LOW
        api.credit(account.id(), "5.00"); // 15.00: still LOW
        api.credit(account.id(), "35.00"); // 50.00: at the threshold, LOW → OK
        api.credit(account.id(), "1.00"); // 51.00: OK
        spend30(account); // 21.00: OK → LOW
        Response refund = api.post("/api/v1/traffic-packages/" + third + "/unsubscribe", account.apiKey(), Map.of());
        assertThat(refund.status()).as("%s", refund).isEqualTo(200); // + 30.00 = 51.00:
                                                                     // LOW → OK

        List<JsonNode> alerts = alerts(account);

        assertThat(Feed.types(alerts)).containsExactly(LOW, RECOVERED, LOW, RECOVERED);
        assertThat(alerts).extracting(a -> a.at("/data/balance/amount").asString())
            .containsExactly("40.00", "50.00", "21.00", "51.00");
        assertThat(alerts).allSatisfy(alert -> {
            assertThat(alert.get("resourceType").asString()).isEqualTo("ACCOUNT");
            assertThat(alert.get("resourceId").asString()).isEqualTo(account.id().toString());
            assertThat(alert.at("/data/id").asString()).isEqualTo(account.id().toString());
            assertThat(alert.at("/data/name").asString()).isEqualTo("balance alternation");
            assertThat(alert.at("/data/threshold/amount").asString()).isEqualTo("50.00");
            assertThat(alert.at("/data/threshold/currency").asString()).isEqualTo("CNY");
        });
        // in the transaction of the ledger entry that moved it: right after it in the
        // feed
        assertThat(Feed.types(feed().events(account.apiKey(), "credit.created", "refund.created", LOW, RECOVERED)))
            .containsExactly("credit.created", LOW, "credit.created", "credit.created", RECOVERED, "credit.created",
                    LOW, "refund.created", RECOVERED);
    }

    @Test
    void withoutAThresholdNothingIsSent() {
        TestAccount account = api.createAccount("balance off", "40.00");

        spend30(account);
        api.credit(account.id(), "100.00");

        assertThat(alerts(account)).isEmpty();
    }

    @Test
    void aSettingsChangeSendsNothingAndTheNextBalanceChangeIsJudgedAgainstTheNewThreshold() {
        TestAccount account = api.createAccount("balance settings", "100.00");
        lowBalance(account, "50.00");
        spend30(account);
        spend30(account); // 40.00: LOW (sent)

        lowBalance(account, "20.00"); // 40.00 is above the new threshold: nothing is sent
        lowBalance(account, "45.00"); // nor when it is below again
        assertThat(Feed.types(alerts(account))).containsExactly(LOW);

        api.credit(account.id(), "1.00"); // 41.00: below 45, still LOW
        api.credit(account.id(), "4.00"); // 45.00: LOW → OK
        lowBalance(account, "100.00"); // 45.00 is below: silent, the account was last
                                       // told it is OK
        spend30(account); // 15.00: OK → LOW
        lowBalance(account, null); // off: silent
        api.credit(account.id(), "31.00"); // 46.00, no threshold to stay below: LOW → OK
        spend30(account); // 16.00, off: nothing

        assertThat(Feed.types(alerts(account))).containsExactly(LOW, RECOVERED, LOW, RECOVERED);
    }

    @Test
    void concurrentDebitsAcrossTheThresholdSendOneAlert() {
        TestAccount account = api.createAccount("balance race", "400.00");
        lowBalance(account, "200.00");

        List<Integer> statuses = Race.times(12,
                () -> api
                    .post("/api/v1/traffic-packages", account.apiKey(),
                            Map.of("type", "DEVICE_1_FLOW_20G", "region", "GUANGZHOU", "deviceIds", List.of(),
                                    "autoRenew", false))
                    .status());

        assertThat(statuses).containsOnly(201);
        List<JsonNode> alerts = alerts(account);
        assertThat(Feed.types(alerts)).containsExactly(LOW);
        // the debit that took the balance from 220.00 or more to below 200.00: 190.00
        assertThat(alerts.get(0).at("/data/balance/amount").asString()).isEqualTo("190.00");
        assertThat(api.balance(account)).isEqualTo("40.00");
    }

}
