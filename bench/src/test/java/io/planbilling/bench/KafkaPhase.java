package io.planbilling.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The {@code kafka} phase (run by bench/run.sh, not by Gatling), against the KRaft broker the script started and a
 * service started with {@code billing.kafka.enabled=true}.
 *
 * <p>
 * {@code topics}: creates the usage and samples topics (and their dead-letter topics) with
 * {@code -Dpartitions} partitions before the service subscribes.
 *
 * <p>
 * {@code produce}: a metering pipeline's stream — usage records in the HTTP API's shape, 1 MiB each to a device of
 * the ingestion fixture (the same devices the HTTP phases meter), keyed by device id — first a warm-up slice (which
 * goes through the consumers, so it warms their path), then {@code -Drecords} records. It measures from the first
 * send of those until the packages' used bytes show every record (applied and committed in the database) AND the
 * consumer group has committed the topic's end offset on every partition — records/s over that whole span — and
 * checks exactly once: used bytes grew by exactly records × 1 MiB, nothing went to the dead-letter topic.
 *
 * <p>
 * Which partition a record goes to ({@code -Dshape}): {@code package} (the default) sends the devices of one package
 * to one partition ({@code package index % partitions}), the load shape of the HTTP phases, whose posters carry
 * disjoint packages, so that consumers, like posters, do not queue on each other's package row locks;
 * {@code device} leaves it to Kafka's default partitioner (the hash of the device id), so the five devices of a
 * package land on different partitions and every polled batch touches nearly every package: concurrent consumers
 * then take turns on the same package rows.
 */
public final class KafkaPhase {

    private static final String BOOTSTRAP = System.getProperty("bootstrap", "127.0.0.1:19092");

    private static final String USAGE_TOPIC = System.getProperty("usageTopic", "plan-billing.traffic-usage");

    private static final String SAMPLES_TOPIC = System.getProperty("samplesTopic", "plan-billing.bandwidth-samples");

    private static final int PARTITIONS = Integer.getInteger("partitions", 6);

    private static final int RECORDS = Integer.getInteger("records", 600_000);

    private static final int WARMUP = Integer.getInteger("warmup", 100_000);

    private static final long TIMEOUT_NANOS = Long.getLong("timeoutSeconds", 300) * 1_000_000_000L;

    private static final long BYTES = 1L << 20;

    private static final boolean BY_PACKAGE = !"device".equals(System.getProperty("shape", "package"));

    private KafkaPhase() {
    }

