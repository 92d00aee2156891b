package io.planbilling.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The audit trail over HTTP on real PostgreSQL: every ledger entry and every state change
 * records the key that caused it and the request id, for account keys, the operator and
 * background jobs; a refused request leaves no trace; the trail cannot be edited.
 */
@ApiTest
class AuditTrailApiTest {

    @Autowired
    TestApi api;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aCreditRecordsTheOperatorAndTheCallersRequestIdOnTheLedgerEntry() {
        TestAccount account = api.createAccount("audit credit");
        String requestId = "finance-credit-" + UUID.randomUUID();

        Response credited = api.request("POST", "/api/v1/accounts/" + account.id() + "/credits")
            .key(api.operator())
            .header("X-Request-Id", requestId)
            .json(Map.of("amount", TestApi.money("50.00"), "reference", "audit-" + UUID.randomUUID()))
            .send();

        assertThat(credited.status()).as("%s", credited).isEqualTo(201);
        assertThat(credited.text("/actor")).isEqualTo("operator");
        assertThat(credited.text("/requestId")).isEqualTo(requestId);
        JsonNode entry = api.get("/api/v1/accounts/" + account.id() + "/ledger", api.operator())
            .body()
            .get("content")
            .get(0);
        assertThat(entry.get("actor").asString()).isEqualTo("operator");
        assertThat(entry.get("requestId").asString()).isEqualTo(requestId);
        assertThat(auditRows(requestId)).extracting(row -> row.get("table_name") + " " + row.get("operation"))
            .containsExactly("accounts UPDATE");
    }

    @Test
    void aPurchaseRecordsTheAccountKeyOnTheChargeAndOnEveryRowItWrote() {
        TestAccount account = api.createAccount("audit purchase", "100.00");
        String actor = "account-key:" + liveKeyId(account.id());
        UUID device = api.post("/api/v1/devices", account.apiKey(), Map.of("name", "audited")).id();
        String requestId = "console-" + UUID.randomUUID();

        Response bought = api.request("POST", "/api/v1/traffic-packages")
            .key(account.apiKey())
            .header("X-Request-Id", requestId)
            .json(Map.of("type", "DEVICE_1_FLOW_20G", "region", "GUANGZHOU", "deviceIds", List.of(device), "autoRenew",
                    false))
            .send();

        assertThat(bought.status()).as("%s", bought).isEqualTo(201);
        JsonNode purchase = api.get("/api/v1/account/ledger", account.apiKey()).body().get("content").get(0);
        assertThat(purchase.get("kind").asString()).isEqualTo("PURCHASE");
        assertThat(purchase.get("actor").asString()).isEqualTo(actor);
        assertThat(purchase.get("requestId").asString()).isEqualTo(requestId);
        List<Map<String, Object>> rows = auditRows(requestId);
        assertThat(rows).extracting(row -> row.get("table_name") + " " + row.get("operation"))
            .contains("traffic_packages INSERT", "traffic_bindings INSERT", "accounts UPDATE");
        assertThat(rows).allSatisfy(row -> assertThat(row.get("actor")).isEqualTo(actor));
        assertThat(rows).filteredOn(row -> row.get("table_name").equals("traffic_packages"))
            .extracting(row -> row.get("resource_id"))
            .containsOnly(bought.id().toString());
    }

    @Test
    void aRequestWithoutAnIdIsRecordedUnderTheIdTheServiceGaveIt() {
        TestAccount account = api.createAccount("audit generated id");

        Response created = api.post("/api/v1/devices", account.apiKey(), Map.of("name", "no request id"));

        String generated = created.header("X-Request-Id").orElseThrow();
        assertThat(auditRows(generated)).singleElement().satisfies(row -> {
            assertThat(row.get("table_name")).isEqualTo("traffic_devices");
            assertThat(row.get("operation")).isEqualTo("INSERT");
            assertThat(row.get("resource_id")).isEqualTo(created.id().toString());
        });
    }

    @Test
    void usageRecordsCarryTheBatchRequest() {
        TestAccount account = api.createAccount("audit usage");
        UUID device = api.post("/api/v1/devices", account.apiKey(), Map.of("name", "metered")).id();
        String recordId = "audit-" + UUID.randomUUID();
        String requestId = "metering-" + UUID.randomUUID();
        Instant now = Instant.parse(api.get("/api/v1/admin/clock", api.operator()).text("/now"));

        Response posted = api.request("POST", "/api/v1/traffic-usage")
            .key(api.operator())
            .header("X-Request-Id", requestId)
            .json(Map.of("records",
                    List.of(Map.of("id", recordId, "deviceId", device, "region", "GUANGZHOU", "bytes", 1000,
                            "occurredAt", now.minusSeconds(60).toString()))))
            .send();

        assertThat(posted.status()).as("%s", posted).isEqualTo(200);
        assertThat(jdbc.queryForMap("SELECT actor, request_id FROM traffic_usage_records WHERE id = ?", recordId))
            .containsEntry("actor", "operator")
            .containsEntry("request_id", requestId);
    }

