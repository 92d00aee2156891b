package io.planbilling.events;

import static io.planbilling.testing.WebSlice.assertProblem;
import static io.planbilling.testing.WebSlice.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;

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
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

/**
 * The events module's requests refused by the web layer (a web slice): the feed's query
 * and the webhook endpoints; the problem, its code and the fields it names. The facades
 * are never called. (Event types outside the catalogue and URL policy are checked by the
 * facade: {@code WebhookPoliciesTest} and the HTTP tests.)
 */
@WebSliceTest({ EventController.class, WebhookEndpointController.class })
class EventWebTest {

    private static final String ENDPOINT = "/api/v1/webhook-endpoints/" + UUID.randomUUID();

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    EventFeed feed;

    @MockitoBean
    WebhookEndpoints endpoints;

    @AfterEach
    void nothingReachedTheFacades() {
        verifyNoInteractions(feed, endpoints);
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

    @ParameterizedTest
    @CsvSource(delimiter = '|',
            value = { "limit=0|must be greater than or equal to 1", "limit=1001|must be less than or equal to 1000",
                    "limit=ten|must be a whole number", "limit=1.5|must be a whole number" })
    void theFeedsLimitIsOneToAThousand(String query, String expected) {
        JsonNode problem = assertProblem(get("/api/v1/events?" + query), 400, "VALIDATION_FAILED", "limit");

        assertThat(message(problem)).isEqualTo(expected);
    }

    @Test
    void aCursorLongerThanAnyTheFeedGivesIsRefused() {
        assertProblem(get("/api/v1/events?after=" + "1".repeat(42)), 400, "VALIDATION_FAILED", "after");
    }

    @Test
    void aTypesFilterOfMoreThanFiftyKindsIsRefused() {
        String types = String.join(",", Collections.nCopies(51, "credit.created"));

        assertProblem(get("/api/v1/events?types=" + types), 400, "VALIDATION_FAILED", "types");
    }

    @Test
    void theFeedNeedsAKey() {
        assertProblem(mvc.get().uri("/api/v1/events").exchange(), 401, "UNAUTHENTICATED");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|',
            value = { "{}|url,eventTypes", "{\"url\": \"https://h.example/x\", \"eventTypes\": []}|eventTypes",
                    "{\"url\": \"https://h.example/x\", \"eventTypes\": [\"\"]}|eventTypes[0]",
                    "{\"url\": \"https://h.example/x\", \"eventTypes\": \"credit.created\"}|eventTypes",
                    "{\"url\": \" \", \"eventTypes\": [\"*\"]}|url",
                    "{\"url\": \"https://h.example/x\", \"eventTypes\": [\"*\"], \"secret\": \"s\"}|secret" })
    void anEndpointNamesItsBadMember(String body, String fields) {
        assertProblem(send("POST", "/api/v1/webhook-endpoints", body), 400, "VALIDATION_FAILED", fields.split(","));
    }

    @Test
    void anEndpointsUrlIsAtMost2048Characters() {
        String url = "https://h.example/" + "x".repeat(2031);

        assertProblem(send("POST", "/api/v1/webhook-endpoints", "{\"url\": \"" + url + "\", \"eventTypes\": [\"*\"]}"),
                400, "VALIDATION_FAILED", "url");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "{\"eventTypes\": []}|eventTypes", "{\"enabled\": \"yes\"}|enabled",
            "{\"url\": 5}|url", "{\"eventTypes\": [null]}|eventTypes[0]" })
    void anEndpointUpdateNamesItsBadMember(String body, String field) {
        assertProblem(send("PATCH", ENDPOINT, body), 400, "VALIDATION_FAILED", field);
    }

    @Test
    void aRotationsOverlapIsAtMost32Characters() {
        assertProblem(send("POST", ENDPOINT + "/secret-rotation", "{\"overlap\": \"P" + "1".repeat(32) + "D\"}"), 400,
                "VALIDATION_FAILED", "overlap");
    }

    @ParameterizedTest
    @ValueSource(strings = { "GET /api/v1/webhook-endpoints/x", "PATCH /api/v1/webhook-endpoints/x",
            "DELETE /api/v1/webhook-endpoints/x", "POST /api/v1/webhook-endpoints/x/secret-rotation",
            "GET /api/v1/webhook-endpoints/x/deliveries" })
    void aMalformedIdInThePathIsNamed(String request) {
        String[] parts = request.split(" ");

        assertProblem(send(parts[0], parts[1], "{}"), 400, "VALIDATION_FAILED", "id");
    }

    @Test
    void aMalformedDeliveryIdIsNamed() {
        assertProblem(send("POST", ENDPOINT + "/deliveries/d-1/redelivery", ""), 400, "VALIDATION_FAILED",
                "deliveryId");
    }

    @ParameterizedTest
    @ValueSource(strings = { "page=-1", "page=10000001", "size=0", "size=201" })
    void pagingOutsideItsBoundsIsNamed(String query) {
        String field = query.substring(0, query.indexOf('='));

        assertProblem(get("/api/v1/webhook-endpoints?" + query), 400, "VALIDATION_FAILED", field);
        assertProblem(get(ENDPOINT + "/deliveries?" + query), 400, "VALIDATION_FAILED", field);
    }

    @Test
    void webhookEndpointsAreAnAccountsOwn() {
        assertProblem(mvc.get().uri("/api/v1/webhook-endpoints").with(WebSlice.operator()).exchange(), 403,
                "FORBIDDEN");
    }

}
