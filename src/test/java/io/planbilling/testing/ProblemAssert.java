package io.planbilling.testing;

import static org.assertj.core.api.Assertions.assertThat;

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

}
