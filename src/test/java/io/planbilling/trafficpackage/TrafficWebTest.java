package io.planbilling.trafficpackage;

import static io.planbilling.testing.WebSlice.assertProblem;
import static io.planbilling.testing.WebSlice.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;

import io.planbilling.shared.Previews;
import io.planbilling.testing.WebSlice;
import io.planbilling.testing.WebSliceTest;
import java.util.Collections;
import java.util.UUID;
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
 * The traffic module's requests refused by the web layer (a web slice): devices, traffic
 * packages and usage batches; the problem, its code and the fields it names. The facades
 * are never called.
 */
@WebSliceTest({ DeviceController.class, TrafficPackageController.class, TrafficUsageController.class })
class TrafficWebTest {

    private static final String PACKAGE = "/api/v1/traffic-packages/" + UUID.randomUUID();

    private static final String DEVICE = "/api/v1/devices/" + UUID.randomUUID();

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    Devices devices;

    @MockitoBean
    TrafficPackages packages;

    @MockitoBean
    TrafficUsage usage;

    @MockitoBean
    Previews previews;

    @AfterEach
    void nothingReachedTheFacades() {
        verifyNoInteractions(devices, packages, usage, previews);
    }

    private MvcTestResult send(String method, String path, String json) {
        return mvc.method(org.springframework.http.HttpMethod.valueOf(method))
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
    void aRegionOutsideTheClosedSetNamesTheAllowedValues() {
        JsonNode problem = assertProblem(
                send("POST", "/api/v1/traffic-packages", "{\"type\": \"DEVICE_1_FLOW_20G\", \"region\": \"MARS\"}"),
                400, "VALIDATION_FAILED", "region");

        assertThat(message(problem)).isEqualTo("must be one of GUANGZHOU, SILICON_VALLEY");
    }

    @Test
    void aNumberForAnEnumIsRefusedWithTheAllowedValues() {
        JsonNode problem = assertProblem(
                send("POST", "/api/v1/traffic-packages", "{\"type\": 3, \"region\": \"GUANGZHOU\"}"), 400,
                "VALIDATION_FAILED", "type");

        assertThat(message(problem))
            .isEqualTo("must be one of DEVICE_1_FLOW_20G, DEVICE_2_FLOW_50G, DEVICE_3_FLOW_100G, DEVICE_5_FLOW_500G");
    }

    @Test
    void aPurchaseNamesItsMissingMembers() {
        assertProblem(send("POST", "/api/v1/traffic-packages", "{}"), 400, "VALIDATION_FAILED", "type", "region");
    }

    @Test
    void aPurchaseRefusesADeviceIdThatIsNotAUuidByItsIndex() {
        JsonNode problem = assertProblem(
                send("POST", "/api/v1/traffic-packages",
                        "{\"type\": \"DEVICE_2_FLOW_50G\", \"region\": \"GUANGZHOU\", \"deviceIds\": [\"dev-1\"]}"),
                400, "VALIDATION_FAILED", "deviceIds[0]");

        assertThat(message(problem)).isEqualTo("must be a UUID");
    }

    @Test
    void aPurchaseRefusesAStringForABoolean() {
        JsonNode problem = assertProblem(
                send("POST", "/api/v1/traffic-packages",
                        "{\"type\": \"DEVICE_2_FLOW_50G\", \"region\": \"GUANGZHOU\", \"autoRenew\": \"true\"}"),
                400, "VALIDATION_FAILED", "autoRenew");

        assertThat(message(problem)).isEqualTo("must be true or false");
    }

    @Test
    void aPreviewFlagThatIsNotABooleanIsNamed() {
        assertProblem(
                send("POST", "/api/v1/traffic-packages?preview=maybe",
                        "{\"type\": \"DEVICE_2_FLOW_50G\", \"region\": \"GUANGZHOU\"}"),
                400, "VALIDATION_FAILED", "preview");
    }

    @Test
    void listFiltersOutsideTheirTypesAreNamed() {
        JsonNode status = assertProblem(get("/api/v1/traffic-packages?status=GONE"), 400, "VALIDATION_FAILED",
                "status");
        assertProblem(get("/api/v1/traffic-packages?deviceId=dev-1"), 400, "VALIDATION_FAILED", "deviceId");
        assertProblem(get("/api/v1/devices?bound=maybe"), 400, "VALIDATION_FAILED", "bound");

        assertThat(message(status)).startsWith("must be one of ");
    }

    @ParameterizedTest
    @ValueSource(strings = { "page=-1", "page=10000001", "size=0", "size=201" })
    void pagingOutsideItsBoundsIsNamed(String query) {
        String field = query.substring(0, query.indexOf('='));

        assertProblem(get("/api/v1/traffic-packages?" + query), 400, "VALIDATION_FAILED", field);
        assertProblem(get("/api/v1/devices?" + query), 400, "VALIDATION_FAILED", field);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|',
            value = { "{}|deviceIds", "{\"deviceIds\": []}|deviceIds", "{\"deviceIds\": [null]}|deviceIds[0]" })
    void aBindingNeedsOneToAHundredDevices(String body, String field) {
        assertProblem(send("POST", PACKAGE + "/bindings", body), 400, "VALIDATION_FAILED", field);
    }

    @Test
    void aBindingOfMoreThanAHundredDevicesIsRefused() {
        String ids = String.join(",", Collections.nCopies(101, "\"" + UUID.randomUUID() + "\""));

        assertProblem(send("POST", PACKAGE + "/bindings", "{\"deviceIds\": [" + ids + "]}"), 400, "VALIDATION_FAILED",
                "deviceIds");
    }

    @ParameterizedTest
    @ValueSource(strings = { "{}", "{\"autoRenew\": null}", "{\"autoRenew\": \"false\"}", "{\"autoRenew\": 0}" })
    void autoRenewMustBeABoolean(String body) {
        assertProblem(send("PATCH", PACKAGE, body), 400, "VALIDATION_FAILED", "autoRenew");
    }

    @Test
    void aTierChangeNamesAnUnknownType() {
        JsonNode problem = assertProblem(send("POST", PACKAGE + "/tier-change", "{\"type\": \"DEVICE_4\"}"), 400,
                "VALIDATION_FAILED", "type");

        assertThat(message(problem)).startsWith("must be one of DEVICE_1_FLOW_20G");
    }

    @ParameterizedTest
    @ValueSource(strings = { "GET /api/v1/traffic-packages/x", "DELETE /api/v1/traffic-packages/x",
            "POST /api/v1/traffic-packages/x/renewal", "POST /api/v1/traffic-packages/x/unsubscribe",
            "DELETE /api/v1/traffic-packages/x/tier-change", "GET /api/v1/devices/x", "GET /api/v1/devices/x/usage" })
    void aMalformedIdInThePathIsNamed(String request) {
        String[] parts = request.split(" ");

        JsonNode problem = assertProblem(mvc.method(org.springframework.http.HttpMethod.valueOf(parts[0]))
            .uri(parts[1])
            .with(WebSlice.account())
            .exchange(), 400, "VALIDATION_FAILED", "id");

        assertThat(message(problem)).isEqualTo("must be a UUID");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "{}|name", "{\"name\": \"  \"}|name", "{\"name\": \"a\\u0007b\"}|name",
            "{\"name\": \"r\", \"overagePolicy\": \"BLOCK\"}|overagePolicy",
            "{\"name\": \"r\", \"overagePolicy\": 1}|overagePolicy", "{\"name\": \"r\", \"colour\": \"red\"}|colour" })
    void aDeviceNamesItsBadMember(String body, String field) {
        assertProblem(send("POST", "/api/v1/devices", body), 400, "VALIDATION_FAILED", field);
    }

