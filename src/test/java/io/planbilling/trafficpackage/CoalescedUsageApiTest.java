package io.planbilling.trafficpackage;

import static io.planbilling.trafficpackage.UsageFixtures.GB;
import static io.planbilling.trafficpackage.UsageFixtures.id;
import static io.planbilling.trafficpackage.UsageFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.Race;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Small usage requests that arrive together share one transaction (grouping is on by
 * default), and each keeps its own validation, atomicity and answer
 * (docs/traffic-packages.md, coalesced requests).
 */
@ApiTest
class CoalescedUsageApiTest {

    @Autowired
    TestApi api;

    @Autowired
    TrafficUsage usage;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    UsageFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new UsageFixtures(api);
    }

    @Nullable String source(String recordId) {
        return jdbc.sql("SELECT source FROM traffic_usage_records WHERE id = :id")
            .param("id", recordId)
            .query(String.class)
            .optional()
            .orElse(null);
    }

    @Test
    void sixteenConcurrentSingleRecordRequestsWithOneBadOneApplyFifteenAndRefuseOne() {
        TestAccount account = api.createAccount("sixteen at once", "1000");
        List<UUID> devices = new ArrayList<>();
        List<UUID> packages = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            UUID device = fixtures.device(account);
            devices.add(device);
            packages.add(fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, device));
        }
        Instant at = fixtures.now();
        List<String> ids = new ArrayList<>();
        List<Callable<Response>> requests = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String id = id();
            ids.add(id);
            Map<String, Object> record = record(id, devices.get(i), "GUANGZHOU", i == 7 ? 0 : GB, at);
            requests.add(() -> fixtures.post(record));
        }

        List<Response> answers = Race.run(requests);

        for (int i = 0; i < 16; i++) {
            Response answer = answers.get(i);
            if (i == 7) {
                assertThat(answer.status()).as("%s", answer).isEqualTo(400);
                assertThat(answer.text("/errors/0/field")).isEqualTo("records[0].bytes");
                assertThat(source(ids.get(i))).isNull();
                continue;
            }
            assertThat(answer.status()).as("%s", answer).isEqualTo(200);
            // what posting it alone gives: its own package offsets it
            assertThat(answer.body().get("applied").asInt()).isEqualTo(1);
            assertThat(answer.text("/results/0/packageId")).isEqualTo(packages.get(i).toString());
            assertThat(answer.body().at("/results/0/packageBytes").asLong()).isEqualTo(GB);
            assertThat(source(ids.get(i))).as("each row carries its own request's id")
                .isEqualTo("http:" + answer.header("X-Request-Id").orElseThrow());
        }
    }

    /** Four devices, the first three with a package each, and their names. */
    record Side(List<UUID> devices, Map<UUID, String> names) {

        /**
         * Five requests: offset, exhausting, of the other region, without a package, and
         * a duplicate of the first beside a new record.
         */
        List<List<UsageRecordInput>> requests(String first, Instant at) {
            return List.of(List.of(input(first, devices.get(0), "GUANGZHOU", 5 * GB, at)),
                    List.of(input(id(), devices.get(1), "GUANGZHOU", 25 * GB, at)),
                    List.of(input(id(), devices.get(2), "SILICON_VALLEY", GB, at)),
                    List.of(input(id(), devices.get(3), "GUANGZHOU", GB, at)),
                    List.of(input(first, devices.get(0), "GUANGZHOU", 5 * GB, at),
                            input(id(), devices.get(0), "GUANGZHOU", GB, at.plusSeconds(1))));
        }

    }

    Side side(String name) {
        TestAccount account = api.createAccount(name, "1000");
        Map<UUID, String> names = new HashMap<>();
        List<UUID> devices = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            UUID device = fixtures.device(account);
            devices.add(device);
            names.put(device, "device " + i);
            if (i < 3) {
                names.put(fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, device),
                        "package of device " + i);
            }
        }
        return new Side(devices, names);
    }

    static UsageRecordInput input(String id, UUID device, String region, long bytes, Instant at) {
        return new UsageRecordInput(id, device.toString(), region, bytes, at.toString());
    }

    static String answer(int applied, int duplicates, List<String> results) {
        return applied + " applied, " + duplicates + " duplicates: " + results;
    }

    static String result(Map<UUID, String> names, @Nullable UUID packageId, long packageBytes, long paygBytes,
            long blockedBytes, boolean duplicate, @Nullable Object reason) {
        return (packageId == null ? "no package" : names.get(packageId)) + " " + packageBytes + "/" + paygBytes + "/"
                + blockedBytes + (duplicate ? " duplicate " : " ") + reason;
    }

    @Test
    void aGroupAnswersEachRequestAsPostingThemOneAfterTheOtherWould() {
        Side grouped = side("grouped");
        Side sequential = side("sequential");
        Instant at = fixtures.now();

        List<TrafficUsage.Answer> groupAnswers = transaction.execute(status -> usage.applyGroup(
                grouped.requests(id(), at).stream().map(request -> usage.prepare(new ArrayList<>(request))).toList()));
        List<String> fromGroup = new ArrayList<>();
        for (UsageBatchResult answer : Objects.requireNonNull(groupAnswers)
            .stream()
            .map(TrafficUsage.Answer::get)
            .toList()) {
            fromGroup.add(answer(answer.applied(), answer.duplicates(),
                    answer.results()
                        .stream()
                        .map(r -> result(grouped.names(), r.packageId(), r.packageBytes(), r.paygBytes(),
                                r.blockedBytes(), r.duplicate(), r.reason()))
                        .toList()));
        }
        List<String> oneAfterTheOther = new ArrayList<>();
        for (List<UsageRecordInput> request : sequential.requests(id(), at)) {
            Response posted = fixtures.post(request.stream()
                .map(r -> record(r.id(), UUID.fromString(r.deviceId()), r.region(), (Long) r.bytes(),
                        Instant.parse(r.occurredAt())))
                .toList());
            assertThat(posted.status()).as("%s", posted).isEqualTo(200);
            List<String> results = new ArrayList<>();
            for (JsonNode r : posted.body().get("results")) {
                results.add(result(sequential.names(),
                        r.get("packageId").isNull() ? null : UUID.fromString(r.get("packageId").asString()),
                        r.get("packageBytes").asLong(), r.get("paygBytes").asLong(), r.get("blockedBytes").asLong(),
                        r.get("duplicate").asBoolean(), r.get("reason").isNull() ? null : r.get("reason").asString()));
            }
            oneAfterTheOther
                .add(answer(posted.body().get("applied").asInt(), posted.body().get("duplicates").asInt(), results));
        }

        assertThat(fromGroup).containsExactlyElementsOf(oneAfterTheOther);
        assertThat(fromGroup.get(1)).as("offset, then exhausted")
            .isEqualTo("1 applied, 0 duplicates: [package of device 1 " + 20 * GB + "/" + 5 * GB
                    + "/0 PACKAGE_EXHAUSTED]");
        assertThat(fromGroup.get(4)).as("a record id of an earlier request in the group is its duplicate")
            .startsWith("1 applied, 1 duplicates");
    }

    @Test
    void aRequestNamingAnUnknownDeviceIsRefusedAloneInItsGroupAndTheOthersAreApplied() {
        Side side = side("unknown device in a group");
        Instant at = fixtures.now();
        UUID unknown = UUID.randomUUID();
        String refusedId = id();
        List<List<UsageRecordInput>> requests = List.of(
                List.of(input(id(), side.devices().get(0), "GUANGZHOU", GB, at)),
                List.of(input(id(), side.devices().get(1), "GUANGZHOU", GB, at),
                        input(refusedId, unknown, "GUANGZHOU", GB, at)),
                List.of(input(id(), side.devices().get(2), "GUANGZHOU", GB, at)));

        List<TrafficUsage.Answer> answers = Objects.requireNonNull(transaction.execute(status -> usage
            .applyGroup(requests.stream().map(request -> usage.prepare(new ArrayList<>(request))).toList())));

        assertThat(answers).hasSize(3);
        assertThat(answers.get(1).result()).isNull();
        assertThat(Objects.requireNonNull(answers.get(1).refusal()).getMessage())
            .isEqualTo("1 of 2 records are invalid; nothing was applied.");
        assertThat(Objects.requireNonNull(answers.get(1).refusal()).violations()).singleElement()
            .satisfies(violation -> {
                assertThat(violation.field()).isEqualTo("records[1].deviceId");
                assertThat(violation.message()).isEqualTo("unknown device " + unknown);
            });
        assertThat(source(refusedId)).isNull();
        assertThat(source(requests.get(1).get(0).id())).as("nothing of the refused request is applied").isNull();
        for (int i : new int[] { 0, 2 }) {
            UsageBatchResult result = answers.get(i).get();
            assertThat(result.applied()).isEqualTo(1);
            assertThat(side.names().get(result.results().get(0).packageId())).isEqualTo("package of device " + i);
        }
    }

    @Test
    void aKeyedRequestStaysOutOfGroupsAndItsStoredResponseCommitsWithIt() {
        TestAccount account = api.createAccount("keyed usage", "100");
        UUID device = fixtures.device(account);
        fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, device);
        String recordId = id();
        Map<String, Object> body = Map.of("records",
                List.of(record(recordId, device, "GUANGZHOU", GB, fixtures.now().minus(Duration.ofMinutes(1)))));
        String key = "usage-" + UUID.randomUUID();

        Response first = api.request("POST", "/api/v1/traffic-usage")
            .key(api.operator())
            .idempotencyKey(key)
            .json(body)
            .send();
        Response replay = api.request("POST", "/api/v1/traffic-usage")
            .key(api.operator())
            .idempotencyKey(key)
            .json(body)
            .send();

        assertThat(first.status()).as("%s", first).isEqualTo(200);
        assertThat(replay.header("Idempotent-Replayed")).contains("true");
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.body().at("/results/0/duplicate").asBoolean()).as("the stored answer, not a rerun").isFalse();
        assertThat(source(recordId)).isEqualTo("http:" + first.header("X-Request-Id").orElseThrow());
    }

}
