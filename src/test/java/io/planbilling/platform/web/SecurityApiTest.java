package io.planbilling.platform.web;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.TestAccount;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@ApiTest
class SecurityApiTest {

    @Autowired
    TestApi api;

    @Test
    void requestsWithoutAKeyAreUnauthenticated() {
        TestApi.Response response = assertProblem(api.get("/api/v1/account", null), 401, "UNAUTHENTICATED");

        assertThat(response.header("WWW-Authenticate")).contains("Bearer");
        assertProblem(api.get("/api/v1/accounts", null), 401, "UNAUTHENTICATED");
        assertProblem(api.post("/api/v1/accounts", null, Map.of("name", "x")), 401, "UNAUTHENTICATED");
    }

    @Test
    void unknownKeysAndOtherSchemesAreUnauthenticated() {
        assertProblem(api.get("/api/v1/account", "pb_not-a-real-key"), 401, "UNAUTHENTICATED");
        assertProblem(api.get("/api/v1/accounts", "wrong-operator-key"), 401, "UNAUTHENTICATED");
        assertProblem(api.request("GET", "/api/v1/account").header("Authorization", "Basic dXNlcjpwYXNz").send(), 401,
                "UNAUTHENTICATED");
        assertProblem(api.request("GET", "/api/v1/account").header("Authorization", "Bearer ").send(), 401,
                "UNAUTHENTICATED");
    }

    @Test
    void anAccountKeyCannotCallOperatorEndpoints() {
        TestAccount account = api.createAccount("not an operator");

        assertProblem(api.get("/api/v1/accounts", account.apiKey()), 403, "FORBIDDEN");
        assertProblem(api.get("/api/v1/accounts/" + account.id(), account.apiKey()), 403, "FORBIDDEN");
        assertProblem(api.post("/api/v1/accounts/" + account.id() + "/credits", account.apiKey(),
                Map.of("amount", TestApi.money("1000.00"), "reference", "self-service")), 403, "FORBIDDEN");
        assertProblem(api.post("/api/v1/admin/lifecycle/run", account.apiKey(), Map.of()), 403, "FORBIDDEN");
        assertProblem(api.get("/api/v1/admin/clock", account.apiKey()), 403, "FORBIDDEN");
        assertProblem(api.post("/api/v1/traffic-usage", account.apiKey(), Map.of()), 403, "FORBIDDEN");
        assertProblem(api.post("/api/v1/bandwidth-samples", account.apiKey(), Map.of()), 403, "FORBIDDEN");
        assertThat(api.balance(account)).isEqualTo("0.00");
    }

    @Test
    void theOperatorKeyCannotCallAccountEndpoints() {
        assertProblem(api.get("/api/v1/account", api.operator()), 403, "FORBIDDEN");
        assertProblem(api.get("/api/v1/bills?month=2026-11", api.operator()), 403, "FORBIDDEN");
    }

    @Test
    void theOperatorMayReadBothCatalogsAndNothingElseOfTheAccounts() {
        TestApi.Response traffic = api.get("/api/v1/traffic-packages/catalog", api.operator());
        TestApi.Response bandwidth = api.get("/api/v1/bandwidth-plans/catalog", api.operator());

        assertThat(traffic.status()).as(traffic.toString()).isEqualTo(200);
        assertThat(traffic.text("/types/0/prices/0/price/amount")).isNotBlank();
        assertThat(bandwidth.status()).as(bandwidth.toString()).isEqualTo(200);
        assertThat(bandwidth.text("/prices/subscriptionPerMbpsMonth/amount")).isNotBlank();
        TestAccount account = api.createAccount("catalog reader");
        assertThat(api.get("/api/v1/traffic-packages/catalog", account.apiKey()).raw()).isEqualTo(traffic.raw());
        assertThat(api.get("/api/v1/bandwidth-plans/catalog", account.apiKey()).raw()).isEqualTo(bandwidth.raw());
        assertProblem(api.get("/api/v1/traffic-packages", api.operator()), 403, "FORBIDDEN");
        assertProblem(api.get("/api/v1/bandwidth-plans", api.operator()), 403, "FORBIDDEN");
        assertProblem(api.get("/api/v1/traffic-packages/catalog", null), 401, "UNAUTHENTICATED");
    }

    @Test
    void documentationAndHealthArePublic() {
        assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
        assertThat(api.get("/actuator/health", null).text("/status")).isEqualTo("UP");
        assertThat(api.get("/v3/api-docs", null).status()).isEqualTo(200);
        TestApi.Response ui = api.get("/swagger-ui/index.html", null);
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.raw()).contains("Swagger UI");
        assertThat(api.get("/swagger-ui.html", null).status()).isIn(200, 302);
    }

    @Test
    void actuatorEndpointsBeyondHealthAreTheOperatorsOnly() {
        TestAccount account = api.createAccount("no metrics");

        assertProblem(api.get("/actuator/metrics", null), 401, "UNAUTHENTICATED");
        assertProblem(api.get("/actuator/prometheus", null), 401, "UNAUTHENTICATED");
        assertProblem(api.get("/actuator/metrics", account.apiKey()), 403, "FORBIDDEN");
        assertProblem(api.get("/actuator/prometheus", account.apiKey()), 403, "FORBIDDEN");
        assertThat(api.get("/actuator/metrics", api.operator()).status()).isEqualTo(200);
    }

}
