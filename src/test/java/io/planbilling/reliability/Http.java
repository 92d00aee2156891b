package io.planbilling.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for one service process, with the fixtures the reliability tests
 * need. A transport failure (the process was killed, the connection was cut) is an
 * {@link IOException}, so that callers can tell "no answer" from any status.
 */
final class Http {

    static final long GB = 1024L * 1024 * 1024;

    private static final HttpClient CLIENT = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;

    Http(String base) {
        this.base = base;
    }

    record Response(int status, Map<String, String> headers, String raw, JsonNode body) {

        String header(String name) {
            return headers.get(name.toLowerCase());
        }

        String code() {
            JsonNode code = body == null ? null : body.get("code");
            return code == null ? null : code.asString();
        }

        String text(String path) {
            JsonNode node = body.at(path);
            return node.isMissingNode() || node.isNull() ? null : node.asString();
        }

        long number(String path) {
            return body.at(path).asLong();
        }

        UUID id() {
            return UUID.fromString(text("/id"));
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    record Account(UUID id, String key) {
    }

    Response send(String method, String path, String key, Object body, Map<String, String> headers) throws IOException {
        try {
            HttpResponse<String> response = CLIENT.send(
                    request(method, path, key, body, headers, Duration.ofSeconds(90)),
                    HttpResponse.BodyHandlers.ofString());
            return toResponse(response);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException(ex);
        }
    }

    CompletableFuture<Response> sendAsync(String method, String path, String key, Object body) {
        return CLIENT
            .sendAsync(request(method, path, key, body, Map.of(), Duration.ofSeconds(120)),
                    HttpResponse.BodyHandlers.ofString())
            .thenApply(Http::toResponse);
    }

    private HttpRequest request(String method, String path, String key, Object body, Map<String, String> headers,
            Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        headers.forEach(builder::header);
        return builder.build();
    }

    private static Response toResponse(HttpResponse<String> response) {
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
        String raw = response.body();
        String trimmed = raw == null ? "" : raw.strip();
        JsonNode body = trimmed.startsWith("{") || trimmed.startsWith("[") ? JSON.readTree(trimmed) : null;
        return new Response(response.statusCode(), headers, raw, body);
    }

    /** The same request, with transport failures turned into test failures. */
    Response call(String method, String path, String key, Object body) {
        try {
            return send(method, path, key, body, Map.of());
        }
        catch (IOException ex) {
            throw new IllegalStateException(method + " " + base + path + " got no answer", ex);
        }
    }

    Response get(String path, String key) {
        return call("GET", path, key, null);
    }

    Response post(String path, String key, Object body) {
        return call("POST", path, key, body);
    }

    /** The status of {@code /actuator/health}, or -1 when nothing answers. */
    int healthStatus() {
        try {
            return send("GET", "/actuator/health", null, null, Map.of()).status();
        }
        catch (IOException | RuntimeException ex) {
            return -1;
        }
    }

    // ---- fixtures, made through the API ----

    Account account(String name, String balance) {
        Response created = post("/api/v1/accounts", ServiceProcess.OPERATOR_KEY, Map.of("name", name));
        expect(created, 201);
        Account account = new Account(created.id(), created.text("/apiKey"));
        if (!balance.equals("0")) {
            expect(post("/api/v1/accounts/" + account.id() + "/credits", ServiceProcess.OPERATOR_KEY,
                    Map.of("amount", money(balance), "reference", "ref-" + UUID.randomUUID())), 201);
        }
        return account;
    }

    UUID device(Account account) {
        return device(account, "PAY_AS_YOU_GO");
    }

    UUID device(Account account, String overagePolicy) {
        Response created = post("/api/v1/devices", account.key(),
                Map.of("name", "device-" + UUID.randomUUID(), "overagePolicy", overagePolicy));
        expect(created, 201);
        return created.id();
    }

    Response purchase(Account account, String type, List<UUID> devices, boolean autoRenew) {
        return call("POST", "/api/v1/traffic-packages", account.key(), purchaseBody(type, devices, autoRenew));
    }

    static Map<String, Object> purchaseBody(String type, List<UUID> devices, boolean autoRenew) {
        return Map.of("type", type, "region", "GUANGZHOU", "deviceIds", devices, "autoRenew", autoRenew);
    }

    UUID bought(Account account, String type, List<UUID> devices, boolean autoRenew) {
        Response bought = purchase(account, type, devices, autoRenew);
        expect(bought, 201);
        return bought.id();
    }

    Response pkg(Account account, UUID packageId) {
        Response read = get("/api/v1/traffic-packages/" + packageId, account.key());
        expect(read, 200);
        return read;
    }

    String balance(Account account) {
        Response read = get("/api/v1/account", account.key());
        expect(read, 200);
        return read.text("/balance/amount");
    }

    Instant now() {
        return Instant.parse(get("/api/v1/admin/clock", ServiceProcess.OPERATOR_KEY).text("/now"));
    }

    Instant advance(String amount) {
        Response moved = post("/api/v1/admin/clock", ServiceProcess.OPERATOR_KEY, Map.of("advance", amount));
        expect(moved, 200);
        return Instant.parse(moved.text("/now"));
    }

    static Map<String, Object> record(String id, UUID device, long bytes, Instant at) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", id);
        record.put("deviceId", device.toString());
        record.put("region", "GUANGZHOU");
        record.put("bytes", bytes);
        record.put("occurredAt", at.toString());
        return record;
    }

    Response usage(List<Map<String, Object>> records) throws IOException {
        return send("POST", "/api/v1/traffic-usage", ServiceProcess.OPERATOR_KEY, Map.of("records", records), Map.of());
    }

    static Map<String, String> money(String amount) {
        return Map.of("amount", amount, "currency", "CNY");
    }

    static Response expect(Response response, int status) {
        if (response.status() != status) {
            throw new AssertionError("expected " + status + " but got " + response);
        }
        return response;
    }

}
