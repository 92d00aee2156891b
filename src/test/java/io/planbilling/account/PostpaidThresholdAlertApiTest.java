package io.planbilling.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.Feed;
import io.planbilling.testing.Race;
import io.planbilling.testing.SecondCopy;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.JsonNode;

/**
 * {@code account.postpaid_threshold_reached}: when a bill month's postpaid charges
 * (pay-as-you-go traffic by its {@code occurredAt}, hourly bandwidth by its hour) reach
 * the account's threshold, once per account and month, from a running total kept with the
 * charges (docs/alerts.md).
 */
@ApiTest
class PostpaidThresholdAlertApiTest {

    private static final String REACHED = "account.postpaid_threshold_reached";

    private static final long GB = 1024L * 1024 * 1024;

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @Autowired
    TestApi api;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    private void postpaidThreshold(TestAccount account, String threshold) {
        Response saved = api.put("/api/v1/alert-settings", account.apiKey(),
                AlertSettingsApiTest.settings(List.of(80, 100), List.of(7, 3, 1), null, threshold));
        assertThat(saved.status()).as("%s", saved).isEqualTo(200);
    }

    private UUID device(TestAccount account) {
        Response created = api.post("/api/v1/devices", account.apiKey(), Map.of("name", "d-" + UUID.randomUUID()));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.id();
    }

    private Instant now() {
        return Instant.parse(api.get("/api/v1/admin/clock", api.operator()).text("/now"));
    }

    private static Map<String, Object> record(UUID device, String region, long bytes, Instant at) {
        return Map.of("id", "pp-" + UUID.randomUUID(), "deviceId", device.toString(), "region", region, "bytes", bytes,
                "occurredAt", at.toString());
    }

    private void use(List<Map<String, Object>> records) {
        Response applied = api.post("/api/v1/traffic-usage", api.operator(), Map.of("records", records));
        assertThat(applied.status()).as("%s", applied).isEqualTo(200);
    }

    private List<JsonNode> reached(TestAccount account) {
        return new Feed(api, jdbc).events(account.apiKey(), REACHED);
    }

    /**
     * Mid-month of a month before the clock's, so records of it and of the month after
     * are in the past.
     */
    private Instant midMonth(int monthsBack) {
        return YearMonth.from(now().atZone(ZONE))
            .minusMonths(monthsBack)
            .atDay(10)
            .atTime(12, 0)
            .atZone(ZONE)
            .toInstant();
    }

    @Test
    void payAsYouGoTrafficReachesTheMonthsThresholdOnceAndTheNextMonthStartsFromNothing() {
        TestAccount account = api.createAccount("postpaid traffic", "0");
        postpaidThreshold(account, "10.00");
        UUID device = device(account);
        Instant first = midMonth(3);
        Instant second = midMonth(2);

        use(List.of(record(device, "GUANGZHOU", 5 * GB, first))); // 6.00
        assertThat(reached(account)).isEmpty();
        use(List.of(record(device, "GUANGZHOU", 4 * GB, first.plusSeconds(60)))); // 10.80:
                                                                                  // reached
        use(List.of(record(device, "GUANGZHOU", 4 * GB, first.plusSeconds(120)))); // 15.60:
                                                                                   // once
                                                                                   // a
                                                                                   // month
        use(List.of(record(device, "GUANGZHOU", 8 * GB, second))); // the next month: 9.60
        assertThat(reached(account)).hasSize(1);
        use(List.of(record(device, "GUANGZHOU", GB, second.plusSeconds(60)))); // 10.80:
                                                                               // reached

        List<JsonNode> alerts = reached(account);
        assertThat(alerts).extracting(a -> a.at("/data/month").asString())
            .containsExactly(YearMonth.from(first.atZone(ZONE)).toString(),
                    YearMonth.from(second.atZone(ZONE)).toString());
        assertThat(alerts).extracting(a -> a.at("/data/postpaidDue/amount").asString())
            .containsExactly("10.80", "10.80");
        assertThat(alerts).allSatisfy(alert -> {
            assertThat(alert.at("/data/threshold/amount").asString()).isEqualTo("10.00");
            assertThat(alert.get("resourceType").asString()).isEqualTo("ACCOUNT");
            assertThat(alert.get("resourceId").asString()).isEqualTo(account.id().toString());
        });
        assertThat(api.get("/api/v1/bills?month=" + YearMonth.from(first.atZone(ZONE)), account.apiKey())
            .text("/totals/postpaidDue/amount")).isEqualTo("15.60");
    }

