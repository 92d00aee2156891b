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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Usage batches racing each other on real threads and real PostgreSQL row locks. */
@ApiTest
class UsageRaceTest {

    private static final int THREADS = 8;

    @Autowired
    TestApi api;

    @Autowired
    JdbcClient jdbc;

    UsageFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new UsageFixtures(api);
    }

    /** Runs every batch at once (released together) and answers the responses. */
    private List<Response> race(List<List<Map<String, Object>>> batches) {
        return Race.run(batches.stream().<Callable<Response>>map(batch -> () -> fixtures.post(batch)).toList());
    }

    private static long sum(List<Response> responses, String field) {
        long total = 0;
        for (Response response : responses) {
            for (JsonNode result : response.body().get("results")) {
                if (!result.get("duplicate").asBoolean()) {
                    total += result.get(field).asLong();
                }
            }
        }
        return total;
    }

    @Test
    void concurrentBatchesOnOnePackageNeverTakeMoreThanItsCapacity() throws Exception {
        TestAccount account = api.createAccount("race capacity", "100.00");
        UUID a = fixtures.device(account);
        UUID b = fixtures.device(account);
        UUID pkg = fixtures.bought(account, "DEVICE_2_FLOW_50G", "GUANGZHOU", false, a, b);
        Instant now = fixtures.now();
        List<List<Map<String, Object>>> batches = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batch.add(record(id(), i % 2 == 0 ? a : b, "GUANGZHOU", GB, now));
            }
            batches.add(batch);
        }

        List<Response> responses = race(batches);

        for (Response response : responses) {
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
        }
        assertThat(sum(responses, "packageBytes")).isEqualTo(50 * GB);
        assertThat(sum(responses, "paygBytes")).isEqualTo(30 * GB);
        Response read = fixtures.pkg(account, pkg);
        assertThat(read.body().get("usedBytes").asLong()).isEqualTo(50 * GB);
        assertThat(read.text("/status")).isEqualTo("EXHAUSTED");
    }

    @Test
    void theSameRecordsInConcurrentBatchesAreAppliedOnce() throws Exception {
        TestAccount account = api.createAccount("race duplicates", "100.00");
        UUID device = fixtures.device(account);
        UUID pkg = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false, device);
        Instant now = fixtures.now();
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(record(id(), device, "GUANGZHOU", 100 * 1024 * 1024, now));
        }
        List<Map<String, Object>> reversed = new ArrayList<>(batch);
        java.util.Collections.reverse(reversed);
        List<List<Map<String, Object>>> batches = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            batches.add(t % 2 == 0 ? batch : reversed);
        }

        List<Response> responses = race(batches);

        int applied = 0;
        for (Response response : responses) {
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            applied += response.body().get("applied").asInt();
            for (JsonNode result : response.body().get("results")) {
                assertThat(result.get("packageBytes").asLong()).isEqualTo(100 * 1024 * 1024);
            }
        }
        assertThat(applied).isEqualTo(20);
        assertThat(fixtures.pkg(account, pkg).body().get("usedBytes").asLong()).isEqualTo(20L * 100 * 1024 * 1024);
    }

    @Test
    void concurrentExhaustionsOrderOneSuccessorPerPackage() throws Exception {
        TestAccount account = api.createAccount("race renewals", "330.00");
        UUID a = fixtures.device(account);
        UUID b = fixtures.device(account);
        UUID first = fixtures.bought(account, "DEVICE_2_FLOW_50G", "GUANGZHOU", true, a, b);
        Instant now = fixtures.now();
        List<List<Map<String, Object>>> batches = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            batches.add(List.of(record(id(), t % 2 == 0 ? a : b, "GUANGZHOU", 30 * GB, now)));
        }

        List<Response> responses = race(batches);

        for (Response response : responses) {
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
        }
        List<Map<String, Object>> chain = jdbc.sql("""
                WITH RECURSIVE chain AS (
                    SELECT id, used_bytes, status, renewal_failure, 0 AS depth FROM traffic_packages WHERE id = :first
                    UNION ALL
                    SELECT p.id, p.used_bytes, p.status, p.renewal_failure, c.depth + 1
                    FROM traffic_packages p JOIN chain c ON p.predecessor_id = c.id)
                SELECT * FROM chain ORDER BY depth""").param("first", first).query().listOfRows();
        // 240 GB of traffic; 330.00 pays the purchase and three renewals of 70.00, the
        // fourth renewal is short
        assertThat(chain).hasSize(4);
        assertThat(chain.get(3).get("renewal_failure")).isEqualTo("INSUFFICIENT_BALANCE");
        long used = chain.stream().mapToLong(row -> ((Number) row.get("used_bytes")).longValue()).sum();
        assertThat(used).isEqualTo(sum(responses, "packageBytes"))
            .isEqualTo(240 * GB - sum(responses, "paygBytes"))
            .isEqualTo(4 * 50 * GB);
        long successorsPerPackage = jdbc.sql("""
                SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM traffic_packages
                WHERE account_id = :account AND predecessor_id IS NOT NULL GROUP BY predecessor_id) s""")
            .param("account", account.id())
            .query(Long.class)
            .single();
        assertThat(successorsPerPackage).isEqualTo(1);
        long renewals = jdbc
            .sql("SELECT count(*) FROM ledger_entries WHERE account_id = :account AND kind = 'AUTO_RENEWAL'")
            .param("account", account.id())
            .query(Long.class)
            .single();
        assertThat(renewals).isEqualTo(chain.size() - 1);
        assertThat(api.balance(account)).isEqualTo("50.00");
    }

    @Test
    void theSameRecordsOfADeviceWithoutAPackageInConcurrentBatchesAreAppliedOnce() throws Exception {
        TestAccount account = api.createAccount("race unbound duplicates", "0");
        UUID device = fixtures.device(account);
        Instant now = fixtures.now();
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(record(id(), device, "GUANGZHOU", 1024, now));
        }
        List<List<Map<String, Object>>> batches = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            batches.add(batch);
        }

        List<Response> responses = race(batches);

        int applied = 0;
        for (Response response : responses) {
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            applied += response.body().get("applied").asInt();
            assertThat(response.body().get("applied").asInt() + response.body().get("duplicates").asInt())
                .isEqualTo(50);
        }
        assertThat(applied).isEqualTo(50);
        Response totals = api.get(
                "/api/v1/devices/" + device + "/usage?from=" + now.minusSeconds(1) + "&to=" + now.plusSeconds(1),
                account.apiKey());
        assertThat(totals.body().get("paygBytes").asLong()).isEqualTo(50 * 1024);
    }

}
