package io.planbilling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * The data a benchmark phase needs (accounts, devices, packages, office networks), made through the service's own
 * API before the load starts and kept in {@code bench/target/fixture/<run>-<part>.json} so that every phase of one run
 * shares it.
 * Nothing here is measured.
 */
final class Fixture {

    static final String BASE_URL = System.getProperty("baseUrl", "http://localhost:18080");
    static final String OPERATOR_KEY = System.getProperty("operatorKey", "bench-operator-key");
    static final String RUN = System.getProperty("run", "local");

    /** Where fixtures and phase results go: {@code bench/target} of the checkout. */
    static final Path OUTPUT = Path.of(System.getProperty("benchOutput", "bench/target"));

    /** Packages for ingestion: each DEVICE_5_FLOW_500G binds five devices; 500 GB never runs out in a run. */
    static final int INGEST_PACKAGES = 200;
    static final int DEVICES_PER_PACKAGE = 5;
    static final int CONSOLE_ACCOUNTS = 64;
    static final int NETWORKS = 100;
    static final int READERS = 256;

    private static final ObjectMapper json = new ObjectMapper();
    private static final HttpClient client = HttpClient.newHttpClient();

    /** The ingestion account's key and its devices, each bound to a live package. */
    record Ingestion(String accountKey, List<String> devices) {
    }

    /** Ingestion data, made once per run. */
    static Ingestion ingestion() {
        JsonNode saved = cached("ingestion", () -> {
            String key = account("bench-ingest", "100000000.00");
            List<String> devices = inParallel(INGEST_PACKAGES, p -> {
                List<String> bound = new ArrayList<>();
                for (int d = 0; d < DEVICES_PER_PACKAGE; d++) {
                    bound.add(post(key, "/api/v1/devices", "{\"name\":\"meter-" + UUID.randomUUID() + "\"}")
                            .get("id").asText());
                }
                ObjectNode purchase = json.createObjectNode().put("type", "DEVICE_5_FLOW_500G")
                        .put("region", "GUANGZHOU").put("autoRenew", false);
                ArrayNode ids = purchase.putArray("deviceIds");
                bound.forEach(ids::add);
                post(key, "/api/v1/traffic-packages", purchase.toString());
                return bound;
            }).stream().flatMap(List::stream).toList();
            ObjectNode made = json.createObjectNode().put("accountKey", key);
            made.set("devices", json.valueToTree(devices));
            return made;
        });
        return new Ingestion(saved.get("accountKey").asText(), strings(saved.get("devices")));
    }

    /** The used bytes of every package of the account of {@code accountKey}, read through the API. */
    static long usedBytes(String accountKey) {
        long total = 0;
        for (int page = 0;; page++) {
            JsonNode packages = get(accountKey, "/api/v1/traffic-packages?size=200&page=" + page);
            for (JsonNode p : packages.get("content")) {
                total += p.get("usedBytes").asLong();
            }
            if (page + 1 >= packages.get("page").get("totalPages").asInt()) {
                return total;
            }
        }
    }

    /** API keys of accounts with a large balance, one per console customer. */
    static List<String> consoleKeys() {
        return strings(cached("console", () -> json.valueToTree(
                inParallel(CONSOLE_ACCOUNTS, n -> account("bench-console-" + n, "100000000.00")))));
    }

    /**
     * API keys of the read phase's accounts: enough of them that 16 clients stay inside every key's rate limit
     * (docs/operations.md), as many customers' dashboards would.
     */
    static List<String> readerKeys() {
        return strings(cached("readers", () -> json.valueToTree(
                inParallel(READERS, n -> account("bench-reader-" + n, "100.00")))));
    }

    /** Office networks whose samples the samples phase posts. */
    static List<String> networks() {
        return strings(cached("networks", () -> {
            String key = account("bench-office", "1000.00");
            return json.valueToTree(inParallel(NETWORKS, n -> post(key, "/api/v1/office-networks",
                    "{\"name\":\"office-" + n + "\",\"region\":\"cn-hangzhou\"}").get("id").asText()));
        }));
    }

    private static synchronized JsonNode cached(String part, Callable<JsonNode> make) {
        Path file = OUTPUT.resolve("fixture").resolve(RUN + "-" + part + ".json");
        try {
            if (Files.exists(file)) {
                return json.readTree(file.toFile());
            }
            long started = System.nanoTime();
            JsonNode made = make.call();
            Files.createDirectories(file.getParent());
            json.writeValue(file.toFile(), made);
            System.out.printf("fixture: %s made in %d ms%n", part, (System.nanoTime() - started) / 1_000_000);
            return made;
        }
        catch (Exception e) {
            throw new IllegalStateException("could not make the benchmark fixture '" + part + "'", e);
        }
    }

    private static <T> List<T> inParallel(int count, IntFunction<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> task.apply(n)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
        finally {
            pool.shutdown();
        }
    }

    /** Creates an account topped up with {@code balance} and returns its API key. */
    private static String account(String name, String balance) {
        JsonNode account = post(OPERATOR_KEY, "/api/v1/accounts", "{\"name\":\"" + name + "\"}");
        post(OPERATOR_KEY, "/api/v1/accounts/" + account.get("id").asText() + "/credits",
                "{\"amount\":{\"amount\":\"" + balance + "\",\"currency\":\"CNY\"},\"reference\":\"bench-"
                        + UUID.randomUUID() + "\"}");
        return account.get("apiKey").asText();
    }

    static JsonNode post(String key, String path, String body) {
        return send(key, HttpRequest.newBuilder(URI.create(BASE_URL + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json"));
    }

    static JsonNode get(String key, String path) {
        return send(key, HttpRequest.newBuilder(URI.create(BASE_URL + path)).GET());
    }

    private static JsonNode send(String key, HttpRequest.Builder request) {
        try {
            HttpRequest built = request.header("Authorization", "Bearer " + key).build();
            HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
            while (response.statusCode() == 429) { // the per-key rate limit: wait as told, as a good client does
                Thread.sleep(1000L * Long.parseLong(response.headers().firstValue("Retry-After").orElse("1")));
                response = client.send(built, HttpResponse.BodyHandlers.ofString());
            }
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(response.request().uri() + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            return json.readTree(response.body());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }
}