    @Test
    void aDeviceNameIsAtMost200CharactersAndTheOperatorHasNoDevices() {
        assertProblem(send("POST", "/api/v1/devices", "{\"name\": \"" + "x".repeat(201) + "\"}"), 400,
                "VALIDATION_FAILED", "name");
        assertProblem(mvc.post()
            .uri("/api/v1/devices")
            .with(WebSlice.operator())
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"name\": \"x\"}")
            .exchange(), 403, "FORBIDDEN");
    }

    @Test
    void aDeviceUpdateRefusesABlankName() {
        assertProblem(send("PATCH", DEVICE, "{\"name\": \"   \"}"), 400, "VALIDATION_FAILED", "name");
    }

    @Test
    void aDeviceUsageWindowNeedsTwoInstants() {
        JsonNode malformed = assertProblem(get(DEVICE + "/usage?from=yesterday&to=2026-12-01T00:00:00Z"), 400,
                "VALIDATION_FAILED", "from");
        JsonNode missing = assertProblem(get(DEVICE + "/usage?from=2026-11-01T00:00:00Z"), 400, "VALIDATION_FAILED",
                "to");

        assertThat(message(malformed)).isEqualTo("must be an ISO-8601 instant such as 2026-11-22T08:30:00Z");
        assertThat(message(missing)).isEqualTo("is required");
    }

    @Test
    void aUsageBatchIsTheOperatorsAndMustBeJsonOfItsShape() {
        assertProblem(send("POST", "/api/v1/traffic-usage", "{\"records\": []}"), 403, "FORBIDDEN");
        assertProblem(mvc.post()
            .uri("/api/v1/traffic-usage")
            .with(WebSlice.operator())
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"records\": [")
            .exchange(), 400, "MALFORMED_REQUEST");
        JsonNode unknown = assertProblem(mvc.post()
            .uri("/api/v1/traffic-usage")
            .with(WebSlice.operator())
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"records\": [{\"id\": \"r1\", \"bytez\": 1}]}")
            .exchange(), 400, "VALIDATION_FAILED", "records[0].bytez");

        assertThat(message(unknown)).isEqualTo("unknown field");
    }

    @Test
    void aUsageBatchOverTheBodyLimitIsRefusedBeforeItIsRead() {
        String records = "{\"records\": [" + "{\"id\": \"x\"},".repeat(400_000) + "{\"id\": \"y\"}]}";

        assertProblem(mvc.post()
            .uri("/api/v1/traffic-usage")
            .with(WebSlice.operator())
            .contentType(MediaType.APPLICATION_JSON)
            .content(records)
            .exchange(), 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void aPurchaseInAnotherMediaTypeOrForAnotherAcceptIsRefused() {
        assertProblem(mvc.post()
            .uri("/api/v1/traffic-packages")
            .with(WebSlice.account())
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .content("type=DEVICE_1_FLOW_20G")
            .exchange(), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(mvc.post()
            .uri("/api/v1/traffic-packages")
            .with(WebSlice.account())
            .header("Accept", "text/html")
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"type\": \"DEVICE_1_FLOW_20G\", \"region\": \"GUANGZHOU\"}")
            .exchange(), 406, "NOT_ACCEPTABLE");
    }

    @Test
    void theOperatorHasNoPackagesOfItsOwn() {
        assertProblem(mvc.get().uri("/api/v1/traffic-packages").with(WebSlice.operator()).exchange(), 403, "FORBIDDEN");
        assertProblem(mvc.get().uri("/api/v1/devices").exchange(), 401, "UNAUTHENTICATED");
    }

}
