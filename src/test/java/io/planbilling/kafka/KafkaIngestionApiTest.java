package io.planbilling.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.Prometheus;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * Kafka ingestion against a real broker (spring-kafka-test's embedded KRaft broker, in
 * this JVM) and the whole service on real PostgreSQL (docs/kafka-ingestion.md): poison
 * messages go to the dead-letter topic with their reasons while the rest of their batch
 * is applied; a record posted over HTTP and through Kafka counts once; samples; the lag
 * meter and the consumer's own health group. The context (and its consumers) closes after
 * the class.
 */
@ApiTest
@EmbeddedKafka(partitions = 2,
        brokerProperties = { "offsets.topic.num.partitions=1", "group.initial.rebalance.delay.ms=0" },
        topics = { KafkaIngestionApiTest.USAGE, KafkaIngestionApiTest.USAGE + ".dlq", KafkaIngestionApiTest.SAMPLES,
                KafkaIngestionApiTest.SAMPLES + ".dlq" })
@TestPropertySource(properties = { "billing.kafka.enabled=true", "billing.kafka.lag-interval=PT0.3S",
        "billing.kafka.initial-back-off=PT0.2S", "spring.kafka.consumer.properties.metadata.max.age.ms=1000" })
@DirtiesContext
class KafkaIngestionApiTest {

    static final String USAGE = "plan-billing.traffic-usage";

    static final String SAMPLES = "plan-billing.bandwidth-samples";

    static final long GB = 1024L * 1024 * 1024;

    @Autowired
    TestApi api;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    @Qualifier("usageTopicContainer")
    MessageListenerContainer usageContainer;

    @Autowired
    ConsumerFactory<String, byte[]> consumers;

    KafkaTestSupport kafka;

    @BeforeEach
    void producer() {
        kafka = new KafkaTestSupport(broker.getBrokersAsString());
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    private UUID device(TestAccount account) {
        Response created = api.post("/api/v1/devices", account.apiKey(),
                Map.of("name", "device-" + UUID.randomUUID(), "overagePolicy", "PAY_AS_YOU_GO"));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.id();
    }

    private UUID packageFor(TestAccount account, UUID device) {
        Response bought = api.post("/api/v1/traffic-packages", account.apiKey(), Map.of("type", "DEVICE_1_FLOW_20G",
                "region", "GUANGZHOU", "deviceIds", List.of(device), "autoRenew", false));
        assertThat(bought.status()).as("%s", bought).isEqualTo(201);
        return bought.id();
    }

    private long used(TestAccount account, UUID packageId) {
        return Long.parseLong(api.get("/api/v1/traffic-packages/" + packageId, account.apiKey()).text("/usedBytes"));
    }

    private Instant now() {
        return Instant.parse(api.get("/api/v1/admin/clock", api.operator()).text("/now"));
    }

    private static String record(String id, Object device, Object bytes, Instant at) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", id);
        record.put("deviceId", device.toString());
        record.put("region", "GUANGZHOU");
        record.put("bytes", bytes);
        record.put("occurredAt", at.toString());
        return KafkaTestSupport.json(record);
    }

    private static Map.Entry<String, String> message(UUID key, String value) {
        return new java.util.AbstractMap.SimpleEntry<>(key.toString(), value);
    }

    private double lag(int partition) {
        return Prometheus.scrape(api)
            .value("billing_kafka_consumer_lag", Map.of("topic", USAGE, "partition", Integer.toString(partition)));
    }

