package io.planbilling.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for tests: real requests over loopback to the running service, JSON in and out, and the
 * fixtures every module needs (an account with a key and a balance).
 */
@TestComponent
public class TestApi {

    public static final String OPERATOR_KEY = "test-operator-key";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final Environment environment;

    TestApi(Environment environment) {
        this.environment = environment;
    }

    /** An account made through the API, with its one-time key. */
    public record TestAccount(UUID id, String apiKey) {
    }

    public record Response(int status, Map<String, String> headers, String raw, JsonNode body) {

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase()));
        }

        public String contentType() {
            return header("content-type").orElse("");
        }

        /** The problem-details {@code code}, or null. */
        public String code() {
            JsonNode code = body == null ? null : body.get("code");
            return code == null ? null : code.asString();
        }

        public String text(String path) {
            JsonNode node = body.at(path);
            return node.isMissingNode() || node.isNull() ? null : node.asString();
        }

        public UUID id() {
            return UUID.fromString(text("/id"));
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    public Request request(String method, String path) {
        return new Request(method, path);
    }

    public Response get(String path, String key) {
        return request("GET", path).key(key).send();
    }

    public Response post(String path, String key, Object body) {
        return request("POST", path).key(key).json(body).send();
    }

    public Response patch(String path, String key, Object body) {
        return request("PATCH", path).key(key).json(body).send();
    }

    public Response put(String path, String key, Object body) {
        return request("PUT", path).key(key).json(body).send();
    }

    public Response delete(String path, String key) {
        return request("DELETE", path).key(key).send();
    }

    public String operator() {
        return OPERATOR_KEY;
    }

    /** Creates an account through the operator API. */
    public TestAccount createAccount(String name) {
        Response created = post("/api/v1/accounts", OPERATOR_KEY, Map.of("name", name));
        if (created.status() != 201) {
            throw new IllegalStateException("account not created: " + created);
        }
        return new TestAccount(created.id(), created.text("/apiKey"));
    }

    /** Creates an account and tops it up with {@code amount} (a decimal string; "0" for none). */
    public TestAccount createAccount(String name, String amount) {
        TestAccount account = createAccount(name);
        if (!amount.equals("0")) {
            credit(account.id(), amount);
        }
        return account;
    }

    public Response credit(UUID accountId, String amount) {
        Response credited = post("/api/v1/accounts/" + accountId + "/credits", OPERATOR_KEY,
                Map.of("amount", money(amount), "reference", "ref-" + UUID.randomUUID()));
        if (credited.status() != 201) {
            throw new IllegalStateException("credit refused: " + credited);
        }
        return credited;
    }

    /** The account's balance as a decimal string, read through the API. */
    public String balance(TestAccount account) {
        return get("/api/v1/account", account.apiKey()).text("/balance/amount");
    }

    public static Map<String, String> money(String amount) {
        return Map.of("amount", amount, "currency", "CNY");
    }

    public JsonNode parse(String raw) {
        return json.readTree(raw);
    }

    public final class Request {

        private final String method;
        private final String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String body;

        private Request(String method, String path) {
            this.method = method;
            this.path = path;
        }

        public Request key(String key) {
            if (key != null) {
                headers.put("Authorization", "Bearer " + key);
            }
            return this;
        }

        public Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Request json(Object value) {
            return raw(value instanceof String string ? string : json.writeValueAsString(value), "application/json");
        }

        public Request raw(String content, String contentType) {
            this.body = content;
            headers.putIfAbsent("Content-Type", contentType);
            return this;
        }

        public Request idempotencyKey(String key) {
            return header("Idempotency-Key", key);
        }

        public Response send() {
            HttpRequest.Builder builder = HttpRequest.newBuilder(
                    URI.create("http://localhost:" + environment.getProperty("local.server.port") + path))
                    .timeout(Duration.ofSeconds(60))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(builder::header);
            try {
                HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                Map<String, String> responseHeaders = new LinkedHashMap<>();
                response.headers().map().forEach((name, values) -> responseHeaders.put(name.toLowerCase(),
                        String.join(",", values)));
                String raw = response.body();
                JsonNode parsed = raw == null || raw.isBlank() || !looksLikeJson(raw) ? null : json.readTree(raw);
                return new Response(response.statusCode(), responseHeaders, raw, parsed);
            }
            catch (IOException ex) {
                throw new IllegalStateException(method + " " + path + " failed", ex);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }

        private static boolean looksLikeJson(String raw) {
            char first = raw.strip().charAt(0);
            return first == '{' || first == '[';
        }
    }
}
