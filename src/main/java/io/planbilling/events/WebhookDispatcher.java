package io.planbilling.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.planbilling.events.WebhookDeliveryRepository.Claim;
import io.planbilling.events.WebhookDeliveryRepository.Outcome;
import io.planbilling.shared.Audit;
import io.planbilling.shared.BillingMeters;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends webhook deliveries, on every instance at once: each round claims what is due
 * ({@link WebhookDeliveryRepository}: leased, in feed order per resource), sends it on
 * this class's own small pool ({@link WebhookSender}, with connect and request timeouts —
 * never on a request thread, never inside a database transaction) and records each
 * outcome in its own short transaction.
 */
@Component
class WebhookDispatcher {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final WebhookDeliveryRepository deliveries;

    private final EventFeed events;

    private final WebhookSender sender;

    private final WebhookSettings settings;

    private final ExecutorService senders;

    private final MeterRegistry meters;

    WebhookDispatcher(WebhookDeliveryRepository deliveries, EventFeed events, JsonMapper json, WebhookSettings settings,
            MeterRegistry meters) {
        this.deliveries = deliveries;
        this.events = events;
        this.sender = new WebhookSender(json, settings);
        this.settings = settings;
        this.meters = meters;
        this.senders = Executors.newFixedThreadPool(settings.senders(), runnable -> {
            Thread thread = new Thread(runnable, "webhook-sender");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Dispatches until nothing more is due (at most 100 rounds), so that a resource's
     * events, which go out one after the other, do not wait a poll interval each.
     */
    @Scheduled(fixedDelayString = "${billing.webhooks.poll-interval:PT1S}")
    void poll() {
        try {
            Audit.asJob("webhook-dispatcher", () -> {
                int rounds = 0;
                while (dispatchOnce() > 0 && ++rounds < 100) {
                    // next round at once
                }
                return rounds;
            });
        }
        catch (RuntimeException ex) {
            log.warn("Webhook dispatch failed; retrying on the next poll", ex);
        }
    }

    /**
     * Claims what is due, sends it and records the outcomes; the number of deliveries
     * attempted.
     */
    public int dispatchOnce() {
        List<Claim> claims = deliveries.claim();
        if (claims.isEmpty()) {
            return 0;
        }
        Map<UUID, EventView> byId = events.byIds(claims.stream().map(Claim::eventId).toList());
        List<Future<Outcome>> sent = new ArrayList<>();
        for (Claim claim : claims) {
            // a delivery references its event (foreign key), which is never deleted
            EventView event = Objects.requireNonNull(byId.get(claim.eventId()));
            sent.add(senders.submit(() -> sender.send(claim, event)));
        }
        long waitMillis = settings.connectTimeout().plus(settings.requestTimeout()).plusSeconds(5).toMillis();
        for (int i = 0; i < claims.size(); i++) {
            Outcome outcome;
            try {
                outcome = sent.get(i).get(waitMillis, TimeUnit.MILLISECONDS);
            }
            catch (TimeoutException ex) {
                sent.get(i).cancel(true);
                outcome = new Outcome(null, (int) waitMillis, "timeout");
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return i;
            }
            catch (ExecutionException ex) {
                outcome = new Outcome(null, 0, "failed: " + ex.getCause());
            }
            deliveries.record(claims.get(i), outcome);
            meters
                .counter(BillingMeters.WEBHOOK_DELIVERIES, BillingMeters.OUTCOME,
                        outcome.succeeded() ? "delivered"
                                : claims.get(i).attempt() >= settings.maxAttempts() ? "failed" : "retrying")
                .increment();
        }
        return claims.size();
    }

    @PreDestroy
    void stop() {
        senders.shutdownNow();
    }

}
