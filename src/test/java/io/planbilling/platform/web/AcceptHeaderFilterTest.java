package io.planbilling.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which {@code Accept} headers the API serves, without Spring: any that allows JSON or
 * problem JSON (or none at all); every other one is refused with 406 before the
 * controller runs, on {@code /api/} paths only.
 */
class AcceptHeaderFilterTest {

    private final AcceptHeaderFilter filter = new AcceptHeaderFilter(
            new ProblemResponses(JsonMapper.builder().build()));

    private int answer(String path, String accept) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        if (accept != null) {
            request.addHeader("Accept", accept);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean ran = new AtomicBoolean();
        filter.doFilter(request, response, (req, res) -> ran.set(true));
        if (ran.get()) {
            return HttpServletResponse.SC_OK;
        }
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("\"code\":\"NOT_ACCEPTABLE\"");
        return response.getStatus();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "*/*", "application/*", "application/json", "application/problem+json",
            "application/json;charset=UTF-8", "text/html, application/json;q=0.1", "application/xml, */*;q=0.01" })
    void servesAnAcceptThatAllowsJson(String accept) throws Exception {
        assertThat(answer("/api/v1/devices", accept)).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = { "text/csv", "application/xml, text/html;q=0.9", "application/json;q=0", "garbage",
            "text/*", "image/png, application/problem+json;q=0" })
    void refusesAnyOtherBeforeTheControllerRuns(String accept) throws Exception {
        assertThat(answer("/api/v1/devices", accept)).isEqualTo(406);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/actuator/prometheus", "/swagger-ui/index.html", "/v3/api-docs.yaml" })
    void leavesEverythingOutsideTheApiAlone(String path) throws Exception {
        assertThat(answer(path, "text/plain")).isEqualTo(200);
    }

    @org.junit.jupiter.api.Test
    void servesARequestWithoutAnAccept() throws Exception {
        assertThat(answer("/api/v1/devices", null)).isEqualTo(200);
    }

}
