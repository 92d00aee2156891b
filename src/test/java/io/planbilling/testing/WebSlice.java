package io.planbilling.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The keys and the problem assertions of the web slices ({@link WebSliceTest}). The
 * problem assertions: status, {@code application/problem+json}, the stable {@code code}
 * with its status, the request id, and the fields named in {@code errors[]}.
 */
public final class WebSlice {

    public static final String OPERATOR_KEY = "slice-operator-key";

    public static final String ACCOUNT_KEY = "slice-account-key";

    public static final UUID ACCOUNT_ID = UUID.fromString("00000000-0000-4000-8000-00000000000a");

    public static final UUID ACCOUNT_KEY_ID = UUID.fromString("00000000-0000-4000-8000-00000000000b");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private WebSlice() {
    }

    /** Sends the operator's key. */
    public static RequestPostProcessor operator() {
        return bearer(OPERATOR_KEY);
    }

    /** Sends the key of the account {@link #ACCOUNT_ID}. */
    public static RequestPostProcessor account() {
        return bearer(ACCOUNT_KEY);
    }

    public static RequestPostProcessor bearer(String key) {
        return request -> {
            request.addHeader("Authorization", "Bearer " + key);
            return request;
        };
    }

    /**
     * Asserts the problem and that {@code errors[].field} are {@code fields}, in any
     * order (bean validation promises none), and none when no field is given; returns the
     * body.
     */
    public static JsonNode assertProblem(MvcTestResult result, int status, String code, String... fields) {
        assertThat(result).hasStatus(status);
        String body = new String(result.getResponse().getContentAsByteArray(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(result.getResponse().getContentType()).as("content type of %s", body)
            .startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JsonNode problem = JSON.readTree(body);
        assertThat(problem.path("code").asString()).as("code of %s", body).isEqualTo(code);
        assertThat(problem.path("status").asInt()).as("status of %s", body).isEqualTo(status);
        assertThat(problem.path("requestId").asString()).as("requestId of %s", body)
            .isEqualTo(result.getResponse().getHeader("X-Request-Id"))
            .isNotBlank();
        List<String> named = new ArrayList<>();
        problem.path("errors").forEach(error -> named.add(error.path("field").asString()));
        assertThat(named).as("errors[].field of %s", body).containsExactlyInAnyOrder(fields);
        return problem;
    }

    /** The message of the only field error. */
    public static String message(JsonNode problem) {
        assertThat(problem.path("errors").size()).isEqualTo(1);
        return problem.path("errors").get(0).path("message").asString();
    }

}
