package io.planbilling.platform.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * What "the same request" means for an idempotency key, without Spring: method, path,
 * query string and body, each of them, and never two parts run together.
 */
class RequestFingerprintTest {

    private static String fingerprint(String method, String path, String query, String body) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setQueryString(query);
        return RequestFingerprint.of(request, body.getBytes(StandardCharsets.UTF_8)).hash();
    }

    @Test
    void theSameRequestHasTheSameFingerprintOf64HexDigits() {
        String first = fingerprint("POST", "/api/v1/accounts", "preview=true", "{\"name\": \"Acme\"}");

        assertThat(fingerprint("POST", "/api/v1/accounts", "preview=true", "{\"name\": \"Acme\"}")).isEqualTo(first);
        assertThat(first).matches("[0-9a-f]{64}");
    }

    @Test
    void eachPartOfTheRequestChangesIt() {
        String base = fingerprint("POST", "/api/v1/accounts", "preview=true", "{}");

        assertThat(fingerprint("PUT", "/api/v1/accounts", "preview=true", "{}")).isNotEqualTo(base);
        assertThat(fingerprint("POST", "/api/v1/devices", "preview=true", "{}")).isNotEqualTo(base);
        assertThat(fingerprint("POST", "/api/v1/accounts", "preview=false", "{}")).isNotEqualTo(base);
        assertThat(fingerprint("POST", "/api/v1/accounts", null, "{}")).isNotEqualTo(base);
        assertThat(fingerprint("POST", "/api/v1/accounts", "preview=true", "{ }")).isNotEqualTo(base);
    }

    @Test
    void partsAreSeparatedSoThatMovingABoundaryChangesIt() {
        assertThat(fingerprint("POST", "/api/v1/ab", "", "c")).isNotEqualTo(fingerprint("POST", "/api/v1/a", "b", "c"))
            .isNotEqualTo(fingerprint("POST", "/api/v1/a", "", "bc"));
        assertThat(fingerprint("POST", "/x", null, "")).isEqualTo(fingerprint("POST", "/x", "", ""));
    }

}
