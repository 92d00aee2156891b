package io.planbilling.platform.web;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An {@code Accept} the service cannot satisfy is refused before the request does
 * anything (found by the fuzz test: the device was created, then the answer was an empty
 * 406).
 */
@ApiTest
class AcceptHeaderApiTest {

    @Autowired
    TestApi api;

    @Test
    void acceptsWildcardsAndJsonAmongOthers() {
        TestApi.TestAccount account = api.createAccount("Accept json");

        int wildcard = api.request("GET", "/api/v1/account")
            .key(account.apiKey())
            .header("Accept", "*/*")
            .send()
            .status();
        int listed = api.request("GET", "/api/v1/account")
            .key(account.apiKey())
            .header("Accept", "text/html, application/json;q=0.5")
            .send()
            .status();

        assertThat(wildcard).isEqualTo(200);
        assertThat(listed).isEqualTo(200);
    }

    /**
     * Found by the fuzz test through the contract check: a catalog was sent labelled
     * application/problem+json.
     */
    @Test
    void answersSuccessAsJsonEvenWhenProblemJsonIsAcceptedFirst() {
        TestApi.TestAccount account = api.createAccount("Accept problem json");

        TestApi.Response first = api.request("GET", "/api/v1/traffic-packages/catalog")
            .key(account.apiKey())
            .header("Accept", "application/problem+json, application/json")
            .send();
        TestApi.Response only = api.request("GET", "/api/v1/traffic-packages/catalog")
            .key(account.apiKey())
            .header("Accept", "application/problem+json")
            .send();
        TestApi.Response problem = api.request("GET", "/api/v1/devices/not-a-uuid")
            .key(account.apiKey())
            .header("Accept", "application/problem+json, application/json")
            .send();

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.contentType()).startsWith("application/json");
        assertThat(only.contentType()).startsWith("application/json");
        assertProblem(problem, 400, "VALIDATION_FAILED");
    }

}
