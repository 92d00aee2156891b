package io.planbilling.account;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static io.planbilling.testing.TestApi.money;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET/PUT /api/v1/alert-settings}: the defaults, replacing the whole object, and
 * validation (docs/alerts.md).
 */
@ApiTest
class AlertSettingsApiTest {

    @Autowired
    TestApi api;

    static Map<String, Object> settings(List<Integer> thresholds, List<Integer> days, String lowBalance,
            String postpaidMonthly) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("trafficUsageThresholds", thresholds);
        settings.put("expiryReminderDays", days);
        settings.put("lowBalanceThreshold", lowBalance == null ? null : money(lowBalance));
        settings.put("postpaidMonthlyThreshold", postpaidMonthly == null ? null : money(postpaidMonthly));
        return settings;
    }

    private static Map<String, String> errors(Response response) {
        Map<String, String> errors = new HashMap<>();
        response.body().get("errors").forEach(e -> errors.put(e.get("field").asString(), e.get("message").asString()));
        return errors;
    }

    @Test
    void anAccountThatNeverSavedSettingsReadsTheDefaults() {
        TestAccount account = api.createAccount("alerts defaults");

        Response read = api.get("/api/v1/alert-settings", account.apiKey());

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().get("trafficUsageThresholds").toString()).isEqualTo("[80,100]");
        assertThat(read.body().get("expiryReminderDays").toString()).isEqualTo("[7,3,1]");
        assertThat(read.body().get("lowBalanceThreshold").isNull()).isTrue();
        assertThat(read.body().get("postpaidMonthlyThreshold").isNull()).isTrue();
    }

    @Test
    void putReplacesTheWholeObjectAndReadsBackInAFixedOrder() {
        TestAccount account = api.createAccount("alerts replace");
        TestAccount other = api.createAccount("alerts bystander");

        Response saved = api.put("/api/v1/alert-settings", account.apiKey(),
                settings(List.of(100, 50), List.of(1, 14), "50.00", "300.00"));

        assertThat(saved.status()).as("%s", saved).isEqualTo(200);
        assertThat(saved.body().get("trafficUsageThresholds").toString()).isEqualTo("[50,100]");
        assertThat(saved.body().get("expiryReminderDays").toString()).isEqualTo("[14,1]");
        assertThat(saved.text("/lowBalanceThreshold/amount")).isEqualTo("50.00");
        assertThat(saved.text("/lowBalanceThreshold/currency")).isEqualTo("CNY");
        assertThat(saved.text("/postpaidMonthlyThreshold/amount")).isEqualTo("300.00");
        assertThat(api.get("/api/v1/alert-settings", account.apiKey()).body()).isEqualTo(saved.body());

        // the whole object: what is left out or null is off, an empty list turns its
        // alerts off
        Map<String, Object> next = new HashMap<>();
        next.put("trafficUsageThresholds", List.of());
        next.put("expiryReminderDays", List.of(3));
        Response replaced = api.put("/api/v1/alert-settings", account.apiKey(), next);
        assertThat(replaced.status()).as("%s", replaced).isEqualTo(200);
        assertThat(replaced.body().get("trafficUsageThresholds").toString()).isEqualTo("[]");
        assertThat(replaced.body().get("expiryReminderDays").toString()).isEqualTo("[3]");
        assertThat(replaced.body().get("lowBalanceThreshold").isNull()).isTrue();
        assertThat(replaced.body().get("postpaidMonthlyThreshold").isNull()).isTrue();

        assertThat(api.get("/api/v1/alert-settings", other.apiKey()).body().get("trafficUsageThresholds").toString())
            .as("another account keeps its own")
            .isEqualTo("[80,100]");
    }

    @Test
    void everyBadValueIsNamedInOneAnswerAndNothingIsSaved() {
        TestAccount account = api.createAccount("alerts invalid");
        api.put("/api/v1/alert-settings", account.apiKey(), settings(List.of(90), List.of(5), null, null));

        Response refused = api.put("/api/v1/alert-settings", account.apiKey(),
                settings(List.of(80, 101, 80), List.of(0, 1, 2, 3, 4, 5), "1.001", "20.00"));

        assertProblem(refused, 400, "VALIDATION_FAILED");
        Map<String, String> errors = errors(refused);
        assertThat(errors).containsEntry("trafficUsageThresholds[1]", "must be from 1 to 100, not 101")
            .containsEntry("trafficUsageThresholds[2]", "repeats 80; each value may appear once")
            .containsEntry("expiryReminderDays", "must hold at most 5 values, not 6")
            .containsEntry("expiryReminderDays[0]", "must be from 1 to 30, not 0")
            .containsKey("lowBalanceThreshold.amount")
            .hasSize(5);
        JsonNode unchanged = api.get("/api/v1/alert-settings", account.apiKey()).body();
        assertThat(unchanged.get("trafficUsageThresholds").toString()).isEqualTo("[90]");
        assertThat(unchanged.get("expiryReminderDays").toString()).isEqualTo("[5]");
    }

    @Test
    void moneyIsInTheDeploymentsCurrencyAndPositive() {
        TestAccount account = api.createAccount("alerts money");
        Map<String, Object> wrongCurrency = settings(List.of(80), List.of(7), null, null);
        wrongCurrency.put("lowBalanceThreshold", Map.of("amount", "50.00", "currency", "USD"));
        wrongCurrency.put("postpaidMonthlyThreshold", Map.of("amount", "0", "currency", "CNY"));

        Response refused = api.put("/api/v1/alert-settings", account.apiKey(), wrongCurrency);

        assertProblem(refused, 400, "VALIDATION_FAILED");
        assertThat(errors(refused)).containsEntry("lowBalanceThreshold.currency", "must be CNY")
            .containsEntry("postpaidMonthlyThreshold.amount", "must be greater than 0 (null turns the alert off)")
            .hasSize(2);
    }

}
