package io.planbilling.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.shared.Audit;
import io.planbilling.shared.ErrorCode;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;
import org.springframework.http.ProblemDetail;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The request id ({@code X-Request-Id}), without Spring: a sensible token of the caller's
 * is kept, anything else replaced by a fresh UUID; either way it is echoed, in the MDC
 * (so in every log line and problem body) while the request runs, and gone after it.
 */
class RequestIdFilterTest {

    private final RequestIdFilter filter = new RequestIdFilter();

    /** What the chain saw in the MDC, and the response's header. */
    private record Seen(String inMdc, String header, String problemId) {
    }

    private Seen run(MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicReference<String> inMdc = new AtomicReference<>();
        AtomicReference<String> problemId = new AtomicReference<>();
        filter.doFilter(request, response, new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
        }, (req, res, chain) -> {
            inMdc.set(MDC.get(Audit.REQUEST_ID));
            ProblemDetail problem = ProblemResponses.problem(ErrorCode.NOT_FOUND, "x", List.of(), "/x");
            problemId.set((String) problem.getProperties().get("requestId"));
        }));
        assertThat(MDC.get(Audit.REQUEST_ID)).as("the MDC after the request").isNull();
        return new Seen(inMdc.get(), response.getHeader(RequestIdFilter.HEADER), problemId.get());
    }

    private static MockHttpServletRequest withId(String id) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/account");
        request.addHeader(RequestIdFilter.HEADER, id);
        return request;
    }

    @ParameterizedTest
    @ValueSource(strings = { "console-7f3a:42", "a", "req.1_2-3:4", "0123456789" })
    void keepsACallersSensibleIdEverywhere(String id) throws Exception {
        Seen seen = run(withId(id));

        assertThat(seen).isEqualTo(new Seen(id, id, id));
    }

    @Test
    void keepsAnIdOf128Characters() throws Exception {
        String id = "x".repeat(128);

        assertThat(run(withId(id)).header()).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "a b", "tab\there", "<script>", "ü", "semi;colon", "a/b" })
    void replacesAnUnusableIdWithAFreshUuid(String id) throws Exception {
        Seen seen = run(withId(id));

        assertThat(UUID.fromString(seen.header())).isNotNull();
        assertThat(seen.inMdc()).isEqualTo(seen.header()).isEqualTo(seen.problemId());
    }

    @Test
    void replacesAnIdOver128CharactersAndGivesEachRequestWithoutOneItsOwn() throws Exception {
        Seen tooLong = run(withId("x".repeat(129)));
        Seen none = run(new MockHttpServletRequest("GET", "/actuator/health"));

        assertThat(UUID.fromString(tooLong.header())).isNotNull();
        assertThat(UUID.fromString(none.header())).isNotNull();
        assertThat(none.header()).isNotEqualTo(tooLong.header());
    }

    @Test
    void theErrorDispatchOfARequestKeepsItsId() throws Exception {
        MockHttpServletRequest request = withId("first-dispatch");
        Seen first = run(request);
        request.removeHeader(RequestIdFilter.HEADER);

        Seen errorPage = run(request);

        assertThat(errorPage.header()).isEqualTo(first.header()).isEqualTo("first-dispatch");
    }

}
