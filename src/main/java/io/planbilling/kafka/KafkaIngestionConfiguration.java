package io.planbilling.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.ExponentialBackOff;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kafka ingestion's consumers, dead-letter producer and lag reader, only with
 * {@code billing.kafka.enabled=true} (docs/kafka-ingestion.md). The clients take the
 * broker and everything else from Spring Boot's {@code spring.kafka.*}; this adds what
 * the ingestion's guarantees depend on and so does not leave to configuration: offsets
 * are committed by the container only (never automatically), after the listener returned
 * ({@code AckMode.BATCH}), synchronously; a new group starts at the earliest offset; the
 * dead-letter producer waits for every in-sync replica and is idempotent; and a failed
 * batch is tried again without end, with a back-off, and never skipped (every exception
 * counts as retryable, so none sends a batch to a recoverer).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("billing.kafka.enabled")
class KafkaIngestionConfiguration {

    /** The consumer group when {@code spring.kafka.consumer.group-id} is not set. */
    static final String DEFAULT_GROUP = "plan-billing";

    /**
     * The room a message is given in a partition's fetch, generous for one record or
     * sample of JSON with its key and the record batch's overhead.
     */
    static final int FETCH_BYTES_PER_RECORD = 512;

    static String group(KafkaProperties kafka) {
        String group = kafka.getConsumer().getGroupId();
        return group == null || group.isBlank() ? DEFAULT_GROUP : group;
    }

    /**
     * On the system clock, not the service's business clock: the consumer's health speaks
     * of wall time, and the test clock reads the database, which may be the very thing
     * that is down.
     */
    @Bean
    ConsumerState kafkaConsumerState() {
        return new ConsumerState(Clock.systemUTC());
    }

    @Bean
    DefaultKafkaConsumerFactory<String, byte[]> ingestionConsumerFactory(KafkaProperties kafka,
            KafkaConnectionDetails connection, KafkaIngestionSettings settings,
            ObjectProvider<DefaultKafkaConsumerFactoryCustomizer> customizers) {
        Map<String, Object> properties = kafka.buildConsumerProperties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.getConsumer().getBootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group(kafka));
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        // one partition's fetch holds a full batch (a message is a few hundred bytes), so
        // that a consumer of a single partition with a backlog polls full batches too
        properties.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Math
            .max(ConsumerConfig.DEFAULT_MAX_PARTITION_FETCH_BYTES, settings.maxPollRecords() * FETCH_BYTES_PER_RECORD));
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        DefaultKafkaConsumerFactory<String, byte[]> factory = new DefaultKafkaConsumerFactory<>(properties);
        customizers.orderedStream().forEach(customizer -> customizer.customize(factory));
        return factory;
    }

    @Bean
    DeadLetters kafkaDeadLetters(KafkaProperties kafka, KafkaConnectionDetails connection,
            KafkaIngestionSettings settings, ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers) {
        Map<String, Object> properties = kafka.buildProducerProperties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.getProducer().getBootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(properties);
        customizers.orderedStream().forEach(customizer -> customizer.customize(factory));
        return new DeadLetters(new KafkaTemplate<>(factory), settings.sendTimeout());
    }

    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> usageTopicContainer(UsageTopic topic,
            IngestionContainers containers) {
        return containers.container(topic);
    }

    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> samplesTopicContainer(SamplesTopic topic,
            IngestionContainers containers) {
        return containers.container(topic);
    }

    @Bean
    IngestionContainers ingestionContainers(DefaultKafkaConsumerFactory<String, byte[]> consumers,
            KafkaIngestionSettings settings, KafkaProperties kafka, JsonMapper json,
            PlatformTransactionManager transactionManager, DeadLetters deadLetters, ConsumerState state,
            MeterRegistry meters) {
        return new IngestionContainers(consumers, settings, group(kafka), json,
                new TransactionTemplate(transactionManager), deadLetters, state, meters);
    }

    @Bean(destroyMethod = "close")
    Admin kafkaLagAdmin(KafkaProperties kafka, KafkaConnectionDetails connection) {
        Map<String, Object> properties = kafka.buildAdminProperties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, connection.getAdmin().getBootstrapServers());
        properties.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        properties.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return Admin.create(properties);
    }

    @Bean
    ConsumerLag kafkaConsumerLag(Admin kafkaLagAdmin, KafkaProperties kafka, KafkaIngestionSettings settings,
            ConsumerState state, MeterRegistry meters) {
        return new ConsumerLag(kafkaLagAdmin, group(kafka), List.of(settings.usageTopic(), settings.samplesTopic()),
                settings.lagInterval(), state, meters);
    }

    /** Builds the listener container of a topic. */
    record IngestionContainers(DefaultKafkaConsumerFactory<String, byte[]> consumers, KafkaIngestionSettings settings,
            String group, JsonMapper json, TransactionTemplate transactions, DeadLetters deadLetters,
            ConsumerState state, MeterRegistry meters) {

        <T> ConcurrentMessageListenerContainer<String, byte[]> container(TopicIngestion<T> ingestion) {
            ContainerProperties properties = new ContainerProperties(ingestion.topic());
            properties.setGroupId(group);
            // offsets of a batch are committed after the listener returned, that is after
            // its database transaction committed and its dead letters were acknowledged;
            // synchronously, before the next poll
            properties.setAckMode(ContainerProperties.AckMode.BATCH);
            properties.setSyncCommits(true);
            properties.setMessageListener(new BatchIngestion<>(ingestion, new MessageReader<>(json, ingestion.type()),
                    transactions, deadLetters, group, state, meters));
            ConcurrentMessageListenerContainer<String, byte[]> container = new ConcurrentMessageListenerContainer<>(
                    consumers, properties);
            container.setConcurrency(settings.concurrency());
            container.setCommonErrorHandler(errorHandler());
            return container;
        }

        /**
         * A failed batch is tried again in memory, the consumer paused (it keeps polling,
         * so it stays in the group), after 1 s, 2 s, 4 s … up to the longest back-off,
         * without end; no exception is fatal, so no batch is ever handed to a recoverer
         * and skipped.
         */
        private DefaultErrorHandler errorHandler() {
            ExponentialBackOff backOff = new ExponentialBackOff(settings.initialBackOff().toMillis(), 2.0);
            backOff.setMaxInterval(settings.maxBackOff().toMillis());
            backOff.setMaxElapsedTime(Long.MAX_VALUE);
            backOff.setMaxAttempts(Integer.MAX_VALUE);
            DefaultErrorHandler handler = new DefaultErrorHandler((record, ex) -> {
                throw new IllegalStateException("a batch is never given up", ex);
            }, backOff);
            handler.setClassifications(Map.of(), true);
            return handler;
        }

    }

}
