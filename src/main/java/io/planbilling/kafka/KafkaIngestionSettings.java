package io.planbilling.kafka;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of Kafka ingestion ({@code billing.kafka.*}, docs/kafka-ingestion.md); the
 * broker, the consumer group and the clients' own settings are Spring Boot's
 * {@code spring.kafka.*}.
 *
 * @param enabled whether the service consumes the topics at all
 * @param usageTopic the topic of usage records, one record per message keyed by device id
 * @param samplesTopic the topic of bandwidth samples, one sample per message keyed by
 * office network id
 * @param concurrency consumers per topic in each instance (more than the topic's
 * partitions stay idle)
 * @param maxPollRecords most messages in one polled batch, and so in one transaction (at
 * most 10 000, the facades' largest batch)
 * @param initialBackOff the first wait before a batch whose transaction failed (the
 * database unreachable) is tried again; each further wait doubles
 * @param maxBackOff the longest wait between two tries; a batch is tried until it
 * succeeds
 * @param lagInterval how often the consumer group's lag is read from the broker
 * @param sendTimeout how long a dead-letter message may take to be acknowledged by the
 * broker before the batch is tried again
 */
@ConfigurationProperties("billing.kafka")
record KafkaIngestionSettings(@DefaultValue("false") boolean enabled,
        @DefaultValue("plan-billing.traffic-usage") String usageTopic,
        @DefaultValue("plan-billing.bandwidth-samples") String samplesTopic, @DefaultValue("1") int concurrency,
        @DefaultValue("1000") int maxPollRecords, @DefaultValue("PT1S") Duration initialBackOff,
        @DefaultValue("PT30S") Duration maxBackOff, @DefaultValue("PT15S") Duration lagInterval,
        @DefaultValue("PT30S") Duration sendTimeout) {

    /** Most messages in one batch: what the facades take in one call. */
    static final int MAX_POLL_RECORDS = 10_000;

    KafkaIngestionSettings {
        if (maxPollRecords < 1 || maxPollRecords > MAX_POLL_RECORDS) {
            throw new IllegalArgumentException(
                    "billing.kafka.max-poll-records must be 1 to " + MAX_POLL_RECORDS + ", not " + maxPollRecords);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("billing.kafka.concurrency must be at least 1, not " + concurrency);
        }
    }

    /** The dead-letter topic of a topic: its name and {@code .dlq}. */
    static String deadLetterTopic(String topic) {
        return topic + ".dlq";
    }

}
