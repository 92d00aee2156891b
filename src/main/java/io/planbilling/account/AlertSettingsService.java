package io.planbilling.account;

import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.Money;
import io.planbilling.shared.ProblemException;
import io.planbilling.shared.SqlArrays;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads and replaces an account's alert settings (docs/alerts.md). The settings in force,
 * defaults included, are the database view {@code alert_settings_in_force}, which the
 * statements that send alerts join too. A change applies to what happens from then on and
 * is silent: it sends no alert, never re-sends one already sent, and leaves the balance's
 * OK/LOW state (what the account was last told) to be judged against the new low-balance
 * threshold at the next balance change — so {@code account.balance_low} and
 * {@code account.balance_recovered} keep alternating.
 */
@Service
class AlertSettingsService {

    private final JdbcClient jdbc;

    private final BillingSettings settings;

    private final Clock clock;

    AlertSettingsService(JdbcClient jdbc, BillingSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public AlertSettings get(UUID accountId) {
        return jdbc.sql("""
                SELECT traffic_usage_thresholds, expiry_reminder_days, low_balance_threshold, postpaid_monthly_threshold
                FROM alert_settings_in_force WHERE account_id = :account
                """)
            .param("account", accountId)
            .query((rs, row) -> new AlertSettings(SqlArrays.integers(rs.getArray("traffic_usage_thresholds")),
                    SqlArrays.integers(rs.getArray("expiry_reminder_days")),
                    money(rs.getBigDecimal("low_balance_threshold")),
                    money(rs.getBigDecimal("postpaid_monthly_threshold"))))
            .optional()
            .orElseThrow(() -> ProblemException.notFound("Account", accountId));
    }

    @Transactional
    public AlertSettings replace(UUID accountId, AlertSettingsCommand command) {
        BigDecimal low = amount(command.lowBalanceThreshold());
        int updated = jdbc.sql("UPDATE accounts SET low_balance_threshold = :low WHERE id = :account")
            .param("account", accountId)
            .param("low", low)
            .update();
        if (updated == 0) {
            throw ProblemException.notFound("Account", accountId);
        }
        jdbc.sql("""
                INSERT INTO alert_settings (account_id, traffic_usage_thresholds, expiry_reminder_days,
                                            postpaid_monthly_threshold, updated_at)
                VALUES (:account, CAST(:thresholds AS smallint[]), CAST(:days AS smallint[]), :postpaid, :now)
                ON CONFLICT (account_id) DO UPDATE SET traffic_usage_thresholds = excluded.traffic_usage_thresholds,
                    expiry_reminder_days = excluded.expiry_reminder_days,
                    postpaid_monthly_threshold = excluded.postpaid_monthly_threshold, updated_at = excluded.updated_at
                """)
            .param("account", accountId)
            .param("thresholds", ints(command.trafficUsageThresholds()))
            .param("days", ints(command.expiryReminderDays()))
            .param("postpaid", amount(command.postpaidMonthlyThreshold()))
            .param("now", Timestamp.from(clock.instant()))
            .update();
        return get(accountId);
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static @Nullable BigDecimal amount(@Nullable Money money) {
        return money == null ? null : money.amount();
    }

    private @Nullable Money money(@Nullable BigDecimal amount) {
        return amount == null ? null : Money.of(amount, settings.currency());
    }

}