    @Test
    void poisonMessagesGoToTheDeadLetterTopicWithTheirReasonsWhileTheRestOfTheBatchIsApplied() {
        TestAccount account = api.createAccount("kafka poison", "500.00");
        UUID device = device(account);
        UUID packageId = packageFor(account, device);
        Instant at = now();
        String first = "kafka-" + UUID.randomUUID();
        String second = "kafka-" + UUID.randomUUID();
        UUID unknownDevice = UUID.randomUUID();
        List<Map.Entry<String, String>> messages = new ArrayList<>();
        messages.add(message(device, record(first, device, GB, at)));
        messages.add(message(device, "{\"id\": \"broken"));
        messages.add(message(device, record("kafka-" + UUID.randomUUID(), unknownDevice, GB, at)));
        messages.add(message(device, record("kafka-" + UUID.randomUUID(), device, -5, at)));
        messages.add(message(device, record(second, device, 2 * GB, at).replace("}", ", \"colour\": \"red\"}")));
        messages.add(message(device, null));
        messages.add(message(device, record(second, device, 2 * GB, at)));
        messages.add(message(device, record(first, device, GB, at)));

        kafka.send(USAGE, 0, messages);

        await("the valid records applied").atMost(Duration.ofSeconds(60))
            .until(() -> used(account, packageId) == 3 * GB);
        List<ConsumerRecord<String, String>> dead = kafka.deadLetters(USAGE,
                letter -> device.toString().equals(letter.key()), 5);
        assertThat(dead).hasSize(5);
        Map<String, ConsumerRecord<String, String>> byOffset = new LinkedHashMap<>();
        dead.forEach(letter -> byOffset.put(KafkaTestSupport.header(letter, DeadLetters.SOURCE_OFFSET), letter));
        List<Long> offsets = dead.stream()
            .map(letter -> Long.parseLong(KafkaTestSupport.header(letter, DeadLetters.SOURCE_OFFSET)))
            .sorted()
            .toList();
        long base = offsets.get(0) - 1;
        assertThat(offsets).containsExactly(base + 1, base + 2, base + 3, base + 4, base + 5);
        for (ConsumerRecord<String, String> letter : dead) {
            assertThat(KafkaTestSupport.header(letter, DeadLetters.SOURCE_TOPIC)).isEqualTo(USAGE);
            assertThat(KafkaTestSupport.header(letter, DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(KafkaTestSupport.headers(letter, DeadLetters.CODE)).isNotEmpty();
            assertThat(KafkaTestSupport.headers(letter, DeadLetters.MESSAGE)).isNotEmpty();
        }
        ConsumerRecord<String, String> unreadable = byOffset.get(Long.toString(base + 1));
        assertThat(unreadable.value()).isEqualTo("{\"id\": \"broken");
        assertThat(KafkaTestSupport.header(unreadable, DeadLetters.CODE)).isEqualTo("MALFORMED_REQUEST");
        assertThat(KafkaTestSupport.header(unreadable, DeadLetters.MESSAGE)).startsWith("is not valid JSON");
        ConsumerRecord<String, String> unknown = byOffset.get(Long.toString(base + 2));
        assertThat(KafkaTestSupport.header(unknown, DeadLetters.FIELD)).isEqualTo("deviceId");
        assertThat(KafkaTestSupport.header(unknown, DeadLetters.MESSAGE)).contains(unknownDevice.toString());
        ConsumerRecord<String, String> negative = byOffset.get(Long.toString(base + 3));
        assertThat(KafkaTestSupport.header(negative, DeadLetters.CODE)).isEqualTo("VALIDATION_FAILED");
        assertThat(KafkaTestSupport.header(negative, DeadLetters.FIELD)).isEqualTo("bytes");
        assertThat(KafkaTestSupport.header(negative, DeadLetters.MESSAGE)).isEqualTo("must be greater than 0");
        ConsumerRecord<String, String> unknownField = byOffset.get(Long.toString(base + 4));
        assertThat(KafkaTestSupport.header(unknownField, DeadLetters.CODE)).isEqualTo("VALIDATION_FAILED");
        assertThat(KafkaTestSupport.header(unknownField, DeadLetters.FIELD)).isEqualTo("colour");
        assertThat(KafkaTestSupport.header(unknownField, DeadLetters.MESSAGE)).isEqualTo("unknown field");
        ConsumerRecord<String, String> tombstone = byOffset.get(Long.toString(base + 5));
        assertThat(tombstone.value()).isNull();
        assertThat(KafkaTestSupport.header(tombstone, DeadLetters.CODE)).isEqualTo("MALFORMED_REQUEST");

        // the audit trail: the consumer group as the actor, each record's own topic,
        // partition and offset
        Map<String, Object> audit = jdbc
            .sql("SELECT actor, request_id, source FROM traffic_usage_records WHERE id = :id")
            .param("id", first)
            .query()
            .singleRow();
        assertThat(audit.get("actor")).isEqualTo("kafka:plan-billing");
        assertThat((String) audit.get("request_id")).startsWith("kafka-");
        assertThat(audit.get("source")).isEqualTo("kafka:" + USAGE + "/0@" + base);
    }

    @Test
    void aRecordPostedOverHttpAndThroughKafkaCountsOnceWhicheverCameFirst() {
        TestAccount account = api.createAccount("kafka and http", "500.00");
        UUID device = device(account);
        UUID packageId = packageFor(account, device);
        Instant at = now();
        String httpFirst = "both-" + UUID.randomUUID();
        String kafkaFirst = "both-" + UUID.randomUUID();
        Map<String, Object> overHttp = new LinkedHashMap<>();
        overHttp.put("id", httpFirst);
        overHttp.put("deviceId", device.toString());
        overHttp.put("region", "GUANGZHOU");
        overHttp.put("bytes", GB);
        overHttp.put("occurredAt", at.toString());
        Response posted = api.post("/api/v1/traffic-usage", api.operator(), Map.of("records", List.of(overHttp)));
        assertThat(posted.status()).as("%s", posted).isEqualTo(200);

        kafka.send(USAGE, 1, List.of(message(device, record(httpFirst, device, GB, at)),
                message(device, record(kafkaFirst, device, 2 * GB, at))));
        await("the Kafka batch applied").atMost(Duration.ofSeconds(60)).until(() -> used(account, packageId) == 3 * GB);

        overHttp.put("id", kafkaFirst);
        overHttp.put("bytes", 2 * GB);
        Response again = api.post("/api/v1/traffic-usage", api.operator(), Map.of("records", List.of(overHttp)));
        assertThat(again.status()).as("%s", again).isEqualTo(200);
        assertThat(again.body().get("duplicates").asInt()).isEqualTo(1);
        assertThat(again.body().get("results").get(0).get("duplicate").asBoolean()).isTrue();
        assertThat(used(account, packageId)).isEqualTo(3 * GB);
        assertThat(jdbc.sql("SELECT count(*) FROM traffic_usage_records WHERE id IN (:a, :b)")
            .param("a", httpFirst)
            .param("b", kafkaFirst)
            .query(Long.class)
            .single()).isEqualTo(2);
    }

    @Test
    void samplesAreStoredTheLaterOfAMinuteWinsAndAnUnknownNetworkIsDeadLettered() {
        TestAccount account = api.createAccount("kafka samples");
        Response created = api.post("/api/v1/office-networks", account.apiKey(),
                Map.of("name", "office " + UUID.randomUUID(), "region", "cn-shanghai"));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        UUID network = created.id();
        UUID unknown = UUID.randomUUID();
        Instant minute = now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));
        kafka.send(SAMPLES, 0,
                List.of(message(network, sample(network, minute, 100)), message(network, sample(network, minute, 300)),
                        message(network, sample(network, minute.plus(Duration.ofMinutes(1)), 5)),
                        message(network, sample(unknown, minute, 7))));

        await("the samples stored").atMost(Duration.ofSeconds(60))
            .until(() -> jdbc.sql("SELECT count(*) FROM bandwidth_samples WHERE office_network_id = :n")
                .param("n", network)
                .query(Long.class)
                .single() == 2);
        assertThat(jdbc.sql("SELECT inbound_bytes FROM bandwidth_samples WHERE office_network_id = :n AND minute = :m")
            .param("n", network)
            .param("m", java.sql.Timestamp.from(minute))
            .query(Long.class)
            .single()).isEqualTo(300);
        ConsumerRecord<String, String> dead = kafka
            .deadLetters(SAMPLES, letter -> network.toString().equals(letter.key()), 1)
            .get(0);
        assertThat(KafkaTestSupport.header(dead, DeadLetters.CODE)).isEqualTo("VALIDATION_FAILED");
        assertThat(KafkaTestSupport.header(dead, DeadLetters.FIELD)).isEqualTo("officeNetworkId");
        assertThat(KafkaTestSupport.header(dead, DeadLetters.MESSAGE)).isEqualTo("unknown office network " + unknown);
    }

