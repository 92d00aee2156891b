package io.planbilling.events;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP receiver on loopback, the way a consumer would write one: it verifies the
 * {@code Billing-Signature} header against the secrets it knows (refusing a bad one with
 * 400), answers each request with the status its policy gives for the request's number,
 * and records what arrived and when.
 */
final class Receiver implements AutoCloseable {

    record Received(long atNanos, int status, boolean signatureValid, String eventId, String type, String resourceId,
            String cursor, String signatureHeader) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;

    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());

    private final AtomicInteger requests = new AtomicInteger();

    private volatile List<String> secrets = List.of();

    private volatile IntFunction<Integer> policy = n -> 200;

    private volatile IntFunction<Integer> delayMillis = n -> 0;

    Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/hook", exchange -> {
            int number = requests.incrementAndGet();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String header = exchange.getRequestHeaders().getFirst("Billing-Signature");
            boolean valid = verify(header, body);
            int status = valid ? policy.apply(number) : 400;
            int delay = delayMillis.apply(number);
            if (delay > 0) {
                // a deliberately slow receiver (the delivery's timeout is what is
                // tested), not a wait for anything
                try {
                    Thread.sleep(delay);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            JsonNode event = JSON.readTree(body);
            received.add(new Received(System.nanoTime(), status, valid, event.get("id").asString(),
                    event.get("type").asString(), event.get("resourceId").asString(), event.get("cursor").asString(),
                    header));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    Receiver secrets(String... known) {
        this.secrets = List.of(known);
        return this;
    }

    /**
     * The status to answer with, by the request's number (1-based) among all requests
     * received.
     */
    Receiver policy(IntFunction<Integer> policy) {
        this.policy = policy;
        return this;
    }

    /** How long to wait before answering, by the request's number. */
    Receiver delay(IntFunction<Integer> millis) {
        this.delayMillis = millis;
        return this;
    }

    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /**
     * The receiver's side of the scheme, as the README shows it: any v1 that matches a
     * known secret.
     */
    private boolean verify(String header, byte[] body) {
        if (header == null) {
            return false;
        }
        String timestamp = null;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            String[] pair = part.split("=", 2);
            if (pair.length == 2 && pair[0].equals("t")) {
                timestamp = pair[1];
            }
            else if (pair.length == 2 && pair[0].equals("v1")) {
                signatures.add(pair[1]);
            }
        }
        if (timestamp == null || Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) > 300) {
            return false;
        }
        for (String secret : secrets) {
            byte[] expected = hmac(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII);
            for (String signature : signatures) {
                if (MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Computed here independently of the service's code: hex HMAC-SHA256 of "t.body". */
    private static String hmac(String secret, String timestamp, byte[] body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(mac.doFinal(body));
        }
        catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

}
