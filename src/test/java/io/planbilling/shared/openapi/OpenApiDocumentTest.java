package io.planbilling.shared.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

@ApiTest
class OpenApiDocumentTest {

    @Autowired
    TestApi api;

    private JsonNode document() {
        return api.get("/v3/api-docs", null).body();
    }

    /**
     * Writes the document to {@code target/openapi/openapi.json}, where CI's OpenAPI lint ({@code .ci/lint-openapi},
     * Spectral with the OWASP API security ruleset) reads it after {@code ./mvnw verify}.
     */
    @Test
    void writesTheDocumentForTheSecurityLint() throws IOException {
        TestApi.Response response = api.get("/v3/api-docs", null);
        Path file = Path.of("target", "openapi", "openapi.json");

        Files.createDirectories(file.getParent());
        Files.writeString(file, response.body().toPrettyString());

        assertThat(response.status()).isEqualTo(200);
        assertThat(api.parse(Files.readString(file)).path("openapi").asString()).startsWith("3.");
    }

    @Test
    void declaresTheBearerSchemeForEveryOperation() {
        JsonNode document = document();

        assertThat(document.at("/components/securitySchemes/bearerAuth/type").asString()).isEqualTo("http");
        assertThat(document.at("/components/securitySchemes/bearerAuth/scheme").asString()).isEqualTo("bearer");
        assertThat(document.at("/security/0").has("bearerAuth")).isTrue();
    }

    @Test
    void everyOperationHasASummaryATagAndProblemExamples() {
        JsonNode paths = document().get("paths");
        int operations = 0;
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                operations++;
                String name = operation.getKey().toUpperCase() + " " + path.getKey();
                JsonNode op = operation.getValue();
                assertThat(op.path("summary").asString()).as(name).isNotBlank();
                assertThat(op.path("tags").size()).as(name).isPositive();
                JsonNode unauthenticated = op.at("/responses/401/content/application~1problem+json");
                assertThat(unauthenticated.at("/examples/UNAUTHENTICATED/value/code").asString()).as(name)
                        .isEqualTo("UNAUTHENTICATED");
                assertThat(unauthenticated.at("/schema/$ref").asString()).as(name).endsWith("/Problem");
            }
        }
        assertThat(operations).isGreaterThanOrEqualTo(10);
    }

    @Test
    void documentsIdempotencyOnPostsAndProductErrors() {
        JsonNode credits = document().at("/paths/~1api~1v1~1accounts~1{id}~1credits/post");

        Iterator<JsonNode> parameters = credits.get("parameters").values().iterator();
        boolean idempotencyKey = false;
        while (parameters.hasNext()) {
            idempotencyKey |= parameters.next().path("name").asString().equals("Idempotency-Key");
        }
        assertThat(idempotencyKey).isTrue();
        assertThat(credits.at("/responses/409/content/application~1problem+json/examples/DUPLICATE_REFERENCE/value/status")
                .asInt()).isEqualTo(409);
        assertThat(credits.at("/responses/422/content/application~1problem+json/examples/IDEMPOTENCY_KEY_REUSED")
                .isMissingNode()).isFalse();
    }
}