    private static String sample(UUID network, Instant minute, long inbound) {
        return KafkaTestSupport.json(Map.of("officeNetworkId", network, "minute", minute.toString(), "inboundBytes",
                inbound, "outboundBytes", 1));
    }

    @Test
    void aNewConsumerGroupStartsFromTheEarliestOffset() {
        UUID key = UUID.randomUUID();
        kafka.send(SAMPLES, 1, List.of(message(key, "{}")));
        // a consumer of the service's own consumer factory, in a group that has never
        // committed anything, joining after the message was produced
        try (org.apache.kafka.clients.consumer.Consumer<String, byte[]> fresh = consumers
            .createConsumer("fresh-" + UUID.randomUUID(), null)) {
            fresh.subscribe(List.of(SAMPLES));
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            await("the fresh group reads the partition from its start").atMost(Duration.ofSeconds(30)).until(() -> {
                fresh.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream().anyMatch(record -> key.toString().equals(record.key()));
            });
            assertThat(seen).filteredOn(record -> record.partition() == 1)
                .first()
                .extracting(ConsumerRecord::offset)
                .isEqualTo(0L);
        }
    }

    @Test
    void lagPerPartitionIsAMeterAndTheConsumersStateIsInItsOwnHealthGroupOnly() {
        TestAccount account = api.createAccount("kafka lag", "500.00");
        UUID device = device(account);
        UUID packageId = packageFor(account, device);
        Instant at = now();
        await("the consumer up, nothing left to consume").atMost(Duration.ofSeconds(60))
            .until(() -> api.get("/actuator/health/kafka", null).status() == 200 && lag(1) == 0);

        usageContainer.stop();
        try {
            kafka.send(USAGE, 1,
                    List.of(message(device, record("lag-" + UUID.randomUUID(), device, GB, at)),
                            message(device, record("lag-" + UUID.randomUUID(), device, GB, at)),
                            message(device, record("lag-" + UUID.randomUUID(), device, GB, at))));

            await("three messages of lag").atMost(Duration.ofSeconds(30)).until(() -> lag(1) == 3);
            Response kafkaHealth = api.get("/actuator/health/kafka", null);
            assertThat(kafkaHealth.status()).isEqualTo(503);
            assertThat(kafkaHealth.text("/status")).isEqualTo("DOWN");
            assertThat(kafkaHealth.raw()).doesNotContain("usageTopicContainer");
            Response withDetails = api.get("/actuator/health/kafka", api.operator());
            assertThat(withDetails.raw()).contains("usageTopicContainer").contains(USAGE + "-1");
            // HTTP instances stay in rotation: the main report and the probes leave the
            // consumer out
            Response health = api.get("/actuator/health", api.operator());
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.text("/status")).isEqualTo("UP");
            assertThat(api.get("/actuator/health/readiness", null).status()).isEqualTo(200);
            assertThat(api.get("/actuator/health/liveness", null).status()).isEqualTo(200);
            assertThat(used(account, packageId)).isZero();
        }
        finally {
            usageContainer.start();
        }

        await("the backlog applied, no lag").atMost(Duration.ofSeconds(60))
            .until(() -> used(account, packageId) == 3 * GB && lag(1) == 0);
        await("the consumer's health up again").atMost(Duration.ofSeconds(30))
            .until(() -> api.get("/actuator/health/kafka", null).status() == 200);
        Prometheus scrape = Prometheus.scrape(api);
        assertThat(scrape.value("billing_kafka_records_total", Map.of("topic", USAGE, "outcome", "applied")))
            .isGreaterThanOrEqualTo(3);
    }

}
