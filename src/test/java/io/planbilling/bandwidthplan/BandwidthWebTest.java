package io.planbilling.bandwidthplan;

import static io.planbilling.testing.WebSlice.assertProblem;
import static io.planbilling.testing.WebSlice.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;

import io.planbilling.shared.Previews;
import io.planbilling.testing.WebSlice;
import io.planbilling.testing.WebSliceTest;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

/**
 * The bandwidth module's requests refused by the web layer (a web slice): plans, office
 * networks and cloud phones, speed-limit rules and samples; the problem, its code and the
 * fields it names. The facades are never called. (Configured regions are checked by the
 * facade and proven by the HTTP tests.)
 */
@WebSliceTest({ BandwidthPlanController.class, OfficeNetworkController.class, SpeedLimitRuleController.class,
        BandwidthSampleController.class })
class BandwidthWebTest {

    private static final String PLAN = "/api/v1/bandwidth-plans/" + UUID.randomUUID();

    private static final String RULES = PLAN + "/speed-limit-rules";

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    BandwidthPlans plans;

    @MockitoBean
    BandwidthSamples samples;

    @MockitoBean
    OfficeNetworks networks;

    @MockitoBean
    SpeedLimitRules rules;

    @MockitoBean
    Previews previews;

    /**
     * The configured regions and peaks the controllers read, as the service binds them.
     */
    @TestConfiguration
    @EnableConfigurationProperties(BandwidthSettings.class)
    static class Settings {

    }

    @AfterEach
    void nothingReachedTheFacades() {
        verifyNoInteractions(plans, samples, networks, rules, previews);
    }

    private MvcTestResult send(String method, String path, String json) {
        return mvc.method(HttpMethod.valueOf(method))
            .uri(path)
            .with(WebSlice.account())
            .contentType(MediaType.APPLICATION_JSON)
            .content(json)
            .exchange();
    }

    private MvcTestResult get(String path) {
        return mvc.get().uri(path).with(WebSlice.account()).exchange();
    }

