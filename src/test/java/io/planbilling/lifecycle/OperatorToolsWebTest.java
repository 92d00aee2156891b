package io.planbilling.lifecycle;

import static io.planbilling.testing.WebSlice.assertProblem;
import static io.planbilling.testing.WebSlice.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;

import io.planbilling.shared.BillingClock;
import io.planbilling.testing.WebSlice;
import io.planbilling.testing.WebSliceTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

/**
 * The operator tools' requests refused by the web layer (a web slice), with the test
 * clock switched on: only the operator may call them, and a clock change is exactly one
 * of {@code advance} or {@code set}. The lifecycle runner and the clock are never called.
 */
@WebSliceTest({ OperatorToolsController.class, TestClockController.class })
@TestPropertySource(properties = "billing.clock.adjustable=true")
class OperatorToolsWebTest {

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    LifecycleRunner lifecycle;

    @MockitoBean
    BillingClock clock;

    @AfterEach
    void nothingReachedTheRunnerOrTheClock() {
        verifyNoInteractions(lifecycle, clock);
    }

    private MvcTestResult move(String json) {
        return mvc.post()
            .uri("/api/v1/admin/clock")
            .with(WebSlice.operator())
            .contentType(MediaType.APPLICATION_JSON)
            .content(json)
            .exchange();
    }

    @Test
    void onlyTheOperatorRunsTheLifecycleOrMovesTheClock() {
        assertProblem(mvc.post().uri("/api/v1/admin/lifecycle/run").with(WebSlice.account()).exchange(), 403,
                "FORBIDDEN");
        assertProblem(mvc.post()
            .uri("/api/v1/admin/clock")
            .with(WebSlice.account())
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"advance\": \"P1D\"}")
            .exchange(), 403, "FORBIDDEN");
        assertProblem(mvc.post().uri("/api/v1/admin/lifecycle/run").exchange(), 401, "UNAUTHENTICATED");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "{}|advance|exactly one of advance or set is required",
            "{\"advance\": \"P1D\", \"set\": \"2030-01-01T00:00:00Z\"}|advance|exactly one of advance or set is required",
            "{\"set\": \"tomorrow\"}|set|must be an ISO-8601 instant such as 2026-11-22T08:30:00Z",
            "{\"advance\": 86400}|advance|must be a string" })
    void aClockChangeIsExactlyOneOfAdvanceOrSet(String body, String field, String expected) {
        JsonNode problem = assertProblem(move(body), 400, "VALIDATION_FAILED", field);

        assertThat(message(problem)).isEqualTo(expected);
    }

    @Test
    void anAdvanceLongerThanAnyDurationIsRefused() {
        assertProblem(move("{\"advance\": \"P" + "1".repeat(64) + "D\"}"), 400, "VALIDATION_FAILED", "advance");
    }

    @Test
    void aMissingClockChangeIsAMalformedRequest() {
        assertProblem(move(""), 400, "MALFORMED_REQUEST");
    }

}
