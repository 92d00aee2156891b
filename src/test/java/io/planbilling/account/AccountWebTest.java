package io.planbilling.account;

import static io.planbilling.testing.WebSlice.assertProblem;
import static io.planbilling.testing.WebSlice.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;

import io.planbilling.testing.WebSlice;
import io.planbilling.testing.WebSliceTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

/**
 * The account module's requests refused by the web layer (a web slice): the problem, its
 * code and the fields it names; the facades are never called.
 */
@WebSliceTest({ AccountAdminController.class, AccountSelfController.class, AlertSettingsController.class })
class AccountWebTest {

    private static final String ACCOUNT = "/api/v1/accounts/00000000-0000-4000-8000-000000000001";

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    Accounts accounts;

    @MockitoBean
    Bills bills;

    @MockitoBean
    AlertSettingsService alerts;

    @AfterEach
    void nothingReachedTheFacades() {
        verifyNoInteractions(accounts, bills, alerts);
    }

    private MvcTestResult post(String path, String json) {
        return mvc.post()
            .uri(path)
            .with(WebSlice.operator())
            .contentType(MediaType.APPLICATION_JSON)
            .content(json)
            .exchange();
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"name\": ", "{name: 'x'}", "not json at all", "[1, 2]", "\"text\"", "42" })
    void malformedJsonIsAMalformedRequest(String body) {
        assertProblem(post("/api/v1/accounts", body), 400, "MALFORMED_REQUEST");
    }

    @Test
    void aMissingBodyIsAMalformedRequest() {
        assertProblem(mvc.post()
            .uri("/api/v1/accounts")
            .with(WebSlice.operator())
            .contentType(MediaType.APPLICATION_JSON)
            .exchange(), 400, "MALFORMED_REQUEST");
    }

    @Test
    void anUnknownFieldIsRefusedByName() {
        JsonNode problem = assertProblem(post("/api/v1/accounts", "{\"name\": \"Acme\", \"nmae\": \"typo\"}"), 400,
                "VALIDATION_FAILED", "nmae");

        assertThat(message(problem)).isEqualTo("unknown field");
    }

    @ParameterizedTest
    @ValueSource(strings = { "{}", "null", "{\"name\": null}", "{\"name\": \"  \"}" })
    void aMissingNameIsNamed(String body) {
        if (body.equals("null")) {
            assertProblem(post("/api/v1/accounts", body), 400, "MALFORMED_REQUEST");
            return;
        }
        assertProblem(post("/api/v1/accounts", body), 400, "VALIDATION_FAILED", "name");
    }

    @Test
    void anOversizedNameIsNamed() {
        assertProblem(post("/api/v1/accounts", "{\"name\": \"" + "x".repeat(201) + "\"}"), 400, "VALIDATION_FAILED",
                "name");
    }

    @Test
    void wrongJsonTypesNameTheFieldInTheApisWords() {
        JsonNode object = assertProblem(post("/api/v1/accounts", "{\"name\": {\"first\": \"x\"}}"), 400,
                "VALIDATION_FAILED", "name");
        JsonNode number = assertProblem(post("/api/v1/accounts", "{\"name\": 42}"), 400, "VALIDATION_FAILED", "name");
        assertProblem(post("/api/v1/accounts", "{\"name\": true}"), 400, "VALIDATION_FAILED", "name");
        JsonNode array = assertProblem(post(ACCOUNT + "/credits", "{\"amount\": [1], \"reference\": \"r\"}"), 400,
                "VALIDATION_FAILED", "amount");

        assertThat(message(object)).isEqualTo("must be a string");
        assertThat(message(number)).isEqualTo("must be a string");
        assertThat(message(array)).isEqualTo("must be an object");
    }

    @Test
    void aCreditNamesEveryMissingOrMalformedMember() {
        assertProblem(post(ACCOUNT + "/credits", "{\"amount\": {\"amount\": \"1.005\", \"currency\": \"cny\"}}"), 400,
                "VALIDATION_FAILED", "amount.amount", "amount.currency", "reference");
        assertProblem(post(ACCOUNT + "/credits", "{\"reference\": \"r\"}"), 400, "VALIDATION_FAILED", "amount");
    }

    @Test
    void aMalformedUuidInThePathIsNamed() {
        JsonNode problem = assertProblem(
                mvc.get().uri("/api/v1/accounts/not-a-uuid").with(WebSlice.operator()).exchange(), 400,
                "VALIDATION_FAILED", "id");
        assertProblem(post("/api/v1/accounts/42/credits", "{}"), 400, "VALIDATION_FAILED", "id");

        assertThat(message(problem)).isEqualTo("must be a UUID");
    }

    @ParameterizedTest
    @ValueSource(
            strings = { "page=-1", "page=10000001", "page=758385211", "page=first", "size=0", "size=201", "size=1.5" })
    void pagingOutsideItsBoundsIsNamed(String query) {
        String field = query.substring(0, query.indexOf('='));

        assertProblem(mvc.get().uri("/api/v1/accounts?" + query).with(WebSlice.operator()).exchange(), 400,
                "VALIDATION_FAILED", field);
        assertProblem(mvc.get().uri(ACCOUNT + "/ledger?" + query).with(WebSlice.operator()).exchange(), 400,
                "VALIDATION_FAILED", field);
        assertProblem(mvc.get().uri("/api/v1/account/ledger?" + query).with(WebSlice.account()).exchange(), 400,
                "VALIDATION_FAILED", field);
    }

    @Test
    void aBillNeedsAMonthOfTheRightShape() {
        JsonNode missing = assertProblem(mvc.get().uri("/api/v1/bills").with(WebSlice.account()).exchange(), 400,
                "VALIDATION_FAILED", "month");
        JsonNode malformed = assertProblem(
                mvc.get().uri("/api/v1/bills?month=2026-13").with(WebSlice.account()).exchange(), 400,
                "VALIDATION_FAILED", "month");

        assertProblem(mvc.get().uri("/api/v1/bills?month=november").with(WebSlice.account()).exchange(), 400,
                "VALIDATION_FAILED", "month");

        assertThat(message(missing)).isEqualTo("is required");
        assertThat(message(malformed)).isEqualTo("must be a year and month such as 2026-11");
    }

    @Test
    void alertSettingsNameEveryBadMember() {
        JsonNode problem = assertProblem(
                mvc.put()
                    .uri("/api/v1/alert-settings")
                    .with(WebSlice.account())
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(
                            """
                                    {"trafficUsageThresholds": [0, 80, 80], "expiryReminderDays": null,
                                     "lowBalanceThreshold": {"amount": "-1", "currency": "USD"}, "postpaidMonthlyThreshold": null}
                                    """)
                    .exchange(),
                400, "VALIDATION_FAILED", "trafficUsageThresholds[0]", "trafficUsageThresholds[2]",
                "expiryReminderDays", "lowBalanceThreshold.amount", "lowBalanceThreshold.currency");

        assertThat(problem.path("detail").asString())
            .isEqualTo("The alert settings have 5 invalid values; nothing was changed.");
    }

    @Test
    void alertSettingsRefuseANumberGivenAsAString() {
        assertProblem(mvc.put()
            .uri("/api/v1/alert-settings")
            .with(WebSlice.account())
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"trafficUsageThresholds\": [\"80\"], \"expiryReminderDays\": []}")
            .exchange(), 400, "VALIDATION_FAILED", "trafficUsageThresholds[0]");
    }

    @ParameterizedTest
    @ValueSource(strings = { "-1.00", "1.234", "abc", "1e3", "", "1,00", "0000000000001.00" })
    void aCreditAmountIsADecimalStringWithAtMostTwoPlaces(String amount) {
        JsonNode problem = assertProblem(
                post(ACCOUNT + "/credits",
                        "{\"amount\": {\"amount\": \"" + amount + "\", \"currency\": \"CNY\"}, \"reference\": \"r\"}"),
                400, "VALIDATION_FAILED", "amount.amount");

        assertThat(message(problem)).isEqualTo(AccountAdminController.MoneyInput.AMOUNT_RULE);
    }

    @Test
    void aCreditAmountIsAnObjectAndItsReferenceAtMost128Characters() {
        assertProblem(post(ACCOUNT + "/credits", "{\"amount\": 12.5, \"reference\": \"r\"}"), 400, "VALIDATION_FAILED",
                "amount");
        assertProblem(post(ACCOUNT + "/credits",
                "{\"amount\": {\"amount\": \"1.00\", \"currency\": \"CNY\"}, \"reference\": \"" + "r".repeat(129)
                        + "\"}"),
                400, "VALIDATION_FAILED", "reference");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"trafficUsageThresholds\": [80], \"expiryReminderDays\": [7], \"smsNumber\": \"+86\"}|smsNumber|unknown field",
            "{\"trafficUsageThresholds\": [80], \"expiryReminderDays\": [7], \"lowBalanceThreshold\": {\"amount\": \"5.00\", \"currency\": \"CNY\", \"cents\": 500}}|lowBalanceThreshold.cents|unknown field",
            "{\"trafficUsageThresholds\": [80], \"expiryReminderDays\": [1.5]}|expiryReminderDays[0]|must be a whole number",
            "{\"trafficUsageThresholds\": [80, null], \"expiryReminderDays\": [7]}|trafficUsageThresholds[1]|must be a whole number from 1 to 100",
            "{\"trafficUsageThresholds\": 80, \"expiryReminderDays\": [7]}|trafficUsageThresholds|must be an array" })
    void alertSettingsRefuseAnUnknownOrMistypedMember(String body, String field, String expected) {
        JsonNode problem = assertProblem(mvc.put()
            .uri("/api/v1/alert-settings")
            .with(WebSlice.account())
            .contentType(MediaType.APPLICATION_JSON)
            .content(body)
            .exchange(), 400, "VALIDATION_FAILED", field);

        assertThat(message(problem)).isEqualTo(expected);
    }

    @Test
    void alertSettingsNeedBothLists() {
        assertProblem(mvc.put()
            .uri("/api/v1/alert-settings")
            .with(WebSlice.account())
            .contentType(MediaType.APPLICATION_JSON)
            .content("{}")
            .exchange(), 400, "VALIDATION_FAILED", "trafficUsageThresholds", "expiryReminderDays");
    }

    @Test
    void alertSettingsAreTheAccountsOwn() {
        assertProblem(mvc.get().uri("/api/v1/alert-settings").with(WebSlice.operator()).exchange(), 403, "FORBIDDEN");
        assertProblem(mvc.put()
            .uri("/api/v1/alert-settings")
            .with(WebSlice.operator())
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"trafficUsageThresholds\": [80], \"expiryReminderDays\": [7]}")
            .exchange(), 403, "FORBIDDEN");
        assertProblem(mvc.get().uri("/api/v1/alert-settings").exchange(), 401, "UNAUTHENTICATED");
    }

    @Test
    void problemsCarryTheCallersRequestIdBesideTheHeader() {
        MvcTestResult refused = mvc.get().uri("/api/v1/account").header("X-Request-Id", "req-401").exchange();
        MvcTestResult missing = mvc.get()
            .uri("/api/v1/no-such-route")
            .with(WebSlice.account())
            .header("X-Request-Id", "req-404")
            .exchange();

        assertThat(assertProblem(refused, 401, "UNAUTHENTICATED").path("requestId").asString()).isEqualTo("req-401");
        assertThat(assertProblem(missing, 404, "NOT_FOUND").path("requestId").asString()).isEqualTo("req-404");
    }

    @Test
    void anUnknownRouteIsNotFound() {
        assertProblem(mvc.get().uri("/api/v1/no-such-thing").with(WebSlice.account()).exchange(), 404, "NOT_FOUND");
        assertProblem(mvc.get().uri("/no-such-page").with(WebSlice.account()).exchange(), 404, "NOT_FOUND");
    }

    @Test
    void aBodyThatIsNotJsonIsAnUnsupportedMediaType() {
        assertProblem(mvc.post()
            .uri("/api/v1/accounts")
            .with(WebSlice.operator())
            .contentType(MediaType.TEXT_PLAIN)
            .content("name=x")
            .exchange(), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(mvc.post()
            .uri("/api/v1/accounts")
            .with(WebSlice.operator())
            .contentType(MediaType.APPLICATION_XML)
            .content("<name>x</name>")
            .exchange(), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @ParameterizedTest
    @ValueSource(strings = { "text/csv", "application/xml, text/html", "application/json;q=0", "not a media type" })
    void anAcceptWithoutJsonIsRefusedBeforeTheControllerRuns(String accept) {
        assertProblem(mvc.post()
            .uri("/api/v1/accounts")
            .with(WebSlice.operator())
            .header("Accept", accept)
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"name\": \"Acme\"}")
            .exchange(), 406, "NOT_ACCEPTABLE");
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsRead() {
        String name = "x".repeat(4 * 1024 * 1024);

        assertProblem(post("/api/v1/accounts", "{\"name\": \"" + name + "\"}"), 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void aWrongMethodIsNotAllowedAndNamesTheAllowedOnes() {
        MvcTestResult result = mvc.delete().uri("/api/v1/accounts").with(WebSlice.operator()).exchange();

        assertProblem(result, 405, "METHOD_NOT_ALLOWED");
        assertThat(result.getResponse().getHeader("Allow")).contains("GET", "POST");
    }

    @Test
    void withoutAKeyTheCallerIsUnauthenticated() {
        MvcTestResult result = mvc.get().uri("/api/v1/accounts").exchange();

        assertProblem(result, 401, "UNAUTHENTICATED");
        assertThat(result.getResponse().getHeader("WWW-Authenticate")).isEqualTo("Bearer");
        assertProblem(mvc.get().uri("/api/v1/account").with(WebSlice.bearer("unknown")).exchange(), 401,
                "UNAUTHENTICATED");
    }

    @Test
    void anAccountKeyMayNotCallTheOperatorsRoutesNorTheOperatorAnAccountsOwn() {
        assertProblem(mvc.get().uri("/api/v1/accounts").with(WebSlice.account()).exchange(), 403, "FORBIDDEN");
        assertProblem(mvc.get().uri("/api/v1/account").with(WebSlice.operator()).exchange(), 403, "FORBIDDEN");
    }

}
