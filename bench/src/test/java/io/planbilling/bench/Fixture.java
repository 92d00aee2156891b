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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The data a benchmark phase needs (accounts, devices, packages, office networks), made through the service's own
 * API before the load starts and kept in {@code target/fixture-<run>.json} so that every phase of one run shares it.
 * Nothing here is measured.
 */
final class Fixture {

    static final String BASE_URL = System.getProperty("baseUrl", "http://localhost:18080");
    static final String OPERATOR_KEY = System.getProperty("operatorKey", "bench-operator-key");
    static final String RUN = System.getProperty("run", "local");

    /** Packages for ingestion: each DEVICE_5_FLOW_500G binds five devices; 500 GB never runs out in a run. */
    static final int INGEST_PACKAGES = 200;
    static final int DEVICES_PER_PACKAGE = 5;
    static final int CONSOLE_ACCOUNTS = 64;
    static final int NETWORKS = 100;

    private static final ObjectMapper json = new ObjectMapper();
    private static final HttpClient client = HttpClient.newHttpClient();

    final String ingestAccountKey;
    final List<String> ingestDevices;
    final List<String> consoleKeys;
    final List<String> networks;

    private Fixture(String ingestAccountKey, List<String> ingestDevices, List<String> consoleKeys,
            List<String> networks) {
        this.ingestAccountKey = ingestAccountKey;
        this.ingestDevices = ingestDevices;
        this.consoleKeys = consoleKeys;
        this.networks = networks;
    }

    static synchronized Fixture load() {
        Path file = Path.of("target", "fixture-" + RUN + ".json");
        try {
            if (Files.exists(file)) {
                JsonNode saved = json.readTree(file.toFile());
                return new Fixture(saved.get("ingestAccountKey").asText(), strings(saved.get("ingestDevices")),
                        strings(saved.get("consoleKeys")), strings(saved.get("networks")));
            }
            Fixture made = create();
            ObjectNode saved = json.createObjectNode();
            saved.put("ingestAccountKey", made.ingestAccountKey);
            saved.set("ingestDevices", json.valueToTree(made.ingestDevices));
            saved.set("consoleKeys", json.valueToTree(made.consoleKeys));
            saved.set("networks", json.valueToTree(made.networks));
            Files.createDirectories(file.getParent());
            json.writeValue(file.toFile(), saved);
            return made;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Fixture create() {
        long started = System.nanoTime();
        String ingestKey = account("bench-ingest", "100000000.00");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> packages = new ArrayList<>();
            for (int p = 0; p < INGEST_PACKAGES; p++) {
                packages.add(pool.submit(() -> {
                    List<String> devices = new ArrayList<>();
                    for (int d = 0; d < DEVICES_PER_PACKAGE; d++) {
                        devices.add(post(ingestKey, "/api/v1/devices", "{\"name\":\"meter-" + UUID.randomUUID()
                                + "\"}").get("id").asText());
                    }
                    ObjectNode purchase = json.createObjectNode().put("type", "DEVICE_5_FLOW_500G")
                            .put("region", "GUANGZHOU").put("autoRenew", false);
                    ArrayNode ids = purchase.putArray("deviceIds");
                    devices.forEach(ids::add);
                    post(ingestKey, "/api/v1/traffic-packages", purchase.toString());
                    return devices;
                }));
            }
            List<String> devices = new ArrayList<>();
            for (Future<List<String>> made : packages) {
                devices.addAll(made.get());
            }
            List<Future<String>> consoles = new ArrayList<>();
            for (int a = 0; a < CONSOLE_ACCOUNTS; a++) {
                int n = a;
                consoles.add(pool.submit(() -> account("bench-console-" + n, "100000000.00")));
            }
            List<String> consoleKeys = new ArrayList<>();
            for (Future<String> key : consoles) {
                consoleKeys.add(key.get());
            }
            String networkKey = account("bench-office", "1000.00");
            List<Future<String>> made = new ArrayList<>();
            for (int n = 0; n < NETWORKS; n++) {
                made.add(pool.submit(() -> post(networkKey, "/api/v1/office-networks",
                        "{\"name\":\"office-" + UUID.randomUUID() + "\",\"region\":\"cn-hangzhou\"}").get("id")
                        .asText()));
            }
            List<String> networks = new ArrayList<>();
            for (Future<String> network : made) {
                networks.add(network.get());
            }
            System.out.printf("fixture: %d devices in %d packages, %d console accounts, %d networks in %d ms%n",
                    devices.size(), INGEST_PACKAGES, consoleKeys.size(), networks.size(),
                    (System.nanoTime() - started) / 1_000_000);
            return new Fixture(ingestKey, devices, consoleKeys, networks);
        }
        catch (Exception e) {
            throw new IllegalStateException("could not create the benchmark fixture", e);
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
            HttpResponse<String> response = client.send(request.header("Authorization", "Bearer " + key).build(),
                    HttpResponse.BodyHandlers.ofString());
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
