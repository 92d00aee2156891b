package io.planbilling.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.TestDatabase;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * V44 and V45 start the running totals of the months already under way from the charges
 * recorded before it: a database at V43 with pay-as-you-go traffic and hourly bandwidth
 * charges, migrated to V45 (the Java migration that starts the totals) in a schema of its
 * own, holds each account's exact totals per bill month of the configured billing zone
 * (docs/alerts.md).
 */
class PostpaidMonthsBackfillTest {

    private final String schema = "backfill_" + UUID.randomUUID().toString().replace("-", "");

    private final TestDatabase.Connection database = TestDatabase.connection();

    private final SingleConnectionDataSource dataSource = new SingleConnectionDataSource(database.url(),
            database.username(), database.password(), true);

    private final JdbcTemplate jdbc = new JdbcTemplate(dataSource);

    private Flyway flyway(String target) {
        return Flyway.configure()
            .dataSource(database.url(), database.username(), database.password())
            .schemas(schema)
            .locations("classpath:db/migration")
            .placeholders(Map.of("billing_zone", "Asia/Shanghai"))
            .target(target)
            .load();
    }

    @AfterEach
    void dropTheSchema() {
        jdbc.execute("DROP SCHEMA " + schema + " CASCADE");
        dataSource.destroy();
    }

    @Test
    void theMonthsUnderWayStartFromTheChargesAlreadyRecorded() {
        flyway("43").migrate();
        jdbc.execute("SET search_path TO " + schema);
        UUID account = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        UUID plan = UUID.randomUUID();
        jdbc.update(
                "INSERT INTO accounts (id, name, created_at, version) VALUES (?, 'a', now(), 0), (?, 'b', now(), 0)",
                account, other);
        // 2026-10-31T17:00Z is already November in Shanghai; 0.390625 GB at 1.60 is
        // 0.625, kept exactly
        record(account, "2026-10-31T17:00:00Z", 419_430_400L, "1.60");
        record(account, "2026-11-20T00:00:00Z", 1L << 30, "1.20");
        record(account, "2026-10-31T15:59:59Z", 1L << 30, "1.20");
        record(other, "2026-11-02T00:00:00Z", 2L << 30, "1.20");
        jdbc.update("""
                INSERT INTO bandwidth_plans (id, account_id, region, payment_type, charge_type, auto_renew, peak_mbps,
                                             status, ip_address, created_at, ended_at, billed_until)
                VALUES (?, ?, 'cn-shanghai', 'PAY_AS_YOU_GO', 'PAY_BY_BANDWIDTH', false, 10, 'DELETED',
                        '198.51.100.9', now(), now(), now())""", plan, account);
        jdbc.update(
                """
                        INSERT INTO bandwidth_hourly_charges (plan_id, hour_start, account_id, charge_type, quantity, unit_price)
                        VALUES (?, '2026-11-30T15:00:00Z', ?, 'PAY_BY_BANDWIDTH', 10, 0.05),
                               (?, '2026-11-30T16:00:00Z', ?, 'PAY_BY_BANDWIDTH', 10, 0.05)""",
                plan, account, plan, account);

        flyway("45").migrate();

        List<Map<String, Object>> months = jdbc.queryForList(
                "SELECT account_id, month::text AS month, due FROM postpaid_months ORDER BY account_id = ?, month",
                other);
        assertThat(months)
            .extracting(m -> m.get("account_id") + " " + m.get("month") + " "
                    + ((BigDecimal) m.get("due")).stripTrailingZeros().toPlainString())
            .containsExactly(
                    // October: 1.20; November: 0.625 + 1.20 + one hour at 10 × 0.05 (the
                    // next is December's)
                    account + " 2026-10-01 1.2", account + " 2026-11-01 2.325", account + " 2026-12-01 0.5",
                    other + " 2026-11-01 2.4");
    }

    private void record(UUID account, String at, long paygBytes, String unitPrice) {
        jdbc.update("""
                INSERT INTO traffic_usage_records (id, account_id, device_id, region, bytes, occurred_at, received_at,
                    package_bytes, payg_bytes, blocked_bytes, payg_unit_price)
                VALUES (?, ?, ?, 'GUANGZHOU', ?, CAST(? AS timestamptz), now(), 0, ?, 0, ?)""",
                "backfill-" + UUID.randomUUID(), account, UUID.randomUUID(), paygBytes, at, paygBytes,
                new BigDecimal(unitPrice));
    }

}
