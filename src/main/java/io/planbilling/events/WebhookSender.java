package io.planbilling.events;

import io.planbilling.events.WebhookDeliveryRepository.Claim;
import io.planbilling.events.WebhookDeliveryRepository.Outcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import tools.jackson.databind.json.JsonMapper;

/**
 * One signed HTTP POST of an event to an endpoint, with the configured connect and
 * request timeouts; its outcome, never an exception.
 */
class WebhookSender {

    private final JsonMapper json;

    private final WebhookSettings settings;

    private final WebhookUrlPolicy urls;

    private final HttpClient http;

    /**
     * The signature's timestamp is real time on purpose, not the (adjustable) billing
     * clock: receivers compare it with their own clocks to refuse replays, and retries,
     * leases and timeouts are about real time too.
     */
    private final Clock wallClock = Clock.systemUTC();

    WebhookSender(JsonMapper json, WebhookSettings settings) {
        this.json = json;
        this.settings = settings;
        this.urls = new WebhookUrlPolicy(settings.allowPrivateNetworks());
        // the client keeps its own executor: a sender blocked in send() must never wait
        // for a thread of its own pool
        this.http = HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    }

    Outcome send(Claim claim, EventView event) {
        long started = System.nanoTime();
        try {
            URI uri = urls.validate(claim.url());
            byte[] body = json.writeValueAsBytes(event);
            long timestamp = wallClock.instant().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "plan-billing-webhooks/1")
                .header(WebhookSignature.HEADER, WebhookSignature.header(timestamp, body, claim.secrets()))
                .header("Billing-Event-Id", event.id().toString())
                .header("Billing-Event-Type", event.type())
                .header("Billing-Delivery-Id", claim.deliveryId().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return new Outcome(response.statusCode(), elapsed(started), null);
        }
        catch (HttpConnectTimeoutException ex) {
            return new Outcome(null, elapsed(started), "connect timeout");
        }
        catch (HttpTimeoutException ex) {
            return new Outcome(null, elapsed(started), "timeout");
        }
        catch (IOException | RuntimeException ex) {
            return new Outcome(null, elapsed(started), truncate(ex.toString()));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new Outcome(null, elapsed(started), "interrupted");
        }
    }

    private static int elapsed(long startedNanos) {
        return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startedNanos) / 1_000_000);
    }

    private static String truncate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500);
    }

}
