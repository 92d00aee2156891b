package io.planbilling.kafka;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What the consumers of this instance last did, per topic, for their health
 * ({@link KafkaConsumerHealth}): when a batch last succeeded, and the failure a batch is
 * being tried again for, if any; and whether the broker answered the last lag read.
 */
final class ConsumerState {

    /** A topic's consumer as last seen. */
    record Topic(@Nullable Instant lastBatchAt, @Nullable String failure, @Nullable Instant failingSince) {
    }

    private final Map<String, Topic> topics = new ConcurrentHashMap<>();

    private final Clock clock;

    private volatile @Nullable String brokerFailure;

    private volatile @Nullable Instant lagReadAt;

    ConsumerState(Clock clock) {
        this.clock = clock;
    }

    void succeeded(String topic) {
        topics.put(topic, new Topic(clock.instant(), null, null));
    }

    void failed(String topic, Throwable failure) {
        topics.compute(topic,
                (name, before) -> new Topic(before == null ? null : before.lastBatchAt(), failure.toString(),
                        before == null || before.failingSince() == null ? clock.instant() : before.failingSince()));
    }

    void brokerAnswered() {
        brokerFailure = null;
        lagReadAt = clock.instant();
    }

    void brokerFailed(Throwable failure) {
        brokerFailure = failure.toString();
    }

    Map<String, Topic> topics() {
        return new TreeMap<>(topics);
    }

    @Nullable String brokerFailure() {
        return brokerFailure;
    }

    @Nullable Instant lagReadAt() {
        return lagReadAt;
    }

}
