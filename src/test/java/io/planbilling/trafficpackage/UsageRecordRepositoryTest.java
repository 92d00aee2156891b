package io.planbilling.trafficpackage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planbilling.shared.RecordSource;
import io.planbilling.testing.PostgresJdbcTest;
import io.planbilling.testing.Race;
import io.planbilling.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The usage record store's SQL on the real PostgreSQL, in a database of its own: a record
 * id is claimed once, by one statement, whatever runs concurrently; each row keeps its
 * split and its source (docs/traffic-packages.md, usage ingestion).
 */
@PostgresJdbcTest
@Import(UsageRecordRepository.class)
class UsageRecordRepositoryTest {

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry properties) {
        TestDatabase.useOwn(properties, "usage_record_store");
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    UsageRecordRepository records;

    @Autowired
    TransactionTemplate transaction;

    final UUID account = UUID.randomUUID();

    final UUID device = UUID.randomUUID();

    final String prefix = UUID.randomUUID() + ":";

    MeteredUsage usage(String id, RecordSource source) {
        return new MeteredUsage(new UsageRecord(0, prefix + id, device, TrafficRegion.GUANGZHOU, 100,
                Instant.parse("2026-11-22T08:00:00Z")), account, OveragePolicy.PAY_AS_YOU_GO, source);
    }

    static Map<String, UsageSplit> payAsYouGo(List<MeteredUsage> usages) {
        Map<String, UsageSplit> splits = new HashMap<>();
        for (MeteredUsage usage : usages) {
            UsageSplit split = new UsageSplit();
            split.paygBytes = usage.bytes();
            split.paygUnitPrice = new BigDecimal("0.80");
            split.reason = UnoffsetReason.NO_LIVE_PACKAGE;
            splits.put(usage.id(), split);
        }
        return splits;
    }

    Set<String> claim(List<MeteredUsage> usages) {
        return transaction.execute(status -> records.claim(usages, payAsYouGo(usages), Instant.now()));
    }

    List<MeteredUsage> usages(String... ids) {
        List<MeteredUsage> usages = new ArrayList<>();
        for (String id : ids) {
            usages.add(usage(id, RecordSource.http("req-" + id)));
        }
        return usages;
    }

    @Test
    void aClaimStoresTheNewIdsOnlyAndTheOriginalSplitAnswersLaterOnes() {
        assertThat(claim(usages("a", "b"))).containsExactlyInAnyOrder(prefix + "a", prefix + "b");
        assertThat(claim(usages("b", "c"))).containsExactly(prefix + "c");

        assertThat(records.existing(List.of(prefix + "a", prefix + "c", prefix + "d")))
            .containsExactlyInAnyOrder(prefix + "a", prefix + "c");
        assertThat(records.originals(List.of(prefix + "b"))).containsOnlyKeys(prefix + "b")
            .containsValue(new UsageBatchResult.RecordResult(prefix + "b", null, 0, 100, 0, true,
                    UnoffsetReason.NO_LIVE_PACKAGE));
    }

    @Test
    void eachRowKeepsItsOwnSourceAndAnHttpRowItsOwnRequestId() {
        List<MeteredUsage> usages = List.of(usage("http", RecordSource.http("req-7")),
                usage("kafka", RecordSource.kafka("plan-billing.traffic-usage", 3, 42)));

        claim(usages);

        Map<String, String> sources = new HashMap<>();
        Map<String, String> requestIds = new HashMap<>();
        jdbc.sql("SELECT id, source, request_id FROM traffic_usage_records WHERE id LIKE :prefix")
            .param("prefix", prefix + "%")
            .query(rs -> {
                sources.put(rs.getString("id"), rs.getString("source"));
                requestIds.put(rs.getString("id"), rs.getString("request_id"));
            });
        assertThat(sources).containsEntry(prefix + "http", "http:req-7")
            .containsEntry(prefix + "kafka", "kafka:plan-billing.traffic-usage/3@42");
        assertThat(requestIds).containsEntry(prefix + "http", "req-7").containsEntry(prefix + "kafka", null);
    }

    @Test
    void aRecordThatDrewOnSeveralPackagesKeepsItsSplitPerPackage() {
        MeteredUsage usage = usage("split", RecordSource.http("req"));
        UsageSplit split = new UsageSplit();
        UUID first = UUID.randomUUID();
        UUID successor = UUID.randomUUID();
        split.allocations.put(first, 60L);
        split.allocations.put(successor, 40L);
        split.packageBytes = 100;
        split.packageId = successor;
        MeteredUsage single = usage("single", RecordSource.http("req"));
        UsageSplit one = new UsageSplit();
        one.allocations.put(first, 100L);
        one.packageBytes = 100;
        one.packageId = first;

        transaction.executeWithoutResult(status -> {
            records.claim(List.of(usage, single), Map.of(usage.id(), split, single.id(), one), Instant.now());
            records.writeAllocations(List.of(usage, single), Map.of(usage.id(), split, single.id(), one));
        });

        assertThat(
                jdbc.sql("SELECT package_id, bytes FROM traffic_usage_allocations WHERE record_id = :id ORDER BY bytes")
                    .param("id", usage.id())
                    .query((rs, n) -> rs.getObject(1, UUID.class) + "=" + rs.getLong(2))
                    .list())
            .containsExactly(successor + "=40", first + "=60");
        assertThat(jdbc.sql("SELECT count(*) FROM traffic_usage_allocations WHERE record_id = :id")
            .param("id", single.id())
            .query(Long.class)
            .single()).as("one package: the record's own row says it all").isZero();
    }

    @Test
    void aConcurrentClaimOfTheSameIdWaitsForTheFirstAndThenStoresNothingForIt() throws Exception {
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<Set<String>> first = CompletableFuture.supplyAsync(() -> transaction.execute(status -> {
            Set<String> ids = records.claim(usages("x", "y"), payAsYouGo(usages("x", "y")), Instant.now());
            claimed.countDown();
            hold(commit);
            return ids;
        }));
        claimed.await(30, TimeUnit.SECONDS);

        CompletableFuture<Set<String>> second = CompletableFuture.supplyAsync(() -> claim(usages("y", "z")));
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock'""").query(Long.class).single() > 0);
        assertThat(second).as("waits on the first claim's key").isNotDone();
        commit.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).containsExactlyInAnyOrder(prefix + "x", prefix + "y");
        assertThat(second.get(30, TimeUnit.SECONDS)).containsExactly(prefix + "z");
    }

    @Test
    void manyConcurrentClaimsOfOverlappingIdsInAnyOrderStoreEachIdOnceWithoutDeadlock() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add("id" + i);
        }
        List<Set<String>> results = Race.times(8, () -> {
            List<String> mine = new ArrayList<>(ids);
            java.util.Collections.shuffle(mine);
            return claim(usages(mine.subList(0, 30).toArray(String[]::new)));
        });

        List<String> all = new ArrayList<>();
        results.forEach(all::addAll);
        assertThat(all).doesNotHaveDuplicates();
        assertThat(records.existing(ids.stream().map(id -> prefix + id).toList()))
            .containsExactlyInAnyOrderElementsOf(all);
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