    /**
     * The alert compares the month's exact total, and its postpaidDue is that total
     * rounded once; the bill rounds each line once. Two devices with 0.390625 GB at 1.60
     * each: 0.625 exactly per line, 1.25 in all — the bill says 0.62 twice, 1.24.
     */
    @Test
    void theAlertRoundsTheMonthsExactTotalOnceWhileTheBillRoundsEachLine() {
        TestAccount account = api.createAccount("postpaid rounding", "0");
        postpaidThreshold(account, "1.25");
        Instant at = midMonth(4);

        use(List.of(record(device(account), "SILICON_VALLEY", 419_430_400L, at),
                record(device(account), "SILICON_VALLEY", 419_430_400L, at)));

        List<JsonNode> alerts = reached(account);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).at("/data/postpaidDue/amount").asString()).isEqualTo("1.25");
        assertThat(api.get("/api/v1/bills?month=" + YearMonth.from(at.atZone(ZONE)), account.apiKey())
            .text("/totals/postpaidDue/amount")).isEqualTo("1.24");
    }

    @Test
    void hourlyBandwidthChargesCountInTheMonthOfTheirHour() {
        TestAccount account = api.createAccount("postpaid hours", "0");
        postpaidThreshold(account, "1.00");
        // the middle of a month, so that the hours billed here fall in one month
        Instant middle = YearMonth.from(now().atZone(ZONE)).plusMonths(1).atDay(12).atStartOfDay(ZONE).toInstant();
        assertThat(api.post("/api/v1/admin/clock", api.operator(), Map.of("set", middle.toString())).status())
            .isEqualTo(200);
        Response bought = api.post("/api/v1/bandwidth-plans", account.apiKey(), Map.of("region", "cn-shanghai",
                "paymentType", "PAY_AS_YOU_GO", "chargeType", "PAY_BY_BANDWIDTH", "peakBandwidthMbps", 10));
        assertThat(bought.status()).as("%s", bought).isEqualTo(201);

        api.post("/api/v1/admin/clock", api.operator(),
                Map.of("advance", Duration.ofHours(1).plusMinutes(1).toString()));
        runLifecycle(); // 1 hour: 0.50
        assertThat(reached(account)).isEmpty();
        api.post("/api/v1/admin/clock", api.operator(), Map.of("advance", Duration.ofHours(3).toString()));
        runLifecycle(); // three more hours in one run: 0.50 → 2.00

        List<JsonNode> alerts = reached(account);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).at("/data/month").asString())
            .isEqualTo(YearMonth.from(middle.atZone(ZONE)).toString());
        assertThat(alerts.get(0).at("/data/postpaidDue/amount").asString()).as("the total when it was reached")
            .isEqualTo("2.00");
        // stops its billing: later tests move the shared clock by days
        assertThat(api.delete("/api/v1/bandwidth-plans/" + bought.id(), account.apiKey()).status()).isEqualTo(204);
    }

    @Test
    void twentyConcurrentBatchesAcrossTheThresholdSendOneAlert() {
        TestAccount account = api.createAccount("postpaid race", "0");
        postpaidThreshold(account, "12.00");
        Instant at = midMonth(5);
        List<UUID> devices = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            devices.add(device(account));
        }

        // 20 × 1 GB at 1.20: the threshold is reached by the tenth batch to commit,
        // whichever that is, or by the group of small requests that holds it
        // (docs/traffic-packages.md, coalesced requests)
        List<Integer> statuses = Race.run(
                devices
                    .stream().<java.util.concurrent.Callable<Integer>>map(
                            device -> () -> api
                                .post("/api/v1/traffic-usage", api.operator(),
                                        Map.of("records", List.of(record(device, "GUANGZHOU", GB, at))))
                                .status())
                    .toList());

        assertThat(statuses).containsOnly(200);
        List<JsonNode> alerts = reached(account);
        assertThat(alerts).hasSize(1);
        // the total after the transaction that reached it: 12.00, or a whole number of
        // 1.20 more when that transaction applied several of the requests together
        java.math.BigDecimal due = new java.math.BigDecimal(alerts.get(0).at("/data/postpaidDue/amount").asString());
        assertThat(due).isBetween(new java.math.BigDecimal("12.00"), new java.math.BigDecimal("24.00"));
        assertThat(due.remainder(new java.math.BigDecimal("1.20"))).isEqualByComparingTo("0");
        assertThat(jdbc.queryForObject("SELECT due FROM postpaid_months WHERE account_id = ?",
                java.math.BigDecimal.class, account.id()))
            .isEqualByComparingTo("24.00");
    }

    @Test
    void theDatabaseKeyAloneRefusesASecondAlertOfAMonth() {
        TestAccount account = api.createAccount("postpaid key", "0");

        List<Integer> inserted = SecondCopy.insertTwice(jdbc, transactionManager, """
                INSERT INTO postpaid_threshold_alerts (account_id, month, threshold, postpaid_due, reached_at)
                VALUES (?, DATE '2026-11-01', 10.00, 10.80, now())
                ON CONFLICT DO NOTHING""", account.id());

        assertThat(inserted).containsExactly(1, 0);
    }

    private void runLifecycle() {
        Response run = api.post("/api/v1/admin/lifecycle/run", api.operator(), Map.of());
        assertThat(run.status()).as("%s", run).isEqualTo(200);
    }

}