    public static void main(String[] args) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP))) {
            if (args[0].equals("topics")) {
                topics(admin);
            }
            else {
                produce(admin, System.getProperty("phase", "kafka"));
            }
        }
    }

    private static void topics(Admin admin) throws Exception {
        for (String topic : List.of(USAGE_TOPIC, SAMPLES_TOPIC, USAGE_TOPIC + ".dlq", SAMPLES_TOPIC + ".dlq")) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
            }
            catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof TopicExistsException)) {
                    throw ex;
                }
            }
        }
        System.out.println("kafka: topics " + USAGE_TOPIC + " and " + SAMPLES_TOPIC + " (+ .dlq), " + PARTITIONS
                + " partitions");
    }

    private static void produce(Admin admin, String name) throws Exception {
        Fixture.Ingestion fixture = Fixture.ingestion();
        String prefix = Fixture.RUN + "-kafka-" + System.nanoTime() + "-";
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            long before = Fixture.usedBytes(fixture.accountKey());
            long warmupStarted = System.nanoTime();
            send(producer, fixture.devices(), prefix + "w-", WARMUP);
            long afterWarmup = awaitUsed(fixture.accountKey(), before + WARMUP * BYTES, warmupStarted);
            System.out.printf(Locale.ROOT, "kafka: warm-up of %,d records applied in %d ms%n", WARMUP,
                    (System.nanoTime() - warmupStarted) / 1_000_000);

            Phase phase = new Phase(name);
            phase.start();
            long started = System.nanoTime();
            send(producer, fixture.devices(), prefix, RECORDS);
            long produced = System.nanoTime();
            long used = awaitUsed(fixture.accountKey(), afterWarmup + RECORDS * BYTES, started);
            long applied = System.nanoTime();
            phase.acknowledged(RECORDS);
            long committedAt = awaitCommitted(admin, started);
            long dlq = records(admin, USAGE_TOPIC + ".dlq");
            long finalUsed = Fixture.usedBytes(fixture.accountKey());
            boolean once = used == afterWarmup + RECORDS * BYTES && finalUsed == used && dlq == 0;
            // records/s until every record is applied and every offset committed
            double seconds = (committedAt - started) / 1e9;
            phase.finish(String.format(Locale.ROOT, "\"users\":%d,\"partitions\":%d,\"shape\":\"%s\","
                    + "\"exactlyOnce\":%s,\"producedSeconds\":%.3f,\"appliedSeconds\":%.3f,"
                    + "\"offsetsCommittedSeconds\":%.3f,\"deadLettered\":%d,\"appliedRecordsPerSecond\":%.1f",
                    PARTITIONS, PARTITIONS, BY_PACKAGE ? "package" : "device", once, (produced - started) / 1e9,
                    (applied - started) / 1e9, seconds, dlq, RECORDS / ((applied - started) / 1e9)), seconds);
            if (!once) {
                throw new IllegalStateException("produced " + RECORDS + " records = " + RECORDS * BYTES
                        + " bytes, but the packages' used bytes grew by " + (finalUsed - afterWarmup)
                        + " and the dead-letter topic holds " + dlq);
            }
        }
    }

    private static void send(KafkaProducer<String, String> producer, List<String> devices, String prefix, int count) {
        String occurredAt = Instant.now().toString();
        for (int n = 0; n < count; n++) {
            int index = n % devices.size();
            String device = devices.get(index);
            Integer partition = BY_PACKAGE ? (index / Fixture.DEVICES_PER_PACKAGE) % PARTITIONS : null;
            producer.send(new ProducerRecord<>(USAGE_TOPIC, partition, device, "{\"id\":\"" + prefix + n + "\",\"deviceId\":\""
                    + device + "\",\"region\":\"GUANGZHOU\",\"bytes\":" + BYTES + ",\"occurredAt\":\"" + occurredAt
                    + "\"}"));
        }
        producer.flush();
    }

    /** Polls the used bytes until they reach {@code expected}; returns them. */
    private static long awaitUsed(String accountKey, long expected, long started) throws InterruptedException {
        while (true) {
            long used = Fixture.usedBytes(accountKey);
            if (used >= expected) {
                return used;
            }
            if (System.nanoTime() - started > TIMEOUT_NANOS) {
                throw new IllegalStateException("the service applied " + (expected - used) / BYTES
                        + " records fewer than produced within the timeout (is billing.kafka.enabled on?)");
            }
            Thread.sleep(25);
        }
    }

    /**
     * Waits until some consumer group has committed the usage topic's end offset on every partition; returns when.
     */
    private static long awaitCommitted(Admin admin, long started) throws Exception {
        Map<TopicPartition, Long> ends = endOffsets(admin, USAGE_TOPIC);
        while (true) {
            for (ConsumerGroupListing group : admin.listConsumerGroups().all().get()) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(group.groupId())
                    .partitionsToOffsetAndMetadata()
                    .get();
                if (ends.entrySet().stream().allMatch(end -> committed.get(end.getKey()) != null
                        && committed.get(end.getKey()).offset() >= end.getValue())) {
                    return System.nanoTime();
                }
            }
            if (System.nanoTime() - started > TIMEOUT_NANOS) {
                throw new IllegalStateException("no consumer group committed the end offsets " + ends);
            }
            Thread.sleep(25);
        }
    }

    private static long records(Admin admin, String topic) throws Exception {
        if (!admin.listTopics().names().get().contains(topic)) {
            return 0;
        }
        Map<TopicPartition, Long> ends = endOffsets(admin, topic);
        Map<TopicPartition, Long> starts = offsets(admin, ends.keySet(), OffsetSpec.earliest());
        return ends.entrySet().stream().mapToLong(e -> e.getValue() - starts.get(e.getKey())).sum();
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        List<TopicPartition> partitions = new ArrayList<>();
        admin.describeTopics(List.of(topic))
            .allTopicNames()
            .get()
            .get(topic)
            .partitions()
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        return offsets(admin, Set.copyOf(partitions), OffsetSpec.latest());
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, Set<TopicPartition> partitions, OffsetSpec spec)
            throws Exception {
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), p -> spec)))
            .all()
            .get()
            .entrySet()
            .stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

}
