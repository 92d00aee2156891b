package io.planbilling.platform.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.Gen;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile input against every operation of the service's own OpenAPI document
 * ({@code GET /v3/api-docs}): random, boundary and malformed path ids, query parameters,
 * headers and bodies (derived from each operation's request schema and then broken:
 * required fields missing, wrong types, nulls, unknown fields, deep nesting, not JSON at
 * all). For every answer: never a 5xx; every 4xx is {@code application/problem+json} with
 * a non-empty {@code code} and a {@code status} equal to the HTTP status; and a rejected
 * request changed nothing (a fingerprint of every business table — row count and an
 * order-independent sum of row hashes — is the same before and after it).
 *
 * <p>
 * <b>Generators.</b> Values come from {@link Gen}, the project's own small generator
 * driven by one seeded {@link Random}: the same seed sends the same requests in the same
 * order. There is no shrinking on purpose: a try is a stateful HTTP exchange against a
 * shared database, not a pure function.
 *
 * <p>
 * <b>Reproducing.</b> {@code -Dbilling.fuzz.seed=<n>} (default {@value #DEFAULT_SEED})
 * and {@code -Dbilling.fuzz.cases=<n>} (default {@value #DEFAULT_CASES}). A failure names
 * the seed and case number.
 *
 * <p>
 * <b>Deterministic snapshots.</b> Only the bandwidth association worker writes on its own
 * in tests (every second, and only while a plan is {@code CHANGING}), so after every
 * accepted request the test waits until no plan is {@code CHANGING} and takes a fresh
 * snapshot; the snapshot after a rejected request is compared with that. Other tests do
 * not run concurrently with this one (one surefire fork, sequential classes).
 *
 * <p>
 * {@code POST /admin/clock} is only ever sent with an unknown field in the body: a valid
 * clock change would move the shared test clock forward for every test that runs after
 * this one.
 */
@ApiTest
class OpenApiFuzzApiTest {

    private static final Logger log = LoggerFactory.getLogger(OpenApiFuzzApiTest.class);

    static final long DEFAULT_SEED = 20261123L;
    static final int DEFAULT_CASES = 1200;

    /**
     * The fuzz stays within the 8 KB that Tomcat reads of a request's line and headers
     * ({@code server.max-http-request-header-size}, docs/api-guide.md). Over it, Tomcat
     * answers 400 {@code MALFORMED_REQUEST} before the application sees the request (the
     * documented answer, proven once by {@code TomcatRejectionProblemApiTest}) and then
     * closes the connection, since without a parsed head it cannot find where the request
     * ends. Whether the client reads that answer before the close is a matter of timing
     * between the two sockets, not a rule of the service: on a loaded machine a generated
     * POST with a path of many kilobytes once got no response bytes at all (on an idle
     * one, 290 such requests, paths of 9 KB to 200 KB with bodies up to 5 MB, were all
     * answered 400 {@code MALFORMED_REQUEST}). A 414 would say the same thing in other
     * words and would come from the same place after the same close, so the answer stays
     * the documented 400. Cases over the limit would only make this test flaky, so each
     * path or query value takes at most {@value #URI_VALUE_MAX} encoded characters and
     * every case checks that its line and headers stay within {@value #HEAD_BUDGET} bytes
     * (8 KB less what the HTTP client adds: Host, Content-Length, User-Agent, the upgrade
     * headers).
     */
    static final int URI_VALUE_MAX = 128;

    static final int HEAD_BUDGET = 8 * 1024 - 512;

    private static final List<String> IGNORED_TABLES = List.of("flyway_schema_history", "shedlock", "idempotency_keys");

    @Autowired
    TestApi api;

    @Autowired
    JdbcTemplate jdbc;

    private final JsonMapper json = JsonMapper.builder().build();

    private Random random;

    private JsonNode document;

    private TestAccount account;

    private final List<String> ownIds = new ArrayList<>();

    private final List<String> foreignIds = new ArrayList<>();

    /**
     * What the last request was, for failure messages: method, URI, headers and the start
     * of the body.
     */
    private String sent;

    /** An operation of the document. */
    record Operation(String method, String path, JsonNode spec) {

        boolean operatorOnly() {
            return path.startsWith("/api/v1/accounts") || path.startsWith("/api/v1/traffic-usage")
                    || path.startsWith("/api/v1/bandwidth-samples") || path.startsWith("/api/v1/admin");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /**
     * A JSON number or other token written as is (numbers beyond double, exponent forms,
     * {@code -0}).
     */
    record Raw(String text) {
    }

    @Test
    void noOperationAnswersHostileInputWithA5xxANonProblemOrAChange() throws Exception {
        long seed = Long.getLong("billing.fuzz.seed", DEFAULT_SEED);
        int cases = Integer.getInteger("billing.fuzz.cases", DEFAULT_CASES);
        random = new Random(seed);
        document = api.get("/v3/api-docs", null).body();
        List<Operation> operations = operations();
        givenAccountsWithResources();
        Map<String, Integer> statuses = new TreeMap<>();
        long started = System.nanoTime();

        fuzz(seed, cases, operations, statuses);

        log.info("Fuzzed {} operations with {} cases (seed {}) in {} ms: {}", operations.size(), cases, seed,
                (System.nanoTime() - started) / 1_000_000, statuses);
        log.info("Released the {} bandwidth plans the fuzzing bought", releaseBandwidthPlans());
        assertThat(operations).hasSizeGreaterThanOrEqualTo(50);
    }

    private void fuzz(long seed, int cases, List<Operation> operations, Map<String, Integer> statuses) {
        Map<String, String> before = quietSnapshot();
        for (int n = 0; n < cases; n++) {
            // every operation in turn, so each is called cases / operations times
            Operation operation = operations.get(n % operations.size());
            String context = "seed " + seed + ", case " + n + ", " + operation;
            Response response = send(operation, context);
            context += ", sent " + sent;
            statuses.merge(operation.method() + " " + response.status(), 1, Integer::sum);

            assertThat(response.status()).as("no 5xx (%s): %s", context, response).isLessThan(500);
            if (response.status() >= 400) {
                assertThat(response.contentType()).as("problem content type (%s): %s", context, response)
                    .startsWith("application/problem+json");
                assertThat(response.code()).as("problem code (%s): %s", context, response).isNotBlank();
                assertThat(response.body().path("status").asInt()).as("problem status (%s)", context)
                    .isEqualTo(response.status());
                assertThat(snapshot()).as("a rejected request changes nothing (%s): %s", context, response)
                    .isEqualTo(before);
            }
            else {
                remember(response);
                before = quietSnapshot();
            }
        }
    }

    // ----------------------------------------------------------------------------------------------
    // the document

    private List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        document.get("paths")
            .properties()
            .forEach(path -> path.getValue()
                .properties()
                .forEach(op -> operations.add(new Operation(op.getKey().toUpperCase(), path.getKey(), op.getValue()))));
        operations.sort((a, b) -> a.toString().compareTo(b.toString()));
        return operations;
    }

    private JsonNode resolve(JsonNode schema) {
        int hops = 0;
        while (schema != null && schema.has("$ref") && hops++ < 10) {
            String name = schema.get("$ref").asString().substring("#/components/schemas/".length());
            schema = document.path("components").path("schemas").path(name);
        }
        return schema;
    }

    // ----------------------------------------------------------------------------------------------
    // fixtures

    /**
     * Account A (the caller) and account B, whose resources A must not be able to see or
     * touch.
     */
    private void givenAccountsWithResources() {
        account = api.createAccount("Fuzz A", "100000.00");
        TestAccount other = api.createAccount("Fuzz B", "100.00");
        foreignIds.add(other.id().toString());
        for (TestAccount owner : List.of(account, other)) {
            List<String> ids = owner == account ? ownIds : foreignIds;
            ids.add(api.post("/api/v1/devices", owner.apiKey(), Map.of("name", "fuzz device")).text("/id"));
            String network = api
                .post("/api/v1/office-networks", owner.apiKey(), Map.of("name", "fuzz office", "region", "cn-shanghai"))
                .text("/id");
            ids.add(network);
            ids.add(api
                .post("/api/v1/cloud-phones", owner.apiKey(), Map.of("name", "fuzz phone", "officeNetworkId", network))
                .text("/id"));
        }
        ownIds.removeIf(id -> id == null);
        foreignIds.removeIf(id -> id == null);
        assertThat(ownIds).hasSize(3);
        assertThat(foreignIds).hasSize(4);
    }

    private void remember(Response response) {
        if (response.body() != null && response.body().path("id").isString() && ownIds.size() < 200) {
            String id = response.body().path("id").asString();
            // never rotate account A's own key away from under the test
            if (!id.equals(account.id().toString())) {
                ownIds.add(id);
            }
        }
    }

    /**
     * Gives the exclusive IPs of the plans the fuzzing happened to buy back to the pool
     * (a /24 shared with the tests that run after this one).
     */
    private int releaseBandwidthPlans() {
        quietSnapshot();
        int released = 0;
        for (JsonNode plan : api.get("/api/v1/bandwidth-plans?size=200", account.apiKey()).body().path("content")) {
            String status = plan.path("status").asString();
            if (List.of("NOT_ASSOCIATED", "CHANGING", "IN_USE").contains(status)) {
                Response deleted = api.delete("/api/v1/bandwidth-plans/" + plan.path("id").asString() + "?force=true",
                        account.apiKey());
                assertThat(deleted.status()).as("releasing %s", plan).isEqualTo(204);
                released++;
            }
        }
        return released;
    }

    // ----------------------------------------------------------------------------------------------
    // requests

    private Response send(Operation operation, String context) {
        String path = operation.path();
        StringBuilder query = new StringBuilder();
        for (JsonNode parameter : operation.spec().path("parameters")) {
            String name = parameter.path("name").asString();
            String in = parameter.path("in").asString();
            if (in.equals("path")) {
                path = path.replace("{" + name + "}", encodePath(withinUriBudget(pathValue(), true)));
            }
            else if (in.equals("query") && (parameter.path("required").asBoolean() || chance(60))) {
                String value = chance(50) ? scalarText(resolve(parameter.path("schema")), name) : hostileText();
                appendQuery(query, name, withinUriBudget(value, false));
            }
        }
        if (chance(5)) {
            appendQuery(query, pick("sort", "page", "size", "x", "__proto__"), withinUriBudget(hostileText(), false));
        }
        TestApi.Request request = api.request(operation.method(), path + query);
        Map<String, String> headers = new LinkedHashMap<>();
        authorize(headers, operation);
        headers(headers, operation);
        String body = body(headers, operation);
        headers.forEach(request::header);
        if (body != null) {
            request.raw(body, headers.getOrDefault("Content-Type", "application/json"));
        }
        sent = operation.method() + " " + path + query + " " + headers + " "
                + (body == null ? "" : body.substring(0, Math.min(body.length(), 300)));
        int head = operation.method().length() + path.length() + query.length() + " HTTP/1.1\r\n".length()
                + headers.entrySet().stream().mapToInt(h -> h.getKey().length() + h.getValue().length() + 4).sum();
        assertThat(head).as("the request line and headers stay within the documented 8 KB (%s)", context)
            .isLessThanOrEqualTo(HEAD_BUDGET);
        try {
            return request.send();
        }
        catch (IllegalArgumentException refusedByClient) {
            // java.net.http refuses some header values or URIs outright; such a request
            // cannot reach the service
            log.debug("{}: not sendable: {}", context, refusedByClient.getMessage());
            sent += " (refused by the HTTP client; sent bare instead)";
            return api
                .request(operation.method(), operation.path().replaceAll("\\{[^}]+}", UUID.randomUUID().toString()))
                .send();
        }
    }

    private void authorize(Map<String, String> request, Operation operation) {
        String right = operation.operatorOnly() ? api.operator() : account.apiKey();
        String wrong = operation.operatorOnly() ? account.apiKey() : api.operator();
        int dice = random.nextInt(100);
        if (dice < 85) {
            request.put("Authorization", "Bearer " + right);
        }
        else if (dice < 90) {
            request.put("Authorization", "Bearer " + wrong);
        }
        else if (dice < 94) {
            // no Authorization at all
        }
        else {
            request.put("Authorization",
                    pick("Bearer ", "Bearer pb_" + UUID.randomUUID(), "Basic dXNlcjpwYXNz", "bearer " + right,
                            "Bearer " + right + " extra", "Bearer " + "k".repeat(5000), right,
                            "Bearer op_' OR '1'='1"));
        }
    }

    private void headers(Map<String, String> request, Operation operation) {
        if (operation.method().equals("POST") && chance(40)) {
            request.put("Idempotency-Key", pick(UUID.randomUUID().toString(), "", " ", "k".repeat(255), "k".repeat(256),
                    "key with spaces", "ключ", "\u00e9", "a\tb", "fuzz-" + random.nextInt(20)));
        }
        if (chance(15)) {
            request.put("Accept", pick("application/xml", "text/html", "*/*", "application/json",
                    "application/problem+json", "image/png", "garbage", "application/json;q=0", "text/plain"));
        }
        if (chance(5)) {
            request.put("X-Request-Id", pick("", "x".repeat(200), "id with space", "fuzz:1.2-3_4"));
        }
    }

    private String body(Map<String, String> headers, Operation operation) {
        JsonNode content = operation.spec().path("requestBody").path("content");
        boolean declared = !content.isMissingNode() && content.size() > 0;
        boolean clock = operation.toString().equals("POST /api/v1/admin/clock");
        if (!declared && !chance(10)) {
            return null;
        }
        String contentType = chance(90) ? "application/json"
                : pick("text/plain", "application/xml", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x", "application/json; charset=UTF-16", "garbage",
                        "application/merge-patch+json");
        int dice = random.nextInt(100);
        String text;
        if (dice < 6) {
            text = pick("", " ", "null", "[]", "42", "\"text\"", "true", "{", "{\"a\":", "<xml/>", "name=x",
                    "{\"a\":1}{\"b\":2}", "\u0000", "{\"a\":NaN}", "{'a':1}", "{\"a\":1,}");
        }
        else if (dice < 8) {
            text = "[".repeat(3000 + random.nextInt(5000));
        }
        else {
            JsonNode schema = declared ? resolve(content.properties().iterator().next().getValue().path("schema"))
                    : json.createObjectNode();
            Object body = value(schema, "body", 0);
            if (body instanceof Map<?, ?> map && !map.isEmpty()) {
                Map<String, Object> object = new LinkedHashMap<>();
                map.forEach((key, item) -> object.put(String.valueOf(key), item));
                mutate(object, schema);
                body = object;
            }
            if (clock && body instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) map;
                object.put("fuzzUnknown", 1);
            }
            text = write(body);
        }
        if (clock && !text.contains("fuzzUnknown")) {
            text = "{\"fuzzUnknown\": 1, \"x\": " + text + "}";
        }
        headers.put("Content-Type", contentType);
        return text;
    }

    /** Breaks a body that follows its schema in one or more places. */
    private void mutate(Map<String, Object> body, JsonNode schema) {
        int mutations = random.nextInt(4);
        for (int i = 0; i < mutations && !body.isEmpty(); i++) {
            List<String> keys = new ArrayList<>(body.keySet());
            String key = keys.get(random.nextInt(keys.size()));
            switch (random.nextInt(8)) {
                case 0 -> body.remove(key);
                case 1 -> body.put(key, null);
                case 2 -> body.put(key, hostileValue());
                case 3 ->
                    body.put(pick("unknownField", "Name", "id", "__proto__", "constructor", key + " "), hostileValue());
                case 4 -> body.put(key, List.of(body.get(key) == null ? 1 : body.get(key)));
                case 5 -> body.put(key, Map.of(key, body.get(key) == null ? "x" : body.get(key)));
                case 6 -> body.put(key, new Raw("[".repeat(2000) + "]".repeat(2000)));
                default -> {
                    JsonNode property = resolve(schema.path("properties").path(key));
                    body.put(key, value(property, key, 2));
                }
            }
        }
    }

    // ----------------------------------------------------------------------------------------------
    // values

    /**
     * A value that follows the schema most of the time, and a hostile one of its kind
     * otherwise.
     */
    private Object value(JsonNode declared, String name, int depth) {
        JsonNode schema = resolve(declared);
        if (schema == null || schema.isMissingNode()) {
            return hostileValue();
        }
        String type = schema.path("type").asString("");
        if (type.isEmpty() && schema.has("properties")) {
            type = "object";
        }
        boolean hostile = chance(20);
        switch (type) {
            case "object" -> {
                Map<String, Object> object = new LinkedHashMap<>();
                if (depth > 4) {
                    return object;
                }
                schema.path("properties").properties().forEach(property -> {
                    boolean required = false;
                    for (JsonNode r : schema.path("required")) {
                        required |= r.asString().equals(property.getKey());
                    }
                    if (required || chance(70)) {
                        object.put(property.getKey(), value(property.getValue(), property.getKey(), depth + 1));
                    }
                });
                return object;
            }
            case "array" -> {
                int max = schema.path("maxItems").asInt(10_000);
                int size = hostile ? pick(0, max + 1) : random.nextInt(3);
                if (size > 2 && depth > 1) {
                    size = 3; // an oversize array of nested arrays would be huge; one
                              // level of it is enough
                }
                List<Object> items = new ArrayList<>(size);
                Object item = value(schema.path("items"), name, depth + 1);
                for (int i = 0; i < size; i++) {
                    items.add(i == 0 || size > 50 ? item : value(schema.path("items"), name, depth + 1));
                }
                return items;
            }
            case "integer", "number" -> {
                return hostile ? hostileNumber() : new Raw(Long.toString(bounded(schema)));
            }
            case "boolean" -> {
                return hostile ? hostileValue() : random.nextBoolean();
            }
            default -> {
                return hostile ? hostileValue() : scalarText(schema, name);
            }
        }
    }

    private long bounded(JsonNode schema) {
        long min = schema.path("minimum").asLong(0);
        long max = schema.path("maximum").asLong(Math.max(min, 0) + 1000);
        return min + (long) (random.nextDouble() * (max - min + 1));
    }

    /** A plausible text for a string schema or query parameter. */
    private String scalarText(JsonNode schema, String name) {
        JsonNode values = schema.path("enum");
        if (values.size() > 0 && chance(80)) {
            return values.get(random.nextInt(values.size())).asString();
        }
        String format = schema.path("format").asString("");
        String lower = name.toLowerCase();
        if (format.equals("uuid") || lower.endsWith("id") || lower.endsWith("ids")) {
            return uuidText();
        }
        if (format.equals("date-time") || lower.equals("from") || lower.equals("to") || lower.endsWith("at")
                || lower.equals("minute") || lower.equals("set")) {
            return dateText();
        }
        if (schema.path("type").asString("").equals("integer")) {
            return Long.toString(bounded(schema));
        }
        if (schema.path("type").asString("").equals("boolean")) {
            return pick("true", "false");
        }
        if (lower.equals("month")) {
            return pick("2026-11", "2026-13", "0000-01", "99999-01", "2026-1", "2026/11", "");
        }
        JsonNode example = schema.path("example");
        if (!example.isMissingNode() && !example.isNull() && chance(70)) {
            return example.isString() ? example.asString() : example.toString();
        }
        return draw(Gen.alphanumeric(1, 20));
    }

    private String pathValue() {
        return chance(80) ? uuidText() : hostileText();
    }

    private String uuidText() {
        int dice = random.nextInt(100);
        if (dice < 35) {
            return ownIds.get(random.nextInt(ownIds.size()));
        }
        if (dice < 60) {
            return foreignIds.get(random.nextInt(foreignIds.size()));
        }
        if (dice < 85) {
            return new UUID(random.nextLong(), random.nextLong()).toString();
        }
        return pick("00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "1-2-3-4-5",
                "0b7e3c1a2f4d4e5f8a9b1c2d3e4f5a6b", "0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6", "not-a-uuid",
                "0B7E3C1A-2F4D-4E5F-8A9B-1C2D3E4F5A6B", "{0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b}",
                "0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b0000", "g0000000-0000-0000-0000-000000000000");
    }

    private String dateText() {
        if (chance(50)) {
            Instant instant = draw(
                    Gen.instants(Instant.parse("1900-01-01T00:00:00Z"), Instant.parse("2200-01-01T00:00:00Z")));
            return instant.toString();
        }
        return pick("2026-11-22T08:30:00Z", "2026-02-30T00:00:00Z", "9999-12-31T23:59:59Z",
                "+1000000000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "2026-11-22",
                "2026-11-22T08:30:00+08:00", "2026-11-22T08:30:00.1234567891234Z", "2026-11-22T08:30Z",
                "2026-11-22T25:00:00Z", "1970-01-01T00:00:00Z", "yesterday", "", "2026-11-22T08:30:00Z[Asia/Shanghai]",
                "P1D", "1763800200");
    }

    private static final Gen<String> HOSTILE_STRINGS = Gen.frequency(List.of(
            Gen.weighted(4,
                    Gen.of("", " ", "null", "true", "0", "-1", "1e309", "NaN", "Infinity", "' OR '1'='1",
                            "'; DROP TABLE accounts; --", "\" OR 1=1 --", "{\"$ne\": null}", "{\"amount\": \"1\"}",
                            "../../etc/passwd", "%00", "%2e%2e%2f", "\u0000", "\u202e\u0041", "\uD83D\uDE00", "\uD800",
                            "\uFEFF", "ß", "${jndi:ldap://x/a}", "<script>alert(1)</script>", "%s%s%s%n", "\\", "\"",
                            "12.345", "100.00", "CNY", "USD", "cny", "P1D", "PT-1S", "DEVICE_1_FLOW_20G ", "guangzhou",
                            "cn-shanghai", "1h", "1d", "7d", "0h", "-1h")),
            Gen.weighted(3, Gen.anyStrings(64)), Gen.weighted(2, Gen.strings('\u0000', '\u001f', 1, 8)),
            Gen.weighted(2, Gen.strings('\u4e00', '\u9fff', 1, 300)),
            Gen.weighted(1, Gen.integers(256, 200_000).map("x"::repeat))));

    private static final Gen<String> HOSTILE_NUMBERS = Gen.frequency(List.of(
            Gen.weighted(4,
                    Gen.of("0", "-0", "-1", "1", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
                            "9223372036854775808", "-9223372036854775809", "99999999999999999999999999999999999999",
                            "1e2", "1E400", "1e-400", "-1e308", "0.5", "1.0", "0.0000000000000000000001",
                            "123456789012345678901234567890.123456789012345678901234567890", "10.005",
                            "1.999999999999999999999")),
            Gen.weighted(2, Gen.longs().map(Object::toString)),
            Gen.weighted(2, Gen.bigDecimals(25).map(BigDecimal::toPlainString)), Gen.weighted(1,
                    Gen.doubles().map(d -> Double.toString(d)).filter(d -> !d.contains("N") && !d.contains("I")))));

    private String hostileText() {
        return draw(HOSTILE_STRINGS);
    }

    private Object hostileNumber() {
        return new Raw(draw(HOSTILE_NUMBERS));
    }

    private Object hostileValue() {
        return switch (random.nextInt(8)) {
            case 0, 1, 2 -> hostileText();
            case 3, 4 -> hostileNumber();
            case 5 -> pick(true, false, null);
            case 6 -> pick(List.of(), Map.of(), List.of(List.of()), Map.of("a", Map.of("b", List.of(1))));
            default -> dateText();
        };
    }

    // ----------------------------------------------------------------------------------------------
    // snapshots

    /**
     * Waits until the association worker has nothing left to do, then fingerprints the
     * business tables.
     */
    private Map<String, String> quietSnapshot() {
        await("no bandwidth plan left CHANGING").atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> jdbc.queryForObject("SELECT count(*) FROM bandwidth_plans WHERE status = 'CHANGING'",
                    Integer.class), changing -> changing != null && changing == 0);
        return snapshot();
    }

    /**
     * Per table: row count and the sum of 64-bit row hashes (independent of row order and
     * cheap to compute).
     */
    private Map<String, String> snapshot() {
        List<String> tables = jdbc.queryForList("""
                SELECT table_name FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                 ORDER BY table_name""", String.class);
        StringBuilder sql = new StringBuilder();
        for (String table : tables) {
            if (IGNORED_TABLES.contains(table)) {
                continue;
            }
            if (!sql.isEmpty()) {
                sql.append(" UNION ALL ");
            }
            sql.append("SELECT '")
                .append(table)
                .append("' AS t, count(*) || ':' || coalesce(sum(hashtextextended(")
                .append("r::text, 0)::numeric), 0) AS f FROM \"")
                .append(table)
                .append("\" r");
        }
        Map<String, String> fingerprint = new TreeMap<>();
        jdbc.query(sql.toString(), row -> {
            fingerprint.put(row.getString("t"), row.getString("f"));
        });
        return fingerprint;
    }

    // ----------------------------------------------------------------------------------------------
    // helpers

    private <T> T draw(Gen<T> gen) {
        return gen.next(random);
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }

    /**
     * Cuts a hostile path or query value (some are up to 200,000 characters) until its
     * percent-encoded form takes at most {@link #URI_VALUE_MAX} characters. Halving draws
     * nothing from the random source, so a seed sends the same cases as before otherwise.
     */
    private static String withinUriBudget(String value, boolean inPath) {
        String fitted = value;
        while ((inPath ? encodePath(fitted) : URLEncoder.encode(fitted, StandardCharsets.UTF_8))
            .length() > URI_VALUE_MAX) {
            fitted = fitted.substring(0, fitted.length() / 2);
        }
        return fitted;
    }

    private static String encodePath(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void appendQuery(StringBuilder query, String name, String value) {
        query.append(query.isEmpty() ? '?' : '&')
            .append(name)
            .append('=')
            .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private String write(Object value) {
        if (value instanceof Raw raw) {
            return raw.text();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((key, item) -> {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append(json.writeValueAsString(String.valueOf(key))).append(':').append(write(item));
            });
            return out.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            for (Object item : list) {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append(write(item));
            }
            return out.append(']').toString();
        }
        return json.writeValueAsString(value);
    }

}
