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
 * Refusals that need the whole service. Every framework error as a problem with a stable
 * code (malformed JSON, unknown fields, wrong types, missing parameters, bad ids, paging
 * bounds, unknown routes, 405, 406, 413, 415) is proven by the web slices of each module
 * ({@code AccountWebTest}, {@code TrafficWebTest} …) and, over every operation, by
 * {@code OpenApiFuzzApiTest}.
 */
@ApiTest
class ErrorApiTest {

    @Autowired
    TestApi api;

    /**
     * A closed set that the facades check (the configured bandwidth regions, the event
     * catalogue) is refused like the enums the web layer checks (the web slices: {@code
     * TrafficWebTest}, {@code BandwidthWebTest}): the allowed values, in the API's words.
     */
    @Test
    void aValueOutsideAConfiguredOrCataloguedSetNamesTheAllowedValues() {
        TestAccount account = api.createAccount("closed sets");

        Response configured = assertProblem(
                api.post("/api/v1/office-networks", account.apiKey(), Map.of("name", "office", "region", "mars-1")),
                400, "VALIDATION_FAILED");
        Response eventType = assertProblem(api.post("/api/v1/webhook-endpoints", account.apiKey(),
                Map.of("url", "http://127.0.0.1:9/hook", "eventTypes", java.util.List.of("*", "nothing.happened"))),
                400, "VALIDATION_FAILED");

        assertThat(configured.text("/errors/0/field")).isEqualTo("region");
        assertThat(configured.text("/errors/0/message"))
            .isEqualTo("must be one of cn-hangzhou, cn-shanghai, cn-shenzhen, ap-southeast-1");
        assertThat(eventType.text("/errors/0/field")).isEqualTo("eventTypes[1]");
        assertThat(eventType.text("/errors/0/message")).startsWith("must be one of *, traffic_package.purchased, ");
    }

}
