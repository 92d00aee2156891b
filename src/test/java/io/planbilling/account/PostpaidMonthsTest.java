package io.planbilling.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.shared.BillingSettings;
import io.planbilling.testing.PostgresJdbcTest;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.AutoConfigureDataJpa;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The running totals of postpaid charges per bill month on real PostgreSQL (a JDBC
 * slice): exact sums in the billing zone's months, and the threshold alert once per
 * account and month, also under concurrent batches (docs/alerts.md).
 */
@PostgresJdbcTest
@AutoConfigureDataJpa
@Import({ Accounts.class, ApiKeys.class, Ledger.class, LedgerDebits.class, PostpaidMonths.class })
class PostpaidMonthsTest {

    /** Half a GB. */
    private static final BigDecimal HALF_GB = BigDecimal.valueOf(1L << 29);

    @Autowired
    PostpaidMonths months;

    @Autowired
    Accounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    BillingSettings settings;

    private PostpaidMonths.Accrual halfGb(UUID account, String at, String pricePerGb) {
        return new PostpaidMonths.Accrual(account, Instant.parse(at), PostpaidUnit.GB, HALF_GB,
                settings.money(pricePerGb));
    }

    private void add(PostpaidMonths.Accrual... accruals) {
        transactions.executeWithoutResult(status -> months.add(List.of(accruals)));
    }

    private BigDecimal due(UUID account, String month) {
        return jdbc.sql("SELECT due FROM postpaid_months WHERE account_id = :account AND month = :month")
            .param("account", account)
            .param("month", LocalDate.parse(month))
            .query(BigDecimal.class)
            .optional()
            .orElse(BigDecimal.ZERO);
    }

    private long alerts(UUID account) {
        return jdbc.sql("SELECT count(*) FROM postpaid_threshold_alerts WHERE account_id = :account")
            .param("account", account)
            .query(Long.class)
            .single();
    }

    private long events(UUID account) {
        return jdbc.sql(
                "SELECT count(*) FROM events WHERE account_id = :account AND type = 'account.postpaid_threshold_reached'")
            .param("account", account)
            .query(Long.class)
            .single();
    }

    private void threshold(UUID account, String amount) {
        jdbc.sql("""
                INSERT INTO alert_settings (account_id, traffic_usage_thresholds, expiry_reminder_days,
                                            postpaid_monthly_threshold, updated_at)
                VALUES (:account, '{80,100}', '{7,3,1}', :threshold, now())""")
            .param("account", account)
            .param("threshold", new BigDecimal(amount))
            .update();
    }

    @Test
    void addsEachChargeExactlyToItsBillMonthInTheBillingZone() {
        UUID account = accounts.create("months").id();

        // 23:59 on 31 October and 00:30 on 1 November in Asia/Shanghai
        add(halfGb(account, "2026-10-31T15:59:00Z", "0.03"), halfGb(account, "2026-10-31T16:30:00Z", "0.03"),
                halfGb(account, "2026-11-15T00:00:00Z", "0.03"));

        assertThat(due(account, "2026-10-01")).isEqualByComparingTo("0.015");
        assertThat(due(account, "2026-11-01")).isEqualByComparingTo("0.030");
        assertThat(alerts(account)).isZero();
    }

    @Test
    void addsNothingForAFreeCharge() {
        UUID account = accounts.create("free").id();

        add(halfGb(account, "2026-11-15T00:00:00Z", "0.00"));

        assertThat(jdbc.sql("SELECT count(*) FROM postpaid_months WHERE account_id = :account")
            .param("account", account)
            .query(Long.class)
            .single()).isZero();
    }

    @Test
    void recordsTheThresholdAlertOnceWhenAMonthsTotalReachesIt() {
        UUID account = accounts.create("threshold").id();
        threshold(account, "1.00");

        add(halfGb(account, "2026-11-02T00:00:00Z", "1.20"));
        assertThat(alerts(account)).isZero();
        add(halfGb(account, "2026-11-03T00:00:00Z", "0.80"));
        assertThat(alerts(account)).isEqualTo(1);
        add(halfGb(account, "2026-11-04T00:00:00Z", "1.20"));

        assertThat(alerts(account)).isEqualTo(1);
        assertThat(events(account)).isEqualTo(1);
        assertThat(due(account, "2026-11-01")).isEqualByComparingTo("1.60");
        assertThat(jdbc.sql("SELECT postpaid_due FROM postpaid_threshold_alerts WHERE account_id = :account")
            .param("account", account)
            .query(BigDecimal.class)
            .single()).isEqualByComparingTo("1.00");
    }

    @Test
    void concurrentBatchesAddUpExactlyAndAlertOnce() throws Exception {
        UUID account = accounts.create("concurrent months").id();
        threshold(account, "2.00");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<Void>> batches = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            batches.add(() -> {
                add(halfGb(account, "2026-11-05T00:00:00Z", "0.10"), halfGb(account, "2026-12-05T00:00:00Z", "0.10"),
                        halfGb(account, "2026-11-06T00:00:00Z", "0.50"));
                return null;
            });
        }

        for (Future<Void> batch : pool.invokeAll(batches)) {
            batch.get();
        }
        pool.shutdown();

        assertThat(due(account, "2026-11-01")).isEqualByComparingTo("2.40");
        assertThat(due(account, "2026-12-01")).isEqualByComparingTo("0.40");
        assertThat(alerts(account)).isEqualTo(1);
        assertThat(events(account)).isEqualTo(1);
    }

}
