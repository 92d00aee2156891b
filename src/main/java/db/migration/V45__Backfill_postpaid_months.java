package db.migration;

import io.planbilling.account.PostpaidUnit;
import io.planbilling.shared.Money;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Starts the running postpaid totals of the months already under way (docs/alerts.md)
 * from the charges recorded before alerts existed, so an upgrade in the middle of a month
 * does not forget them: pay-as-you-go traffic by the month of its {@code occurredAt},
 * hourly bandwidth by its hour's start, both in the billing zone (the
 * {@code billing_zone} placeholder). SQL only sums the metered quantities per account,
 * month, unit and price; the amounts are computed by {@link PostpaidUnit}, the one place
 * every postpaid amount is computed, exactly and unrounded, as the running totals keep
 * them.
 */
public class V45__Backfill_postpaid_months extends BaseJavaMigration {

    /**
     * Any currency: only exact amounts are computed here, never rounded to its minor
     * unit.
     */
    private static final Currency ANY = Currency.getInstance("CNY");

    private static final String METERED = """
            SELECT account_id, month, unit, unit_price, sum(raw) AS raw
            FROM (SELECT account_id, CAST(date_trunc('month', occurred_at AT TIME ZONE ?) AS date) AS month,
                         'GB' AS unit, payg_unit_price AS unit_price, payg_bytes AS raw
                  FROM traffic_usage_records
                  WHERE payg_bytes > 0
                  UNION ALL
                  SELECT account_id, CAST(date_trunc('month', hour_start AT TIME ZONE ?) AS date),
                         CASE charge_type WHEN 'PAY_BY_TRAFFIC' THEN 'GB' ELSE 'MBPS_HOUR' END, unit_price, quantity
                  FROM bandwidth_hourly_charges) AS metered
            GROUP BY account_id, month, unit, unit_price
            """;

    private record Month(UUID accountId, LocalDate month) {
    }

    @Override
    public void migrate(Context context) throws SQLException {
        String zone = context.getConfiguration().getPlaceholders().get("billing_zone");
        Connection connection = context.getConnection();
        Map<Month, BigDecimal> due = new LinkedHashMap<>();
        try (PreparedStatement metered = connection.prepareStatement(METERED)) {
            metered.setString(1, zone);
            metered.setString(2, zone);
            try (ResultSet rows = metered.executeQuery()) {
                while (rows.next()) {
                    BigDecimal amount = PostpaidUnit.valueOf(rows.getString("unit"))
                        .exactAmount(rows.getBigDecimal("raw"), Money.of(rows.getBigDecimal("unit_price"), ANY));
                    due.merge(new Month(rows.getObject("account_id", UUID.class),
                            rows.getObject("month", LocalDate.class)), amount, BigDecimal::add);
                }
            }
        }
        try (PreparedStatement insert = connection
            .prepareStatement("INSERT INTO postpaid_months (account_id, month, due) VALUES (?, ?, ?)")) {
            for (Map.Entry<Month, BigDecimal> month : due.entrySet()) {
                insert.setObject(1, month.getKey().accountId());
                insert.setObject(2, month.getKey().month());
                insert.setBigDecimal(3, month.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

}
