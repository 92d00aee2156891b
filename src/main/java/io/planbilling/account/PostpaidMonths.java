package io.planbilling.account;

import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.EventOutbox;
import io.planbilling.shared.EventType;
import io.planbilling.shared.Money;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The running total of each account's postpaid charges per bill month, and the alert when
 * a month's total reaches the account's {@code postpaidMonthlyThreshold}
 * (docs/alerts.md). The plan modules hand it the charges they record, in the same
 * transaction; one statement adds them to their months' totals and, for the months whose
 * total the charges made reach the threshold, claims the month's alert by its key
 * (account, month): once per account and month.
 *
 * <p>
 * The total is exact (each charge's quantity × unit price, not rounded) and counts a
 * charge in the bill month of its {@code occurredAt} or hour in the billing zone, as the
 * bill does. The alert's {@code postpaidDue} is that total rounded once; the bill rounds
 * each of its lines once, so the two can differ by up to half a cent per line.
 */
@Component
public class PostpaidMonths {

    private final JdbcClient jdbc;

    private final BillingSettings settings;

    private final EventOutbox events;

    private final Clock clock;

    PostpaidMonths(JdbcClient jdbc, BillingSettings settings, EventOutbox events, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.events = events;
        this.clock = clock;
    }

    /**
     * A postpaid charge as it is recorded.
     *
     * @param at when it occurred: a usage record's {@code occurredAt}, a billed hour's
     * start
     * @param raw the metered quantity in the unit's raw unit (bytes, Mbps-hours)
     */
    public record Accrual(UUID accountId, Instant at, PostpaidUnit unit, BigDecimal raw, Money unitPrice) {
    }

    /** The data of {@code account.postpaid_threshold_reached}. */
    public record ThresholdReached(@Schema(example = "2026-11") String month, Money postpaidDue, Money threshold) {
    }

    private record Key(UUID accountId, LocalDate month) implements Comparable<Key> {

        @Override
        public int compareTo(Key other) {
            int byAccount = accountId.compareTo(other.accountId);
            return byAccount != 0 ? byAccount : month.compareTo(other.month);
        }
    }

    /**
     * Adds charges to their months' totals, in one statement, rows in (account, month)
     * order so that concurrent batches lock the total rows in the same order; records
     * {@code account.postpaid_threshold_reached} for each month whose total these charges
     * made reach its account's threshold.
     */
    public void add(Collection<Accrual> accruals) {
        Map<Key, BigDecimal> added = new TreeMap<>();
        for (Accrual accrual : accruals) {
            BigDecimal amount = accrual.unit().exactAmount(accrual.raw(), accrual.unitPrice());
            if (amount.signum() > 0) {
                added.merge(new Key(accrual.accountId(), month(accrual.at())), amount, BigDecimal::add);
            }
        }
        if (added.isEmpty()) {
            return;
        }
        List<String> accounts = new ArrayList<>();
        List<String> months = new ArrayList<>();
        List<String> amounts = new ArrayList<>();
        added.forEach((key, amount) -> {
            accounts.add(key.accountId().toString());
            months.add(key.month().toString());
            amounts.add(amount.toPlainString());
        });
        jdbc.sql(
                """
                        WITH added AS (
                            SELECT * FROM unnest(CAST(:accounts AS uuid[]), CAST(:months AS date[]), CAST(:amounts AS numeric[]))
                                AS a(account_id, month, amount)),
                        totals AS (
                            INSERT INTO postpaid_months AS t (account_id, month, due)
                            SELECT account_id, month, amount FROM added ORDER BY account_id, month
                            ON CONFLICT (account_id, month) DO UPDATE SET due = t.due + excluded.due
                            RETURNING t.account_id, t.month, t.due)
                        INSERT INTO postpaid_threshold_alerts (account_id, month, threshold, postpaid_due, reached_at)
                        SELECT totals.account_id, totals.month, s.postpaid_monthly_threshold, totals.due, :now
                        FROM totals
                        JOIN added ON added.account_id = totals.account_id AND added.month = totals.month
                        JOIN alert_settings_in_force s ON s.account_id = totals.account_id
                        WHERE totals.due >= s.postpaid_monthly_threshold
                          AND totals.due - added.amount < s.postpaid_monthly_threshold
                        ON CONFLICT (account_id, month) DO NOTHING
                        RETURNING account_id, month, threshold, postpaid_due
                        """)
            .param("accounts", accounts.toArray(String[]::new))
            .param("months", months.toArray(String[]::new))
            .param("amounts", amounts.toArray(String[]::new))
            .param("now", Timestamp.from(clock.instant()))
            .query((rs, row) -> {
                UUID account = rs.getObject("account_id", UUID.class);
                YearMonth month = YearMonth.from(rs.getDate("month").toLocalDate());
                events.record(EventType.ACCOUNT_POSTPAID_THRESHOLD_REACHED, account, Ledger.ACCOUNT_RESOURCE_TYPE,
                        account,
                        new ThresholdReached(month.toString(),
                                Money.of(rs.getBigDecimal("postpaid_due"), settings.currency(), Money.Rounding.CHARGE),
                                Money.of(rs.getBigDecimal("threshold"), settings.currency())));
                return account;
            })
            .list();
    }

    /** The first day of the bill month of {@code at} in the billing zone. */
    private LocalDate month(Instant at) {
        return YearMonth.from(at.atZone(settings.zone())).atDay(1);
    }

}
