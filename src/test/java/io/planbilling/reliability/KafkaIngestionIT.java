package io.planbilling.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planbilling.reliability.Http.Account;
import io.planbilling.reliability.Http.Response;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kafka ingestion across processes (docs/kafka-ingestion.md): a real broker (Kafka's own
 * KRaft server through spring-kafka-test, in this JVM, six partitions) and two service
 * processes ({@code java -jar}) in one consumer group on one PostgreSQL. 100 000 usage
 * records are produced while one instance is killed with SIGKILL mid-stream and started
 * again; then PostgreSQL is restarted mid-stream. Every record must be applied exactly
 * once: the packages' used bytes are their capacity, the records' pay-as-you-go bytes and
 * the bill's postpaid lines are the rest, nothing went to the dead-letter topic, and the
 * group's committed offsets reach the end of every partition.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaIngestionIT {

    private static final Logger log = LoggerFactory.getLogger(KafkaIngestionIT.class);

    private static final String TOPIC = "plan-billing.traffic-usage";

    private static final String GROUP = "plan-billing";

    private static final int PARTITIONS = 6;

    private static final int DEVICES = 60;

    private static final long MB = 1024L * 1024;

    /** Bytes of a 20 GB package (docs/accounts-and-money.md: 1 GB is 1024³ bytes). */
    private static final long PACKAGE_BYTES = 20 * Http.GB;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static EmbeddedKafkaKraftBroker broker;

    static ReliabilityDatabase database;

    static ServiceProcess first;

    static ServiceProcess second;

    static Account account;

    static List<UUID> devices = new ArrayList<>();

    static List<UUID> packages = new ArrayList<>();

    /** Bytes produced per device, over both tests. */
    static Map<UUID, Long> produced = new HashMap<>();

    static Instant at;

    @BeforeAll
    static void start() throws Exception {
        // the broker's own INFO and DEBUG lines are not what this test is about
        for (String logger : List.of("org.apache.kafka", "kafka", "state.change.logger")) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(logger))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        }
        broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS, TOPIC, TOPIC + ".dlq");
        broker.brokerListProperty("billing.it.kafka.brokers");
        // one partition for the group offsets (a single broker need not spread them over
        // fifty) and no delay before a group's first assignment
        broker.brokerProperties(Map.of("offsets.topic.num.partitions", "1", "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
        database = ReliabilityDatabase.startFresh("kafka-ingestion");
        Map<String, String> kafka = Map.of("BILLING_KAFKA_ENABLED", "true", "SPRING_KAFKA_BOOTSTRAP_SERVERS",
                broker.getBrokersAsString(), "BILLING_KAFKA_INITIAL_BACK_OFF", "PT0.5S", "BILLING_KAFKA_MAX_BACK_OFF",
                "PT2S",
                // a killed instance's partitions move to the other after 6 s (the
                // broker's
                // least), not 45 s
                "SPRING_APPLICATION_JSON", "{\"spring.kafka.consumer.properties\": {\"session.timeout.ms\": 6000, "
                        + "\"heartbeat.interval.ms\": 1000}}");
        first = new ServiceProcess("kafka-a", database, kafka);
        second = new ServiceProcess("kafka-b", database, kafka);
        CompletableFuture<ServiceProcess> starting = CompletableFuture.supplyAsync(second::start);
        first.start();
        starting.join();

        Http http = first.http();
        account = http.account("metered through Kafka", "2000.00");
        // a device and its own 20 GB package each, four at a time
        List<CompletableFuture<UUID[]>> bought = new ArrayList<>();
        java.util.concurrent.ExecutorService buyers = java.util.concurrent.Executors.newFixedThreadPool(4);
        for (int d = 0; d < DEVICES; d++) {
            bought.add(CompletableFuture.supplyAsync(() -> {
                UUID device = http.device(account);
                return new UUID[] { device, http.bought(account, "DEVICE_1_FLOW_20G", List.of(device), false) };
            }, buyers));
        }
        for (CompletableFuture<UUID[]> pair : bought) {
            devices.add(pair.join()[0]);
            packages.add(pair.join()[1]);
            produced.put(pair.join()[0], 0L);
        }
        buyers.shutdown();
        at = http.now();
    }

    @AfterAll
    static void stop() {
        for (ServiceProcess service : new ServiceProcess[] { first, second }) {
            if (service != null) {
                service.close();
            }
        }
        if (database != null) {
            database.close();
        }
        if (broker != null) {
            broker.destroy();
        }
    }

    /**
     * Produces records {@code from} to {@code to - 1} in the background, keyed by device
     * id, batched (the broker has them when the future completes).
     */
    private static CompletableFuture<Void> produce(String prefix, int from, int to) {
        Map<UUID, Long> bytes = new HashMap<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            UUID device = devices.get(i % DEVICES);
            long size = 16 * MB + (i % 1000);
            bytes.merge(device, size, Long::sum);
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("id", prefix + i);
            record.put("deviceId", device.toString());
            record.put("region", "GUANGZHOU");
            record.put("bytes", size);
            record.put("occurredAt", at.toString());
            records.add(new ProducerRecord<>(TOPIC, device.toString(), JSON.writeValueAsString(record)));
        }
        bytes.forEach((device, sum) -> produced.merge(device, sum, Long::sum));
        return CompletableFuture.runAsync(() -> {
            Properties properties = new Properties();
            properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
            properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
                List<Future<?>> sent = new ArrayList<>(records.size());
                for (ProducerRecord<String, String> record : records) {
                    sent.add(producer.send(record));
                }
                producer.flush();
                for (Future<?> future : sent) {
                    future.get();
                }
            }
            catch (Exception ex) {
                throw new IllegalStateException("producing failed", ex);
            }
        });
    }

    private static long applied(String prefix) {
        return database.number("SELECT count(*) FROM traffic_usage_records WHERE id LIKE ?", prefix + "%");
    }

    @Test
    @Order(1)
    void hundredThousandRecordsOverSixPartitionsAreAppliedExactlyOnceThoughOneOfTwoInstancesIsKilledMidStream()
            throws Exception {
        int total = 100_000;
        long started = System.nanoTime();
        CompletableFuture<Void> producing = produce("k1-", 0, total);

        await("a third of the records applied").atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> applied("k1-") >= total / 3);
        long pid = first.pid();
        first.kill();
        long atKill = applied("k1-");
        log.info("Killed pid {} (SIGKILL) with {} of {} records applied", pid, atKill, total);
        assertThat(atKill).as("killed mid-stream").isLessThan(total);

        // the other instance takes the dead one's partitions once its session times out,
        // while the killed one starts again and joins the group (another rebalance)
        CompletableFuture<ServiceProcess> restarting = CompletableFuture.supplyAsync(first::start);
        producing.get();
        await("every record applied").atMost(Duration.ofSeconds(180))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> applied("k1-") >= total);
        log.info("{} records consumed by two instances (one killed and restarted) in {} ms", total,
                (System.nanoTime() - started) / 1_000_000);
        restarting.join();
        assertThat(second.logText()).as("the survivor consumed usage partitions")
            .contains("partitions assigned: [" + TOPIC);
        assertThat(first.logText()).as("the killed instance had consumed usage partitions before")
            .contains("partitions assigned: [" + TOPIC);
        for (ServiceProcess service : List.of(first, second)) {
            await(service.name() + " consuming").atMost(Duration.ofSeconds(60))
                .until(() -> service.http().get("/actuator/health/kafka", null).status() == 200);
        }

        assertExactlyOnce("k1-", total);
    }

    @Test
    @Order(2)
    void aPostgresRestartMidStreamPausesConsumptionAndLosesNothing() throws Exception {
        int total = 20_000;
        CompletableFuture<Void> producing = produce("k2-", 0, total);
        await("some records applied").atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> applied("k2-") >= 2_000);
        database.stop();
        log.info("PostgreSQL stopped");
        // the outage's length is the scenario, not a wait
        ServiceProcess.sleep(8_000);
        database.start();
        log.info("PostgreSQL started again");
        producing.get();
        await("every record applied").atMost(Duration.ofSeconds(180))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> applied("k2-") >= total);
        assertThat(first.alive() && second.alive()).as("both instances survived the outage").isTrue();
        assertThat(first.logText() + second.logText()).contains("not applied; offsets not committed");

        assertExactlyOnce("k2-", total);
    }

    /**
     * The records of {@code prefix} are there once each with their source, every
     * package's used bytes are its capacity (each device had more than 20 GB), the rest
     * of each device's bytes is pay-as-you-go in the records and on the bill, nothing is
     * dead-lettered and the group has committed everything.
     */
    private void assertExactlyOnce(String prefix, int total) throws Exception {
        assertThat(applied(prefix)).isEqualTo(total);
        assertThat(database.number(
                "SELECT count(DISTINCT source) FROM traffic_usage_records WHERE id LIKE ? AND source LIKE 'kafka:%'",
                prefix + "%"))
            .as("one offset per record")
            .isEqualTo(total);
        assertThat(database.number("SELECT count(*) FROM traffic_usage_records WHERE id LIKE ? AND actor <> ?",
                prefix + "%", "kafka:" + GROUP))
            .isZero();

        long producedBytes = produced.values().stream().mapToLong(Long::longValue).sum();
        Http http = second.http();
        long used = 0;
        for (UUID packageId : packages) {
            long usedBytes = http.pkg(account, packageId).number("/usedBytes");
            assertThat(usedBytes).as("usedBytes of %s", packageId).isEqualTo(PACKAGE_BYTES);
            used += usedBytes;
        }
        // every record of this database is one of this class's (k1-…, k2-…)
        long payg = database.number("SELECT sum(payg_bytes) FROM traffic_usage_records");
        assertThat(used + payg).as("every byte produced counted once").isEqualTo(producedBytes);
        for (UUID device : devices) {
            assertThat(database.number("SELECT sum(payg_bytes) FROM traffic_usage_records WHERE device_id = ?", device))
                .as("pay-as-you-go bytes of %s", device)
                .isEqualTo(produced.get(device) - PACKAGE_BYTES);
        }
        YearMonth month = YearMonth.from(at.atZone(ZoneId.of("Asia/Shanghai")));
        Response bill = http.get("/api/v1/bills?month=" + month, account.key());
        BigDecimal billed = BigDecimal.ZERO;
        for (JsonNode line : bill.body().get("postpaid")) {
            billed = billed.add(new BigDecimal(line.get("quantity").asString()));
        }
        assertThat(billed.multiply(BigDecimal.valueOf(Http.GB)).compareTo(BigDecimal.valueOf(payg)))
            .as("the bill's postpaid GB (%s) are the pay-as-you-go bytes (%s)", billed, payg)
            .isZero();

        try (Admin admin = Admin
            .create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
                latest.put(new TopicPartition(TOPIC + ".dlq", p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = admin.listOffsets(latest)
                .all()
                .get()
                .entrySet()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
            for (int p = 0; p < PARTITIONS; p++) {
                assertThat(ends.get(new TopicPartition(TOPIC + ".dlq", p))).as("dead letters in partition %d", p)
                    .isZero();
            }
            await("the group's offsets committed to the end").atMost(Duration.ofSeconds(30)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get();
                for (int p = 0; p < PARTITIONS; p++) {
                    TopicPartition partition = new TopicPartition(TOPIC, p);
                    OffsetAndMetadata offset = committed.get(partition);
                    if (offset == null || offset.offset() != ends.get(partition)) {
                        return false;
                    }
                }
                return true;
            });
        }
    }

}
