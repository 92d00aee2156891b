package io.planbilling.shared.web;

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
        assertProblem(api.request("GET", "/api/v1/account").header("Authorization", "Basic dXNlcjpwYXNz").send(),
                401, "UNAUTHENTICATED");
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
    void actuatorEndpointsBeyondHealthNeedAKey() {
        assertProblem(api.get("/actuator/metrics", null), 401, "UNAUTHENTICATED");
    }
}
