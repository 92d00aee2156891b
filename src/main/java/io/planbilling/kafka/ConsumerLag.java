package io.planbilling.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.planbilling.shared.BillingMeters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The consumer group's lag per partition, {@code billing.kafka.consumer.lag} (tags
 * {@code topic}, {@code partition}): the messages after the group's committed offset, as
 * the broker answers every {@code billing.kafka.lag-interval}. It is the group's, so
 * every instance reports the same figures whichever partitions it owns, and it grows
 * while a database outage holds the batches back (docs/kafka-ingestion.md). A partition
 * the group never committed counts from its first message (a new group starts from the
 * earliest offset). An unanswered read leaves the last figures and marks the broker
 * unreachable in the consumer's health.
 */
final class ConsumerLag implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLag.class);

    static final String TOPIC = "topic";

    static final String PARTITION = "partition";

    private final Admin admin;

    private final String group;

    private final List<String> topics;

    private final Duration interval;

    private final ConsumerState state;

    private final MeterRegistry meters;

    private final Map<TopicPartition, AtomicLong> lags = new ConcurrentHashMap<>();

    private volatile @Nullable ScheduledExecutorService scheduler;

    ConsumerLag(Admin admin, String group, List<String> topics, Duration interval, ConsumerState state,
            MeterRegistry meters) {
        this.admin = admin;
        this.group = group;
        this.topics = topics;
        this.interval = interval;
        this.state = state;
        this.meters = meters;
    }

    /** Reads the group's lag from the broker now. */
    void refresh() {
        try {
            Map<TopicPartition, Long> read = read();
            read.forEach((partition, lag) -> lags.computeIfAbsent(partition, this::register).set(lag));
            state.brokerAnswered();
        }
        catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException ex) {
            Throwable cause = ex.getCause();
            state.brokerFailed(ex instanceof ExecutionException && cause != null ? cause : ex);
            log.debug("Consumer lag not read: {}", ex.toString());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last figures, by topic and partition. */
    SortedMap<String, Long> snapshot() {
        SortedMap<String, Long> snapshot = new TreeMap<>();
        lags.forEach((partition, lag) -> snapshot.put(partition.toString(), lag.get()));
        return snapshot;
    }

    private AtomicLong register(TopicPartition partition) {
        AtomicLong lag = new AtomicLong();
        Gauge.builder(BillingMeters.KAFKA_CONSUMER_LAG, lag, AtomicLong::get)
            .tag(TOPIC, partition.topic())
            .tag(PARTITION, Integer.toString(partition.partition()))
            .description("Messages of the partition after the consumer group's committed offset")
            .register(meters);
        return lag;
    }

    private Map<TopicPartition, Long> read()
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        long timeout = Math.max(1000, Math.min(interval.toMillis(), 10_000));
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(timeout, TimeUnit.MILLISECONDS);
        List<TopicPartition> partitions = new ArrayList<>();
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics).topicNameValues();
        for (String topic : topics) {
            try {
                // the admin client answers a future for every topic it was asked about
                Objects.requireNonNull(described.get(topic))
                    .get(timeout, TimeUnit.MILLISECONDS)
                    .partitions()
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw ex;
                }
            }
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (TopicPartition partition : partitions) {
            latest.put(partition, OffsetSpec.latest());
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                earliest.put(partition, OffsetSpec.earliest());
            }
        }
        Map<TopicPartition, ListOffsetsResultInfo> ends = partitions.isEmpty() ? Map.of()
                : admin.listOffsets(latest).all().get(timeout, TimeUnit.MILLISECONDS);
        Map<TopicPartition, ListOffsetsResultInfo> starts = earliest.isEmpty() ? Map.of()
                : admin.listOffsets(earliest).all().get(timeout, TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> lag = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            // every partition was asked for its end, and for its start when it has no
            // offset
            long from = offset != null ? offset.offset() : Objects.requireNonNull(starts.get(partition)).offset();
            lag.put(partition, Math.max(0, Objects.requireNonNull(ends.get(partition)).offset() - from));
        }
        return lag;
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kafka-consumer-lag");
            thread.setDaemon(true);
            return thread;
        });
        scheduler = started;
        started.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = scheduler;
        if (running != null) {
            running.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

}
