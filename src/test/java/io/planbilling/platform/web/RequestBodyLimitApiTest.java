package io.planbilling.platform.web;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Request bodies are capped at {@code billing.http.max-body-size} (4 MB by default),
 * whether the size is declared or the body is streamed in chunks, with or without an
 * {@code Idempotency-Key}: 413 {@code PAYLOAD_TOO_LARGE} and nothing has run.
 */
@ApiTest
class RequestBodyLimitApiTest {

    private static final int LIMIT = 4 * 1024 * 1024;

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Autowired
    TestApi api;

    @Autowired
    JdbcTemplate jdbc;

    @Value("${local.server.port}")
    int port;

    @Test
    void aChunkedBodyIsCountedAsItIsReadAndRefusedAtTheLimit() throws Exception {
        String name = "chunked-" + UUID.randomUUID();

        HttpResponse<String> refused = postChunked(padded(name, LIMIT + 1), null);

        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(api.parse(refused.body()).get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(refused.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(accountsNamed(name)).isZero();
    }

    @Test
    void aChunkedKeyedBodyOverTheLimitIsRefusedToo() throws Exception {
        String name = "chunked-keyed-" + UUID.randomUUID();

        HttpResponse<String> refused = postChunked(padded(name, LIMIT + 1), UUID.randomUUID().toString());

        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(api.parse(refused.body()).get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(accountsNamed(name)).isZero();
    }

    @Test
    void aChunkedBodyUnderTheLimitIsServed() throws Exception {
        String name = "chunked-small-" + UUID.randomUUID();

        HttpResponse<String> created = postChunked("{\"name\": \"" + name + "\"}", null);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(accountsNamed(name)).isOne();
    }

    /**
     * The default leaves room for the largest batch the API allows: 10 000 records with
     * every field at its longest.
     */
    @Test
    void theLargestValidUsageBatchFitsUnderTheDefaultLimit() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            records.add(Map.of("id", ("%064d").formatted(i), "deviceId", UUID.randomUUID(), "region", "SILICON_VALLEY",
                    "bytes", Long.MAX_VALUE, "occurredAt", Instant.parse("2026-11-22T08:30:00.123Z")));
        }
        byte[] body = JsonMapper.builder().build().writeValueAsBytes(Map.of("records", records));

        assertThat(body.length).isLessThan(LIMIT);
    }

    private HttpResponse<String> postChunked(String body, String idempotencyKey) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest
            .newBuilder(URI.create("http://localhost:" + port + "/api/v1/accounts"))
            .header("Authorization", "Bearer " + api.operator())
            .header("Content-Type", "application/json")
            // no length is known up front, so the client streams the body with chunked
            // transfer encoding
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String padded(String name, int size) {
        String head = "{\"name\": \"" + name + "\", \"pad\": \"";
        return head + "x".repeat(size - head.length() - 2) + "\"}";
    }

    private long accountsNamed(String name) {
        return jdbc.queryForObject("SELECT count(*) FROM accounts WHERE name = ?", Long.class, name);
    }

}
