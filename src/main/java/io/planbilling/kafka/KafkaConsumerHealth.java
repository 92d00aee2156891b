package io.planbilling.kafka;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * The Kafka consumer's state, health component {@code kafkaConsumer}, shown only in its
 * own group {@code /actuator/health/kafka} ({@link KafkaHealthGroup} keeps it out of
 * {@code /actuator/health}; liveness and readiness never include it): a broker outage or
 * a batch held back by a database outage must not take an instance that serves HTTP out
 * of a load balancer's rotation (docs/kafka-ingestion.md).
 *
 * <p>
 * {@code UNKNOWN} while Kafka ingestion is off; {@code DOWN} when a listener container is
 * not running, the broker did not answer the last lag read, or a batch is being tried
 * again after a failure (with the failure and since when); {@code UP} otherwise. Details
 * (the last batch of each topic, the lag per partition) go to the operator key only.
 */
@Component(KafkaConsumerHealth.BEAN)
class KafkaConsumerHealth implements HealthIndicator {

    /** The bean's name, whose contributor name is {@value #COMPONENT}. */
    static final String BEAN = "kafkaConsumerHealthIndicator";

    static final String COMPONENT = "kafkaConsumer";

    private final KafkaIngestionSettings settings;

    private final ObjectProvider<ConsumerState> state;

    private final ObjectProvider<ConsumerLag> lag;

    private final ObjectProvider<MessageListenerContainer> containers;

    KafkaConsumerHealth(KafkaIngestionSettings settings, ObjectProvider<ConsumerState> state,
            ObjectProvider<ConsumerLag> lag, ObjectProvider<MessageListenerContainer> containers) {
        this.settings = settings;
        this.state = state;
        this.lag = lag;
        this.containers = containers;
    }

    @Override
    public Health health() {
        ConsumerState consumers = state.getIfAvailable();
        if (!settings.enabled() || consumers == null) {
            return Health.unknown().withDetail("enabled", false).build();
        }
        Health.Builder health = Health.up();
        List<String> stopped = containers.stream()
            .filter(container -> !container.isRunning())
            .map(MessageListenerContainer::getListenerId)
            .toList();
        if (!stopped.isEmpty()) {
            health.down().withDetail("stopped", stopped);
        }
        if (consumers.brokerFailure() != null) {
            health.down().withDetail("broker", "unreachable: " + consumers.brokerFailure());
        }
        Map<String, Object> topics = new LinkedHashMap<>();
        consumers.topics().forEach((topic, seen) -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("lastBatchAt", seen.lastBatchAt());
            if (seen.failure() != null) {
                health.down();
                details.put("retrying", seen.failure());
                details.put("failingSince", seen.failingSince());
            }
            topics.put(topic, details);
        });
        health.withDetail("topics", topics);
        ConsumerLag groupLag = lag.getIfAvailable();
        Instant lagReadAt = consumers.lagReadAt();
        if (groupLag != null && lagReadAt != null) {
            health.withDetail("lagReadAt", lagReadAt).withDetail("lag", groupLag.snapshot());
        }
        return health.build();
    }

}
