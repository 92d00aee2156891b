package io.planbilling.platform.openapi;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The string limits the OpenAPI document declares for the security lint are the ones the
 * service enforces.
 */
@ApiTest
class DocumentedLimitsApiTest {

    @Autowired
    TestApi api;

    @Test
    void refusesAnOfficeNetworkRegionLongerThan64Characters() {
        TestApi.TestAccount account = api.createAccount("Long region");

        TestApi.Response response = api.post("/api/v1/office-networks", account.apiKey(),
                Map.of("name", "office", "region", "r".repeat(65)));

        assertProblem(response, 400, "VALIDATION_FAILED");
        assertThat(response.text("/errors/0/field")).isEqualTo("region");
    }

    @Test
    void refusesABandwidthPlanRegionLongerThan64Characters() {
        TestApi.TestAccount account = api.createAccount("Long plan region");

        TestApi.Response response = api.post("/api/v1/bandwidth-plans", account.apiKey(),
                Map.of("region", "r".repeat(65), "paymentType", "PAY_AS_YOU_GO", "chargeType", "PAY_BY_BANDWIDTH",
                        "peakBandwidthMbps", 5));

        assertProblem(response, 400, "VALIDATION_FAILED");
        assertThat(response.text("/errors/0/field")).isEqualTo("region");
    }

    @Test
    void refusesAClockAdvanceLongerThan64Characters() {
        // a zero period: harmless to the shared test clock even if it were accepted
        TestApi.Response response = api.post("/api/v1/admin/clock", api.operator(),
                Map.of("advance", "P" + "0".repeat(70) + "D"));

        assertProblem(response, 400, "VALIDATION_FAILED");
        assertThat(response.text("/errors/0/field")).isEqualTo("advance");
    }

    @Test
    void acceptsABillMonthUpToTheParsersFourteenCharactersAndNoMore() {
        TestApi.TestAccount account = api.createAccount("Bill month");

        TestApi.Response longest = api.get("/api/v1/bills?month=%2B0000002026-11", account.apiKey());
        TestApi.Response tooLong = api.get("/api/v1/bills?month=%2B00000002026-11", account.apiKey());

        assertThat(longest.status()).isEqualTo(200);
        assertProblem(tooLong, 400, "VALIDATION_FAILED");
    }

}