    @Test
    void aPurchaseNamesEveryMissingMember() {
        assertProblem(send("POST", "/api/v1/bandwidth-plans", "{}"), 400, "VALIDATION_FAILED", "region", "paymentType",
                "peakBandwidthMbps");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"region\": \"cn-shanghai\", \"paymentType\": \"LATER\", \"peakBandwidthMbps\": 20}|paymentType|must be one of",
            "{\"region\": \"cn-shanghai\", \"paymentType\": \"PAY_AS_YOU_GO\", \"chargeType\": \"FREE\", \"peakBandwidthMbps\": 20}|chargeType|must be one of",
            "{\"region\": \"cn-shanghai\", \"paymentType\": \"SUBSCRIPTION\", \"duration\": {\"unit\": \"DAY\", \"count\": 1}, \"peakBandwidthMbps\": 20}|duration.unit|must be one of WEEK, MONTH, YEAR",
            "{\"region\": \"cn-shanghai\", \"paymentType\": \"SUBSCRIPTION\", \"duration\": {\"unit\": \"MONTH\"}, \"peakBandwidthMbps\": 20}|duration.count|must not be null",
            "{\"region\": \"cn-shanghai\", \"paymentType\": \"SUBSCRIPTION\", \"peakBandwidthMbps\": 20.5}|peakBandwidthMbps|must be a whole number",
            "{\"region\": \"cn-shanghai\", \"paymentType\": \"SUBSCRIPTION\", \"peakBandwidthMbps\": \"20\"}|peakBandwidthMbps|must be a whole number",
            "{\"region\": \"cn-shanghai\", \"paymentType\": \"SUBSCRIPTION\", \"peakBandwidthMbps\": 20, \"officeNetworkId\": \"office-1\"}|officeNetworkId|must be a UUID",
            "{\"region\": \"" + "cn-shanghai-cn-shanghai-cn-shanghai-cn-shanghai-cn-shanghai-cn-shanghai"
                    + "\", \"paymentType\": \"SUBSCRIPTION\", \"peakBandwidthMbps\": 20}|region|size must be between 0 and 64" })
    void aPurchaseNamesItsBadMemberInTheApisWords(String body, String field, String expected) {
        JsonNode problem = assertProblem(send("POST", "/api/v1/bandwidth-plans", body), 400, "VALIDATION_FAILED",
                field);

        assertThat(message(problem)).startsWith(expected);
    }

    @Test
    void aStatusFilterOutsideTheClosedSetNamesTheAllowedValues() {
        JsonNode problem = assertProblem(get("/api/v1/bandwidth-plans?status=GONE"), 400, "VALIDATION_FAILED",
                "status");

        assertThat(message(problem)).startsWith("must be one of NOT_ASSOCIATED, ");
    }

    @ParameterizedTest
    @ValueSource(strings = { "page=-1", "page=10000001", "size=0", "size=201", "size=x" })
    void pagingOutsideItsBoundsIsNamed(String query) {
        String field = query.substring(0, query.indexOf('='));

        assertProblem(get("/api/v1/bandwidth-plans?" + query), 400, "VALIDATION_FAILED", field);
        assertProblem(get("/api/v1/office-networks?" + query), 400, "VALIDATION_FAILED", field);
        assertProblem(get("/api/v1/cloud-phones?" + query), 400, "VALIDATION_FAILED", field);
        assertProblem(get(RULES + "?" + query), 400, "VALIDATION_FAILED", field);
    }

    @ParameterizedTest
    @ValueSource(strings = { "GET /api/v1/bandwidth-plans/x", "DELETE /api/v1/bandwidth-plans/x",
            "DELETE /api/v1/bandwidth-plans/x/office-network", "POST /api/v1/bandwidth-plans/x/unsubscribe",
            "GET /api/v1/bandwidth-plans/x/monitoring", "GET /api/v1/office-networks/x", "GET /api/v1/cloud-phones/x" })
    void aMalformedIdInThePathIsNamed(String request) {
        String[] parts = request.split(" ");

        JsonNode problem = assertProblem(
                mvc.method(HttpMethod.valueOf(parts[0])).uri(parts[1]).with(WebSlice.account()).exchange(), 400,
                "VALIDATION_FAILED", "id");

        assertThat(message(problem)).isEqualTo("must be a UUID");
    }

    @Test
    void aMalformedPlanOrRuleIdInARulePathIsNamed() {
        assertProblem(get("/api/v1/bandwidth-plans/x/speed-limit-rules"), 400, "VALIDATION_FAILED", "planId");
        assertProblem(get(RULES + "/x"), 400, "VALIDATION_FAILED", "ruleId");
        assertProblem(send("PUT", RULES + "/x/cloud-phones", "{\"cloudPhoneIds\": []}"), 400, "VALIDATION_FAILED",
                "ruleId");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|',
            value = { "/office-network|{}|officeNetworkId", "/office-network|{\"officeNetworkId\": 7}|officeNetworkId",
                    "/peak-bandwidth|{}|peakBandwidthMbps",
                    "/peak-bandwidth|{\"peakBandwidthMbps\": \"50\"}|peakBandwidthMbps", "/renewals|{}|duration",
                    "/renewals|{\"duration\": {\"unit\": \"MONTH\", \"count\": 1.5}}|duration.count" })
    void aPlanChangeNamesItsBadMember(String path, String body, String field) {
        String method = path.equals("/office-network") ? "PUT" : "POST";

        assertProblem(send(method, PLAN + path, body), 400, "VALIDATION_FAILED", field);
    }

    @Test
    void previewAndForceFlagsMustBeBooleans() {
        assertProblem(send("POST", PLAN + "/peak-bandwidth?preview=perhaps", "{\"peakBandwidthMbps\": 50}"), 400,
                "VALIDATION_FAILED", "preview");
        assertProblem(mvc.delete().uri(PLAN + "?force=perhaps").with(WebSlice.account()).exchange(), 400,
                "VALIDATION_FAILED", "force");
        assertProblem(send("POST", PLAN + "/unsubscribe?force=1.0", ""), 400, "VALIDATION_FAILED", "force");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|',
            value = { "/office-networks|{}|name,region",
                    "/office-networks|{\"name\": \" \", \"region\": \"\"}|name,region",
                    "/cloud-phones|{\"name\": \"p\"}|officeNetworkId",
                    "/cloud-phones|{\"name\": \"p\", \"officeNetworkId\": \"o-1\"}|officeNetworkId" })
    void networksAndPhonesNameTheirBadMembers(String path, String body, String fields) {
        assertProblem(send("POST", "/api/v1" + path, body), 400, "VALIDATION_FAILED", fields.split(","));
    }

    @Test
    void aPhoneListFilterMustBeAUuid() {
        assertProblem(get("/api/v1/cloud-phones?officeNetworkId=o-1"), 400, "VALIDATION_FAILED", "officeNetworkId");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "{}|name,upstreamMbps,downstreamMbps,cloudPhoneIds",
            "{\"name\": \"r\", \"upstreamMbps\": 0, \"downstreamMbps\": 1, \"cloudPhoneIds\": []}|upstreamMbps",
            "{\"name\": \"r\", \"upstreamMbps\": 1, \"downstreamMbps\": 1, \"cloudPhoneIds\": [null]}|cloudPhoneIds[0]",
            "{\"name\": \"r\", \"upstreamMbps\": 1, \"downstreamMbps\": 1, \"cloudPhoneIds\": [\"p\"]}|cloudPhoneIds[0]" })
    void aRuleNamesItsBadMembers(String body, String fields) {
        assertProblem(send("POST", RULES, body), 400, "VALIDATION_FAILED", fields.split(","));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "{\"name\": \"  \"}|name", "{\"name\": \"\"}|name,name",
            "{\"downstreamMbps\": 0}|downstreamMbps", "{\"upstreamMbps\": -1}|upstreamMbps" })
    void aRulePatchNamesItsBadMember(String body, String fields) {
        assertProblem(send("PATCH", RULES + "/" + UUID.randomUUID(), body), 400, "VALIDATION_FAILED",
                fields.split(","));
    }

    @Test
    void samplesAreTheOperators() {
        // the batch's size and every sample's fields are the facade's checks (loose
        // input,
        // one problem naming every bad sample): SampleParserTest and the HTTP tests
        assertProblem(send("POST", "/api/v1/bandwidth-samples", "{\"samples\": []}"), 403, "FORBIDDEN");
    }

}
