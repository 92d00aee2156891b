package io.planbilling.kafka;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * A producer and a dead-letter reader for the tests, as a metering pipeline and an
 * operator would use the broker: plain Kafka clients, JSON text values.
 */
final class KafkaTestSupport implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String brokers;

    private final KafkaProducer<String, String> producer;

    KafkaTestSupport(String brokers) {
        this.brokers = brokers;
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        this.producer = new KafkaProducer<>(properties);
    }

    static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    /**
     * Sends the messages (key, value; a null value is a tombstone) to one partition, in
     * order, and waits until the broker has them.
     */
    void send(String topic, int partition, List<Map.Entry<String, String>> messages) {
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        for (Map.Entry<String, String> message : messages) {
            sent.add(producer.send(new ProducerRecord<>(topic, partition, message.getKey(), message.getValue())));
        }
        producer.flush();
        for (java.util.concurrent.Future<?> future : sent) {
            try {
                future.get();
            }
            catch (Exception ex) {
                throw new IllegalStateException("not produced", ex);
            }
        }
    }

    /**
     * The dead letters of {@code topic}'s DLQ that match, read from the beginning until
     * {@code expected} of them are there.
     */
    List<ConsumerRecord<String, String>> deadLetters(String topic, Predicate<ConsumerRecord<String, String>> matching,
            int expected) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(KafkaIngestionSettings.deadLetterTopic(topic)));
            await("dead letters of " + topic).atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (matching.test(record)) {
                        found.add(record);
                    }
                }
                return found.size() >= expected;
            });
        }
        return found;
    }

    static List<String> headers(ConsumerRecord<?, ?> record, String name) {
        List<String> values = new ArrayList<>();
        for (Header header : record.headers().headers(name)) {
            values.add(new String(header.value(), StandardCharsets.UTF_8));
        }
        return values;
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static TopicPartition partition(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

}