    @Test
    void aBackgroundJobRecordsItselfAndItsRunId() {
        TestAccount account = api.createAccount("audit job", "500.00");
        UUID network = api
            .post("/api/v1/office-networks", account.apiKey(),
                    Map.of("name", "audited office", "region", "cn-shanghai"))
            .id();
        UUID plan = api
            .post("/api/v1/bandwidth-plans", account.apiKey(), Map.of("region", "cn-shanghai", "paymentType",
                    "PAY_AS_YOU_GO", "chargeType", "PAY_BY_BANDWIDTH", "peakBandwidthMbps", 10))
            .id();
        String requestId = "associate-" + UUID.randomUUID();

        Response requested = api.request("PUT", "/api/v1/bandwidth-plans/" + plan + "/office-network")
            .key(account.apiKey())
            .header("X-Request-Id", requestId)
            .json(Map.of("officeNetworkId", network))
            .send();

        assertThat(requested.status()).as("%s", requested).isEqualTo(202);
        // the association worker (its own schedule, every second in tests) applies the
        // change
        List<Map<String, Object>> applied = awaitRows("""
                SELECT actor, request_id FROM audit_log
                WHERE table_name = 'bandwidth_plans' AND resource_id = ? AND row_data ->> 'status' = 'IN_USE'
                """, plan.toString());
        assertThat(applied).singleElement().satisfies(row -> {
            assertThat(row.get("actor")).isEqualTo("job:association-worker");
            assertThat((String) row.get("request_id")).startsWith("association-worker-");
        });
        assertThat(auditRows(requestId)).extracting(row -> row.get("table_name") + " " + row.get("operation"))
            .contains("bandwidth_plans UPDATE");
    }

    @Test
    void aRefusedRequestLeavesNoTrace() {
        TestAccount account = api.createAccount("audit refused", "1.00");
        String requestId = "refused-" + UUID.randomUUID();

        Response refused = api.request("POST", "/api/v1/traffic-packages")
            .key(account.apiKey())
            .header("X-Request-Id", requestId)
            .json(Map.of("type", "DEVICE_5_FLOW_500G", "region", "GUANGZHOU", "deviceIds", List.of(), "autoRenew",
                    false))
            .send();

        assertThat(refused.status()).as("%s", refused).isEqualTo(402);
        assertThat(auditRows(requestId)).isEmpty();
        assertThat(
                jdbc.queryForObject("SELECT count(*) FROM ledger_entries WHERE request_id = ?", Long.class, requestId))
            .isZero();
    }

    @Test
    void keyHashesAreNotCopiedIntoTheTrail() {
        TestAccount account = api.createAccount("audit keys");
        String requestId = "rotate-" + UUID.randomUUID();

        Response rotated = api.request("POST", "/api/v1/accounts/" + account.id() + "/api-keys")
            .key(api.operator())
            .header("X-Request-Id", requestId)
            .send();

        assertThat(rotated.status()).as("%s", rotated).isEqualTo(201);
        List<Map<String, Object>> rows = auditRows(requestId);
        assertThat(rows).extracting(row -> row.get("table_name") + " " + row.get("operation"))
            .containsExactlyInAnyOrder("account_api_keys UPDATE", "account_api_keys INSERT");
        assertThat(
                jdbc.queryForList("SELECT row_data::text FROM audit_log WHERE request_id = ?", String.class, requestId))
            .allSatisfy(data -> assertThat(data).doesNotContain("key_hash").contains("key_prefix"));
    }

    private String liveKeyId(UUID accountId) {
        return jdbc
            .queryForObject("SELECT id FROM account_api_keys WHERE account_id = ? AND revoked_at IS NULL", UUID.class,
                    accountId)
            .toString();
    }

    private List<Map<String, Object>> auditRows(String requestId) {
        return jdbc.queryForList("""
                SELECT table_name, operation, actor, resource_id FROM audit_log WHERE request_id = ? ORDER BY id
                """, requestId);
    }

    private List<Map<String, Object>> awaitRows(String sql, Object... args) {
        return await("rows of " + sql).atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> jdbc.queryForList(sql, args), rows -> !rows.isEmpty());
    }

}
