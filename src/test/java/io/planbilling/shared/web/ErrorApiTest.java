package io.planbilling.shared.web;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every framework error is a problem with a stable code; nothing malformed reaches a 500 or a stack trace. */
@ApiTest
class ErrorApiTest {

    @Autowired
    TestApi api;

    private Response createAccount(String body) {
        return api.request("POST", "/api/v1/accounts").key(api.operator()).raw(body, "application/json").send();
    }

    @Test
    void malformedJsonIsAMalformedRequest() {
        assertProblem(createAccount("{\"name\": "), 400, "MALFORMED_REQUEST");
        assertProblem(createAccount("{name: 'x'}"), 400, "MALFORMED_REQUEST");
        assertProblem(createAccount("not json at all"), 400, "MALFORMED_REQUEST");
        assertProblem(createAccount("[1, 2]"), 400, "MALFORMED_REQUEST");
    }

    @Test
    void aMissingBodyIsAMalformedRequest() {
        assertProblem(api.request("POST", "/api/v1/accounts").key(api.operator())
                .header("Content-Type", "application/json").send(), 400, "MALFORMED_REQUEST");
    }

    @Test
    void unknownFieldsAreRejectedByName() {
        Response response = assertProblem(createAccount("{\"name\": \"Acme\", \"nmae\": \"typo\"}"), 400,
                "VALIDATION_FAILED");

        assertThat(response.text("/errors/0/field")).isEqualTo("nmae");
        assertThat(response.text("/errors/0/message")).isEqualTo("unknown field");
    }

    @Test
    void wrongTypesNameTheField() {
        TestAccount account = api.createAccount("types");

        Response response = assertProblem(api.request("POST", "/api/v1/accounts/" + account.id() + "/credits")
                .key(api.operator()).raw("{\"amount\": [1], \"reference\": \"r\"}", "application/json").send(), 400,
                "VALIDATION_FAILED");

        assertThat(response.text("/errors/0/field")).isEqualTo("amount");
        assertProblem(createAccount("{\"name\": {\"first\": \"x\"}}"), 400, "VALIDATION_FAILED");
    }

    @Test
    void badUuidsInPathsAreValidationErrors() {
        Response response = assertProblem(api.get("/api/v1/accounts/not-a-uuid", api.operator()), 400,
                "VALIDATION_FAILED");

        assertThat(response.text("/errors/0/field")).isEqualTo("id");
    }

    @Test
    void missingAndMistypedParametersAreValidationErrors() {
        TestAccount account = api.createAccount("params");

        Response missing = assertProblem(api.get("/api/v1/bills", account.apiKey()), 400, "VALIDATION_FAILED");
        assertThat(missing.text("/errors/0/field")).isEqualTo("month");
        assertProblem(api.get("/api/v1/accounts?page=first", api.operator()), 400, "VALIDATION_FAILED");
    }

    @Test
    void unknownRoutesAreNotFound() {
        TestAccount account = api.createAccount("routes");

        assertProblem(api.get("/api/v1/no-such-thing", account.apiKey()), 404, "NOT_FOUND");
        assertProblem(api.get("/no-such-page", account.apiKey()), 404, "NOT_FOUND");
    }

    @Test
    void wrongMethodsAreNotAllowed() {
        Response response = assertProblem(api.delete("/api/v1/accounts", api.operator()), 405, "METHOD_NOT_ALLOWED");

        assertThat(response.header("Allow")).isPresent();
    }

    @Test
    void unsupportedMediaTypesAreRefused() {
        assertProblem(api.request("POST", "/api/v1/accounts").key(api.operator()).raw("name=x", "text/plain").send(),
                415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(api.request("POST", "/api/v1/accounts").key(api.operator())
                .raw("<name>x</name>", "application/xml").send(), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void unacceptableResponseTypesAreRefused() {
        Response response = api.request("GET", "/api/v1/accounts").key(api.operator()).header("Accept", "text/csv")
                .send();

        assertThat(response.status()).isEqualTo(406);
    }

    @Test
    void oversizedStringsAreValidationErrors() {
        Response response = assertProblem(createAccount("{\"name\": \"" + "x".repeat(100_000) + "\"}"), 400,
                "VALIDATION_FAILED");

        assertThat(response.text("/errors/0/field")).isEqualTo("name");
    }

    @Test
    void nullsAndWrongShapesNeverReachA500() {
        for (String body : new String[] { "null", "{}", "{\"name\": null}", "\"text\"", "42", "{\"name\": true}" }) {
            Response response = createAccount(body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertProblem(response, 400, response.code());
        }
    }
}
