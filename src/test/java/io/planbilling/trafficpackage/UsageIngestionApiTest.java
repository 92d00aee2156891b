package io.planbilling.trafficpackage;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static io.planbilling.trafficpackage.UsageFixtures.GB;
import static io.planbilling.trafficpackage.UsageFixtures.id;
import static io.planbilling.trafficpackage.UsageFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@ApiTest
class UsageIngestionApiTest {

    @Autowired
    TestApi api;

    @Autowired
    JdbcClient jdbc;

    UsageFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new UsageFixtures(api);
    }

    @Test
    void offsetsTrafficAgainstThePackageBoundToTheDevice() {
        TestAccount account = api.createAccount("usage offset", "100.00");
        UUID device = fixtures.device(account);
        UUID pkg = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, device);
        String recordId = id();

        Response posted = fixtures.post(record(recordId, device, "GUANGZHOU", 3 * GB, fixtures.now()));

        assertThat(posted.status()).as(posted.toString()).isEqualTo(200);
        assertThat(posted.body().get("applied").asInt()).isEqualTo(1);
        assertThat(posted.body().get("duplicates").asInt()).isZero();
        JsonNode result = posted.body().at("/results/0");
        assertThat(result.get("id").asString()).isEqualTo(recordId);
        assertThat(result.get("packageId").asString()).isEqualTo(pkg.toString());
        assertThat(result.get("packageBytes").asLong()).isEqualTo(3 * GB);
        assertThat(result.get("paygBytes").asLong()).isZero();
        assertThat(result.get("blockedBytes").asLong()).isZero();
        Response read = fixtures.pkg(account, pkg);
        assertThat(read.body().get("usedBytes").asLong()).isEqualTo(3 * GB);
        assertThat(read.body().get("remainingBytes").asLong()).isEqualTo(17 * GB);
        assertThat(read.text("/status")).isEqualTo("ACTIVE");
    }

    /**
     * docs/traffic-packages.md (lock order): the package rows a batch locks and updates
     * are one (sub)transaction's. Were the lock's savepoint released before the update,
     * the new row would keep the savepoint's lock under another transaction id than the
     * one that wrote it (and the old row a multixact every later scan resolves).
     */
    @Test
    void leavesNoLockOfAnotherTransactionIdOnThePackagesItUpdated() {
        TestAccount account = api.createAccount("usage row locks", "100.00");
        UUID device = fixtures.device(account);
        UUID pkg = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, device);

        Response posted = fixtures.post(record(id(), device, "GUANGZHOU", GB, fixtures.now()));

        assertThat(posted.status()).as(posted.toString()).isEqualTo(200);
        Map<String, Object> row = jdbc.sql(
                "SELECT xmin::text AS written_by, xmax::text AS locked_by, used_bytes FROM traffic_packages WHERE id = :id")
            .param("id", pkg)
            .query()
            .singleRow();
        assertThat(((Number) row.get("used_bytes")).longValue()).isEqualTo(GB);
        assertThat(row.get("locked_by")).as(row.toString()).isIn("0", row.get("written_by"));
    }

    @Test
    void rejectsABatchWithBadRecordsListingEachByIndexAndAppliesNothing() {
        TestAccount account = api.createAccount("usage invalid", "100.00");
        UUID device = fixtures.device(account);
        UUID pkg = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, device);
        Instant now = fixtures.now();
        String goodId = id();
        List<Map<String, Object>> records = new ArrayList<>();
        records.add(record(goodId, device, "GUANGZHOU", GB, now));
        records.add(record(id(), device, "GUANGZHOU", 0, now));
        records.add(record(id(), device, "MARS", GB, now));
        records.add(record(id(), UUID.randomUUID(), "GUANGZHOU", GB, now));
        Map<String, Object> missing = record(id(), device, "GUANGZHOU", GB, now);
        missing.remove("occurredAt");
        records.add(missing);
        records.add(record("x".repeat(65), device, "GUANGZHOU", GB, now));
        records.add(record(id(), device, "GUANGZHOU", -5, now));
        records.add(record(id(), device, "GUANGZHOU", GB, now.plus(Duration.ofDays(1))));
        Map<String, Object> notAUuid = record(id(), device, "GUANGZHOU", GB, now);
        notAUuid.put("deviceId", "router-7");
        records.add(notAUuid);

        Response refused = fixtures.post(records);

        assertProblem(refused, 400, "VALIDATION_FAILED");
        assertThat(refused.body().get("errors").findValuesAsString("field")).containsExactly("records[1].bytes",
                "records[2].region", "records[3].deviceId", "records[4].occurredAt", "records[5].id",
                "records[6].bytes", "records[7].occurredAt", "records[8].deviceId");
        assertThat(fixtures.pkg(account, pkg).body().get("usedBytes").asLong()).isZero();
        Response retried = fixtures.post(record(goodId, device, "GUANGZHOU", GB, now));
        assertThat(retried.body().get("applied").asInt()).as("the good record was not applied before").isEqualTo(1);
    }

    @Test
    void rejectsEmptyMissingAndOversizedBatches() {
        assertProblem(fixtures.post(List.of()), 400, "VALIDATION_FAILED");
        assertProblem(api.post("/api/v1/traffic-usage", api.operator(), Map.of()), 400, "VALIDATION_FAILED");
        assertProblem(api.post("/api/v1/traffic-usage", api.operator(), Map.of("records", List.of(), "extra", 1)), 400,
                "VALIDATION_FAILED");
        List<Map<String, Object>> tooMany = new ArrayList<>();
        UUID device = UUID.randomUUID();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 10_001; i++) {
            tooMany.add(record("r" + i, device, "GUANGZHOU", 1, at));
        }
        Response refused = fixtures.post(tooMany);
        assertProblem(refused, 400, "VALIDATION_FAILED");
        assertThat(refused.body().at("/errors/0/field").asString()).isEqualTo("records");
    }

    @Test
    void isForTheOperatorOnly() {
        TestAccount account = api.createAccount("usage forbidden", "0");

        assertProblem(api.post("/api/v1/traffic-usage", account.apiKey(), Map.of("records", List.of())), 403,
                "FORBIDDEN");
        assertProblem(api.post("/api/v1/traffic-usage", null, Map.of("records", List.of())), 401, "UNAUTHENTICATED");
    }

    @Test
    void appliesARecordOnceWithinABatchAndAcrossBatches() {
        TestAccount account = api.createAccount("usage duplicates", "100.00");
        UUID device = fixtures.device(account);
        UUID pkg = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, device);
        Instant now = fixtures.now();
        String recordId = id();

        Response first = fixtures.post(record(recordId, device, "GUANGZHOU", 2 * GB, now),
                record(recordId, device, "GUANGZHOU", 5 * GB, now));
        Response again = fixtures.post(record(recordId, device, "GUANGZHOU", 2 * GB, now),
                record(id(), device, "GUANGZHOU", GB, now));

        assertThat(first.body().get("applied").asInt()).isEqualTo(1);
        assertThat(first.body().get("duplicates").asInt()).isEqualTo(1);
        assertThat(first.body().at("/results/0/duplicate").asBoolean()).isFalse();
        assertThat(first.body().at("/results/1/duplicate").asBoolean()).isTrue();
        assertThat(first.body().at("/results/1/packageBytes").asLong()).isEqualTo(2 * GB);
        assertThat(again.body().get("applied").asInt()).isEqualTo(1);
        assertThat(again.body().get("duplicates").asInt()).isEqualTo(1);
        assertThat(again.body().at("/results/0/duplicate").asBoolean()).isTrue();
        assertThat(again.body().at("/results/0/packageId").asString()).isEqualTo(pkg.toString());
        assertThat(again.body().at("/results/0/packageBytes").asLong()).isEqualTo(2 * GB);
        assertThat(fixtures.pkg(account, pkg).body().get("usedBytes").asLong()).isEqualTo(3 * GB);
    }

    @Test
    void trafficThroughAnotherRegionOrWithoutAPackageIsPaidAsItGoes() {
        TestAccount account = api.createAccount("usage regions", "100.00");
        UUID bound = fixtures.device(account);
        UUID unbound = fixtures.device(account);
        UUID pkg = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, bound);
        Instant now = fixtures.now();

        Response posted = fixtures.post(record(id(), bound, "SILICON_VALLEY", GB, now),
                record(id(), unbound, "GUANGZHOU", 2 * GB, now),
                record(id(), bound, "GUANGZHOU", GB, now.minus(Duration.ofDays(1))));

        assertThat(posted.body().at("/results/0/paygBytes").asLong()).isEqualTo(GB);
        assertThat(posted.body().at("/results/0/packageId").isNull()).isTrue();
        assertThat(posted.body().at("/results/1/paygBytes").asLong()).isEqualTo(2 * GB);
        assertThat(posted.body().at("/results/2/paygBytes").asLong()).as("before the package took effect")
            .isEqualTo(GB);
        assertThat(fixtures.pkg(account, pkg).body().get("usedBytes").asLong()).isZero();
    }

    @Test
    void overageIsPaidAsItGoesOrBlockedForCutOffDevices() {
        TestAccount account = api.createAccount("usage overage", "100.00");
        UUID payg = fixtures.device(account, "PAY_AS_YOU_GO");
        UUID cutOff = fixtures.device(account, "CUT_OFF");
        UUID first = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, payg);
        UUID second = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, cutOff);
        Instant now = fixtures.now();

        Response posted = fixtures.post(record(id(), payg, "GUANGZHOU", 21 * GB, now),
                record(id(), cutOff, "GUANGZHOU", 23 * GB, now), record(id(), cutOff, "SILICON_VALLEY", GB, now));

        assertThat(posted.body().at("/results/0/packageBytes").asLong()).isEqualTo(20 * GB);
        assertThat(posted.body().at("/results/0/paygBytes").asLong()).isEqualTo(GB);
        assertThat(posted.body().at("/results/1/packageBytes").asLong()).isEqualTo(20 * GB);
        assertThat(posted.body().at("/results/1/paygBytes").asLong()).isZero();
        assertThat(posted.body().at("/results/1/blockedBytes").asLong()).isEqualTo(3 * GB);
        assertThat(posted.body().at("/results/2/blockedBytes").asLong()).isEqualTo(GB);
        assertThat(fixtures.pkg(account, first).text("/status")).isEqualTo("EXHAUSTED");
        assertThat(fixtures.pkg(account, second).text("/status")).isEqualTo("EXHAUSTED");
        assertThat(fixtures.pkg(account, second).body().get("remainingBytes").asLong()).isZero();
        assertThat(api.get("/api/v1/devices/" + payg, account.apiKey()).text("/payMode")).isEqualTo("PAY_AS_YOU_GO");

        Response later = fixtures.post(record(id(), payg, "GUANGZHOU", GB, fixtures.now()));
        assertThat(later.body().at("/results/0/paygBytes").asLong()).as("a spent package offsets nothing")
            .isEqualTo(GB);
    }

    @Test
    void paidAsYouGoTrafficAppearsOnTheBillPerDeviceAndUnitPrice() {
        TestAccount account = api.createAccount("usage bill", "0");
        UUID gz = fixtures.device(account);
        UUID sv = fixtures.device(account);
        Instant now = fixtures.now();

        fixtures.post(record(id(), gz, "GUANGZHOU", GB, now), record(id(), gz, "GUANGZHOU", GB / 2, now),
                record(id(), sv, "SILICON_VALLEY", 3 * GB, now), record(id(), sv, "GUANGZHOU", GB, now));

        YearMonth month = YearMonth.from(now.atZone(ZoneId.of("Asia/Shanghai")));
        Response bill = api.get("/api/v1/bills?month=" + month, account.apiKey());
        assertThat(bill.status()).isEqualTo(200);
        Map<String, JsonNode> lines = new HashMap<>();
        for (JsonNode line : bill.body().get("postpaid")) {
            assertThat(line.get("kind").asString()).isEqualTo("PAYG_TRAFFIC");
            assertThat(line.get("resourceType").asString()).isEqualTo("TRAFFIC_DEVICE");
            assertThat(line.get("unit").asString()).isEqualTo("GB");
            lines.put(line.get("resourceId").asString() + "@" + line.at("/unitPrice/amount").asString(), line);
        }
        assertThat(lines).hasSize(3);
        assertThat(lines.get(gz + "@1.20").get("region").asString()).isEqualTo("GUANGZHOU");
        assertThat(lines.get(sv + "@1.60").get("region").asString()).isEqualTo("SILICON_VALLEY");
        assertThat(lines.get(sv + "@1.60").get("description").asString()).endsWith("in SILICON_VALLEY");
        assertThat(lines.get(sv + "@1.20").get("region").asString()).isEqualTo("GUANGZHOU");
        assertThat(lines.get(gz + "@1.20").get("quantity").asString()).isEqualTo("1.5");
        assertThat(lines.get(gz + "@1.20").at("/amount/amount").asString()).isEqualTo("1.80");
        assertThat(lines.get(sv + "@1.60").get("quantity").asString()).isEqualTo("3");
        assertThat(lines.get(sv + "@1.60").at("/amount/amount").asString()).isEqualTo("4.80");
        assertThat(lines.get(sv + "@1.20").at("/amount/amount").asString()).isEqualTo("1.20");
        assertThat(bill.text("/totals/postpaidDue/amount")).isEqualTo("7.80");
        assertThat(api.balance(account)).as("postpaid charges never touch the balance").isEqualTo("0.00");
    }

    @Test
    void postpaidTrafficLinesAreGroupedPerDeviceRegionAndUnitPriceEvenWhenTwoRegionsCostTheSame() {
        TestAccount account = api.createAccount("usage bill regions", "0");
        UUID device = fixtures.device(account);
        Instant now = fixtures.now();
        String guangzhou = id();
        String siliconValley = id();
        fixtures.post(record(guangzhou, device, "GUANGZHOU", GB, now), record(id(), device, "GUANGZHOU", GB, now),
                record(siliconValley, device, "SILICON_VALLEY", 2 * GB, now));
        // as a deployment that prices both regions alike would have stored it at
        // ingestion
        jdbc.sql("UPDATE traffic_usage_records SET payg_unit_price = 1.20 WHERE device_id = :device")
            .param("device", device)
            .update();

        YearMonth month = YearMonth.from(now.atZone(ZoneId.of("Asia/Shanghai")));
        Response bill = api.get("/api/v1/bills?month=" + month, account.apiKey());

        assertThat(bill.status()).as(bill.toString()).isEqualTo(200);
        Map<String, JsonNode> byRegion = new HashMap<>();
        bill.body().get("postpaid").forEach(line -> byRegion.put(line.get("region").asString(), line));
        assertThat(byRegion).containsOnlyKeys("GUANGZHOU", "SILICON_VALLEY");
        assertThat(byRegion.get("GUANGZHOU").get("quantity").asString()).isEqualTo("2");
        assertThat(byRegion.get("GUANGZHOU").at("/amount/amount").asString()).isEqualTo("2.40");
        assertThat(byRegion.get("GUANGZHOU").get("description").asString()).endsWith("in GUANGZHOU");
        assertThat(byRegion.get("SILICON_VALLEY").get("quantity").asString()).isEqualTo("2");
        assertThat(byRegion.get("SILICON_VALLEY").at("/amount/amount").asString()).isEqualTo("2.40");
        assertThat(bill.body().get("postpaid")).allSatisfy(line -> {
            assertThat(line.get("resourceId").asString()).isEqualTo(device.toString());
            assertThat(line.at("/unitPrice/amount").asString()).isEqualTo("1.20");
        });
        assertThat(bill.text("/totals/postpaidDue/amount")).isEqualTo("4.80");
    }

    @Test
    void saysWhyBytesWereNotOffsetAndAReplayKeepsTheReason() {
        TestAccount account = api.createAccount("usage reasons", "100.00");
        UUID bound = fixtures.device(account);
        UUID unbound = fixtures.device(account);
        UUID cutOff = fixtures.device(account, "CUT_OFF");
        fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, bound);
        fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, cutOff);
        Instant now = fixtures.now();
        List<Map<String, Object>> records = List.of(record(id(), bound, "GUANGZHOU", GB, now),
                record(id(), bound, "SILICON_VALLEY", GB, now), record(id(), unbound, "GUANGZHOU", GB, now),
                record(id(), bound, "GUANGZHOU", GB, now.minus(Duration.ofDays(1))),
                record(id(), bound, "GUANGZHOU", 20 * GB, now.plusSeconds(1)),
                record(id(), cutOff, "SILICON_VALLEY", GB, now));

        Response posted = fixtures.post(records);
        Response replayed = fixtures.post(records);

        assertThat(posted.status()).as(posted.toString()).isEqualTo(200);
        assertThat(posted.body().at("/results/0/reason").isNull()).as("offset in full").isTrue();
        assertThat(posted.body().at("/results/1/reason").asString()).isEqualTo("REGION_MISMATCH");
        assertThat(posted.body().at("/results/1/paygBytes").asLong()).isEqualTo(GB);
        assertThat(posted.body().at("/results/2/reason").asString()).isEqualTo("NO_LIVE_PACKAGE");
        assertThat(posted.body().at("/results/3/reason").asString()).as("before the purchase")
            .isEqualTo("NO_LIVE_PACKAGE");
        assertThat(posted.body().at("/results/4/reason").asString()).isEqualTo("PACKAGE_EXHAUSTED");
        assertThat(posted.body().at("/results/4/packageBytes").asLong()).isEqualTo(19 * GB);
        assertThat(posted.body().at("/results/4/paygBytes").asLong()).isEqualTo(GB);
        assertThat(posted.body().at("/results/5/reason").asString()).isEqualTo("REGION_MISMATCH");
        assertThat(posted.body().at("/results/5/blockedBytes").asLong()).isEqualTo(GB);
        assertThat(replayed.body().get("duplicates").asInt()).isEqualTo(records.size());
        for (int i = 0; i < records.size(); i++) {
            assertThat(replayed.body().at("/results/" + i + "/reason")).as("replayed reason of record %d", i)
                .isEqualTo(posted.body().at("/results/" + i + "/reason"));
        }
    }

    @Test
    void reportsADevicesTrafficTotalsForAnInterval() {
        TestAccount account = api.createAccount("usage totals", "100.00");
        UUID device = fixtures.device(account, "CUT_OFF");
        fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, device);
        Instant now = fixtures.now();
        fixtures.post(record(id(), device, "GUANGZHOU", 5 * GB, now), record(id(), device, "SILICON_VALLEY", GB, now),
                record(id(), device, "GUANGZHOU", 7, now.minus(Duration.ofDays(2))));

        Response totals = api.get("/api/v1/devices/" + device + "/usage?from=" + now.minus(Duration.ofHours(1)) + "&to="
                + now.plus(Duration.ofHours(1)), account.apiKey());

        assertThat(totals.status()).as(totals.toString()).isEqualTo(200);
        assertThat(totals.body().get("packageBytes").asLong()).isEqualTo(5 * GB);
        assertThat(totals.body().get("paygBytes").asLong()).isZero();
        assertThat(totals.body().get("blockedBytes").asLong()).isEqualTo(GB);
    }

    @Test
    void appliesTenThousandRecordsInOneBatchConservingEveryByte() {
        TestAccount account = api.createAccount("usage 10k", "1000.00");
        UUID[] devices = new UUID[5];
        for (int i = 0; i < devices.length; i++) {
            devices[i] = fixtures.device(account);
        }
        UUID pkg = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, devices[0]);
        Instant now = fixtures.now();
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            records.add(record("bulk-" + UUID.randomUUID(), devices[i % devices.length], "GUANGZHOU", 5 * 1024 * 1024,
                    now));
        }

        Response posted = fixtures.post(records);

        assertThat(posted.status()).as(posted.raw().substring(0, Math.min(500, posted.raw().length()))).isEqualTo(200);
        assertThat(posted.body().get("applied").asInt()).isEqualTo(10_000);
        assertThat(posted.body().get("results").size()).isEqualTo(10_000);
        long packageBytes = 0;
        long paygBytes = 0;
        for (JsonNode result : posted.body().get("results")) {
            packageBytes += result.get("packageBytes").asLong();
            paygBytes += result.get("paygBytes").asLong();
        }
        assertThat(packageBytes + paygBytes).isEqualTo(10_000L * 5 * 1024 * 1024);
        assertThat(packageBytes).isEqualTo(2_000L * 5 * 1024 * 1024);
        assertThat(fixtures.pkg(account, pkg).body().get("usedBytes").asLong()).isEqualTo(packageBytes);
    }

    @Test
    void anUnsubscribedPackageOffsetsNothingAndItsDeviceIsFree() {
        TestAccount account = api.createAccount("usage unsubscribed", "100.00");
        UUID device = fixtures.device(account);
        UUID pkg = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, device);
        Instant before = fixtures.now();
        assertThat(api.post("/api/v1/traffic-packages/" + pkg + "/unsubscribe", account.apiKey(), Map.of()).status())
            .isEqualTo(200);

        Response posted = fixtures.post(record(id(), device, "GUANGZHOU", GB, before),
                record(id(), device, "GUANGZHOU", GB, fixtures.now()));

        assertThat(posted.body().at("/results/0/paygBytes").asLong()).isEqualTo(GB);
        assertThat(posted.body().at("/results/1/paygBytes").asLong()).isEqualTo(GB);
        assertThat(fixtures.pkg(account, pkg).body().get("usedBytes").asLong()).isZero();
        UUID next = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, device);
        Response offset = fixtures.post(record(id(), device, "GUANGZHOU", GB, fixtures.now()));
        assertThat(offset.body().at("/results/0/packageId").asString()).isEqualTo(next.toString());
    }

    @Test
    void rejectsBytesThatAreNotAWholeNumber() {
        TestAccount account = api.createAccount("usage fractional bytes", "0");
        UUID device = fixtures.device(account);
        Instant now = fixtures.now();
        Map<String, Object> fractional = record(id(), device, "GUANGZHOU", 1, now);
        fractional.put("bytes", 1.5);
        Map<String, Object> text = record(id(), device, "GUANGZHOU", 1, now);
        text.put("bytes", "many");
        Map<String, Object> huge = record(id(), device, "GUANGZHOU", 1, now);
        huge.put("bytes", new java.math.BigDecimal("1e30"));

        Response refused = fixtures.post(fractional, text, huge);

        assertProblem(refused, 400, "VALIDATION_FAILED");
        assertThat(refused.body().get("errors").findValuesAsString("field")).containsExactly("records[0].bytes",
                "records[1].bytes", "records[2].bytes");
    }

    @Test
    void aBatchRetriedWithTheSameIdempotencyKeyReplaysTheFirstAnswer() {
        TestAccount account = api.createAccount("usage idempotency", "100.00");
        UUID device = fixtures.device(account);
        UUID pkg = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, device);
        Map<String, Object> batch = Map.of("records", List.of(record(id(), device, "GUANGZHOU", GB, fixtures.now())));
        String key = "usage-" + UUID.randomUUID();

        Response first = api.request("POST", "/api/v1/traffic-usage")
            .key(api.operator())
            .idempotencyKey(key)
            .json(batch)
            .send();
        Response retried = api.request("POST", "/api/v1/traffic-usage")
            .key(api.operator())
            .idempotencyKey(key)
            .json(batch)
            .send();

        assertThat(first.status()).isEqualTo(200);
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.raw()).isEqualTo(first.raw());
        assertThat(retried.body().get("applied").asInt()).isEqualTo(1);
        assertThat(fixtures.pkg(account, pkg).body().get("usedBytes").asLong()).isEqualTo(GB);
        assertProblem(api.request("POST", "/api/v1/traffic-usage")
            .key(api.operator())
            .idempotencyKey(key)
            .json(Map.of("records", List.of(record(id(), device, "GUANGZHOU", GB, fixtures.now()))))
            .send(), 422, "IDEMPOTENCY_KEY_REUSED");
    }

    @Test
    void rejectsRecordIdsWithControlCharacters() {
        TestAccount account = api.createAccount("usage control characters", "0");
        UUID device = fixtures.device(account);
        Instant now = fixtures.now();

        Response refused = fixtures.post(record("nul\u0000id", device, "GUANGZHOU", 1, now),
                record("tab\tid", device, "GUANGZHOU", 1, now),
                record("ok-" + UUID.randomUUID(), device, "GUANGZHOU", 1, now));

        assertProblem(refused, 400, "VALIDATION_FAILED");
        assertThat(refused.body().get("errors").findValuesAsString("field")).containsExactly("records[0].id",
                "records[1].id");
        assertProblem(api.post("/api/v1/devices", account.apiKey(), Map.of("name", "nul\u0000name")), 400,
                "VALIDATION_FAILED");
        assertProblem(api.patch("/api/v1/devices/" + device, account.apiKey(), Map.of("name", "nul\u0000name")), 400,
                "VALIDATION_FAILED");
    }

    @Test
    void malformedBatchesAndExtremeInstantsAreRefusedWithProblems() {
        TestAccount account = api.createAccount("usage malformed", "0");
        UUID device = fixtures.device(account);
        Map<String, Object> ancient = record(id(), device, "GUANGZHOU", 1, Instant.parse("2026-01-01T00:00:00Z"));
        ancient.put("occurredAt", "-999999999-01-01T00:00:00Z");
        Map<String, Object> farFuture = record(id(), device, "GUANGZHOU", 1, Instant.parse("2026-01-01T00:00:00Z"));
        farFuture.put("occurredAt", "+999999999-12-31T23:59:59Z");
        Map<String, Object> badDate = record(id(), device, "GUANGZHOU", 1, Instant.parse("2026-01-01T00:00:00Z"));
        badDate.put("occurredAt", "2026-13-45T00:00:00Z");

        Response refused = fixtures.post(ancient, farFuture, badDate);

        assertProblem(refused, 400, "VALIDATION_FAILED");
        assertThat(refused.body().get("errors").findValuesAsString("field")).containsExactly("records[0].occurredAt",
                "records[1].occurredAt", "records[2].occurredAt");
        assertProblem(api.post("/api/v1/traffic-usage", api.operator(), "{\"records\": \"all\"}"), 400,
                "VALIDATION_FAILED");
        assertProblem(api.post("/api/v1/traffic-usage", api.operator(), "{\"records\": [1, true]}"), 400,
                "VALIDATION_FAILED");
        assertProblem(api.post("/api/v1/traffic-usage", api.operator(), "{\"records\": ["), 400, "MALFORMED_REQUEST");
        Response sinceEver = api.get("/api/v1/devices/" + device + "/usage?from=-999999999-01-01T00:00:00Z&to="
                + "%2B999999999-12-31T23:59:59Z", account.apiKey());
        assertThat(sinceEver.status()).as(sinceEver.toString()).isEqualTo(200);
        assertThat(sinceEver.body().get("paygBytes").asLong()).isZero();
        assertProblem(api.get("/api/v1/devices/" + device + "/usage?from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z",
                account.apiKey()), 400, "VALIDATION_FAILED");
    }

}
