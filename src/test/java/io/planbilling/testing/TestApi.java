package io.planbilling.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.core.env.Environment;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for tests: real requests over loopback to the running service, JSON
 * in and out, and the fixtures every module needs (an account with a key and a balance).
 *
 * <p>
 * <b>Every response is checked against the OpenAPI document</b> the same service serves
 * ({@code /v3/api-docs}, fetched once per application context, see
 * {@link OpenApiContract}): a request that matches an operation of the document by method
 * and path must get a documented status, the documented required headers and, for a JSON
 * body, one that validates against the documented schema; otherwise
 * {@link Request#send()} fails the test, naming the operation, the status, what is wrong
 * and the body. Requests that match no operation (unknown routes, wrong methods,
 * {@code /actuator}, {@code /v3/api-docs}) are not checked. So the whole HTTP suite is a
 * contract test.
 */
@TestComponent
public class TestApi {

    public static final String OPERATOR_KEY = "test-operator-key";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final JsonMapper json = JsonMapper.builder().build();

    private final Environment environment;

    private volatile @Nullable OpenApiContract contract;

    /**
     * The operations (by operationId) that answered 2xx, for each
     * {@link #recordOperations()} in progress.
     */
    private final List<Set<String>> recordings = new CopyOnWriteArrayList<>();

    TestApi(Environment environment) {
        this.environment = environment;
    }

    /** The service's OpenAPI document as a contract, fetched on first use. */
    public OpenApiContract contract() {
        OpenApiContract loaded = contract;
        if (loaded == null) {
            synchronized (this) {
                loaded = contract;
                if (loaded == null) {
                    Response document = request("GET", "/v3/api-docs").unchecked().send();
                    if (document.status() != 200) {
                        throw new IllegalStateException("no OpenAPI document: " + document);
                    }
                    loaded = new OpenApiContract(document.raw());
                    contract = loaded;
                }
            }
        }
        return loaded;
    }

    /**
     * Starts recording which operations of the document answer with a 2xx from now on
     * (from any thread); the set grows until the test drops it.
     */
    public Set<String> recordOperations() {
        Set<String> recording = ConcurrentHashMap.newKeySet();
        recordings.add(recording);
        return recording;
    }

    public void stopRecording(Set<String> recording) {
        recordings.remove(recording);
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

        /** A lifecycle run's report of the step {@code name} (the run's answer). */
        public JsonNode step(String name) {
            for (JsonNode step : body.get("steps")) {
                if (name.equals(step.get("name").asString())) {
                    return step;
                }
            }
            throw new AssertionError("no step " + name + " in " + this);
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

    /**
     * Runs the lifecycle job now, as the operator
     * ({@code POST /api/v1/admin/lifecycle/run}), whatever it answers.
     */
    public Response runLifecycle() {
        return post("/api/v1/admin/lifecycle/run", OPERATOR_KEY, Map.of());
    }

    /** Creates an account through the operator API. */
    public TestAccount createAccount(String name) {
        Response created = post("/api/v1/accounts", OPERATOR_KEY, Map.of("name", name));
        if (created.status() != 201) {
            throw new IllegalStateException("account not created: " + created);
        }
        return new TestAccount(created.id(), created.text("/apiKey"));
    }

    /**
     * Creates an account and tops it up with {@code amount} (a decimal string; "0" for
     * none).
     */
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

        private boolean checked = true;

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

        /**
         * Not checked against the OpenAPI document: only for fetching the document
         * itself.
         */
        Request unchecked() {
            this.checked = false;
            return this;
        }

        public Response send() {
            if (checked) {
                // loaded before the request, so that generating the document never delays
                // an answer a test times
                contract();
            }
            HttpRequest.Builder builder = HttpRequest
                .newBuilder(URI.create("http://localhost:" + environment.getProperty("local.server.port") + path))
                .timeout(Duration.ofSeconds(60))
                .method(method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(builder::header);
            try {
                HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                Map<String, String> responseHeaders = new LinkedHashMap<>();
                response.headers()
                    .map()
                    .forEach((name, values) -> responseHeaders.put(name.toLowerCase(), String.join(",", values)));
                String raw = response.body();
                JsonNode parsed = raw == null || raw.isBlank() || !looksLikeJson(raw) ? null : parse(raw);
                Response answer = new Response(response.statusCode(), responseHeaders, raw, parsed);
                if (checked) {
                    check(answer);
                }
                return answer;
            }
            catch (IOException ex) {
                throw new IllegalStateException(method + " " + path + " failed", ex);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }

        private void check(Response response) {
            Optional<OpenApiContract.Operation> operation = contract().match(method, path);
            if (operation.isEmpty()) {
                return;
            }
            List<String> violations = contract().violations(operation.get(), response);
            if (!violations.isEmpty()) {
                throw new AssertionError("The response breaks the OpenAPI document: " + operation.get() + " answered "
                        + response.status() + " to " + method + " " + path + ":\n  " + String.join("\n  ", violations)
                        + "\nheaders: " + response.headers() + "\nbody: " + (response.raw() == null ? ""
                                : response.raw().substring(0, Math.min(4000, response.raw().length()))));
            }
            if (response.status() >= 200 && response.status() < 300) {
                recordings.forEach(recording -> recording.add(operation.get().id()));
            }
        }

        private @Nullable JsonNode parse(String raw) {
            try {
                return json.readTree(raw);
            }
            catch (JacksonException notJson) {
                return null;
            }
        }

        private static boolean looksLikeJson(String raw) {
            char first = raw.strip().charAt(0);
            return first == '{' || first == '[';
        }

    }

}
