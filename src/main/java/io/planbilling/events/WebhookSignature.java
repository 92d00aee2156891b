package io.planbilling.events;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Billing-Signature} header, Stripe's scheme:
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}, with one {@code v1} per live
 * secret (two during a rotation's overlap), so a receiver that knows either accepts.
 */
final class WebhookSignature {

    public static final String HEADER = "Billing-Signature";

    private WebhookSignature() {
    }

    public static String header(long timestamp, byte[] body, List<String> secrets) {
        StringBuilder header = new StringBuilder("t=").append(timestamp);
        for (String secret : secrets) {
            header.append(",v1=").append(sign(secret, timestamp, body));
        }
        return header.toString();
    }

    /** Hex HMAC-SHA256 of {@code "<timestamp>.<body>"} under {@code secret}. */
    public static String sign(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        }
        catch (NoSuchAlgorithmException | InvalidKeyException ex) {
            throw new IllegalStateException("HmacSHA256 is unavailable", ex);
        }
    }

}
