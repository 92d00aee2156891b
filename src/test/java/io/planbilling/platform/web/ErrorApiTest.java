package io.planbilling.platform.web;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every framework error is a problem with a stable code; nothing malformed reaches a 500
 * or a stack trace.
 */
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
        assertProblem(api.request("POST", "/api/v1/accounts")
            .key(api.operator())
            .header("Content-Type", "application/json")
            .send(), 400, "MALFORMED_REQUEST");
    }

    @Test
    void unknownFieldsAreRejectedByName() {
        Response response = assertProblem(createAccount("{\"name\": \"Acme\", \"nmae\": \"typo\"}"), 400,
                "VALIDATION_FAILED");

        assertThat(response.text("/errors/0/field")).isEqualTo("nmae");
        assertThat(response.text("/errors/0/message")).isEqualTo("unknown field");
    }

    /**
     * A closed set is refused alike wherever it is: the allowed values, in the API's
     * words.
     */
    @Test
    void aValueOutsideAClosedSetNamesTheAllowedValues() {
        TestAccount account = api.createAccount("closed sets");

        Response bodyEnum = assertProblem(api.post("/api/v1/traffic-packages", account.apiKey(),
                Map.of("type", "DEVICE_1_FLOW_20G", "region", "MARS")), 400, "VALIDATION_FAILED");
        Response numberForEnum = assertProblem(api.request("POST", "/api/v1/traffic-packages")
            .key(account.apiKey())
            .raw("{\"type\": 3, \"region\": \"GUANGZHOU\"}", "application/json")
            .send(), 400, "VALIDATION_FAILED");
        Response queryEnum = assertProblem(api.get("/api/v1/bandwidth-plans?status=GONE", account.apiKey()), 400,
                "VALIDATION_FAILED");
        Response configured = assertProblem(
                api.post("/api/v1/office-networks", account.apiKey(), Map.of("name", "office", "region", "mars-1")),
                400, "VALIDATION_FAILED");
        Response eventType = assertProblem(api.post("/api/v1/webhook-endpoints", account.apiKey(),
                Map.of("url", "http://127.0.0.1:9/hook", "eventTypes", java.util.List.of("*", "nothing.happened"))),
                400, "VALIDATION_FAILED");

        assertThat(bodyEnum.text("/errors/0/field")).isEqualTo("region");
        assertThat(bodyEnum.text("/errors/0/message")).isEqualTo("must be one of GUANGZHOU, SILICON_VALLEY");
        assertThat(numberForEnum.text("/errors/0/field")).isEqualTo("type");
        assertThat(numberForEnum.text("/errors/0/message"))
            .isEqualTo("must be one of DEVICE_1_FLOW_20G, DEVICE_2_FLOW_50G, DEVICE_3_FLOW_100G, DEVICE_5_FLOW_500G");
        assertThat(queryEnum.text("/errors/0/field")).isEqualTo("status");
        assertThat(queryEnum.text("/errors/0/message")).startsWith("must be one of NOT_ASSOCIATED, ");
        assertThat(configured.text("/errors/0/message"))
            .isEqualTo("must be one of cn-hangzhou, cn-shanghai, cn-shenzhen, ap-southeast-1");
        assertThat(eventType.text("/errors/0/field")).isEqualTo("eventTypes[1]");
        assertThat(eventType.text("/errors/0/message")).startsWith("must be one of *, traffic_package.purchased, ");
    }

    @Test
    void wrongTypesSayWhatIsExpectedInTheApisWords() {
        TestAccount account = api.createAccount("wrong types");

        Response uuid = assertProblem(api.get("/api/v1/devices/not-a-uuid", account.apiKey()), 400,
                "VALIDATION_FAILED");
        Response instant = assertProblem(api.get(
                "/api/v1/devices/" + java.util.UUID.randomUUID() + "/usage?from=yesterday&to=2026-12-01T00:00:00Z",
                account.apiKey()), 400, "VALIDATION_FAILED");

        assertThat(uuid.text("/errors/0/message")).isEqualTo("must be a UUID");
        assertThat(instant.text("/errors/0/field")).isEqualTo("from");
        assertThat(instant.text("/errors/0/message"))
            .isEqualTo("must be an ISO-8601 instant such as 2026-11-22T08:30:00Z");
    }

    @Test
    void wrongTypesNameTheField() {
        TestAccount account = api.createAccount("types");

        Response response = assertProblem(api.request("POST", "/api/v1/accounts/" + account.id() + "/credits")
            .key(api.operator())
            .raw("{\"amount\": [1], \"reference\": \"r\"}", "application/json")
            .send(), 400, "VALIDATION_FAILED");

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
        assertProblem(api.request("POST", "/api/v1/accounts")
            .key(api.operator())
            .raw("<name>x</name>", "application/xml")
            .send(), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void unacceptableResponseTypesAreRefused() {
        Response response = api.request("GET", "/api/v1/accounts")
            .key(api.operator())
            .header("Accept", "text/csv")
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
