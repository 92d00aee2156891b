package io.planbilling.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.shared.FieldViolation;
import io.planbilling.shared.ProblemException;

/**
 * Asserts the shape every error of the service shares: RFC 9457 with a stable code,
 * nothing internal.
 */
public final class ProblemAssert {

    private ProblemAssert() {
    }

    public static TestApi.Response assertProblem(TestApi.Response response, int status, String code) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(status);
        assertThat(response.contentType()).as("content type of %s", response).startsWith("application/problem+json");
        assertThat(response.code()).as("code of %s", response).isEqualTo(code);
        assertThat(response.text("/type")).startsWith("https://billing.example/problems/");
        assertThat(response.text("/title")).isNotBlank();
        assertThat(response.body().get("status").asInt()).isEqualTo(status);
        assertThat(response.raw()).doesNotContain("Exception", "\tat ", "trace", "io.planbilling.", "tools.jackson");
        return response;
    }

    /**
     * The problem {@code action} throws, for a unit test, as one line: its code, the
     * first violation's field and message ({@code VALIDATION_FAILED deviceIds: must not
     * repeat device …}); fails when it throws none.
     */
    public static String refusal(Runnable action) {
        try {
            action.run();
        }
        catch (ProblemException ex) {
            if (ex.violations().isEmpty()) {
                return ex.code().name();
            }
            FieldViolation violation = ex.violations().get(0);
            return ex.code() + " " + violation.field() + ": " + violation.message();
        }
        throw new AssertionError("no problem raised");
    }

}
