package io.planbilling.trafficpackage;

import io.planbilling.account.PostpaidChargeSource;
import io.planbilling.account.PostpaidLine;
import io.planbilling.account.PostpaidUnit;
import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.Money;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Pay-as-you-go device traffic on the monthly bill (docs/traffic-packages.md,
 * pay-as-you-go traffic on the bill): per device, region and unit price, the GB (1024³
 * bytes, exact) that no package covered, priced at the region's rate in force when the
 * traffic was ingested. Two regions never share a line, even at the same price.
 */
@Component
class TrafficPostpaidCharges implements PostpaidChargeSource {

    static final String KIND = "PAYG_TRAFFIC";
    static final String RESOURCE_TYPE = "TRAFFIC_DEVICE";

    private final JdbcClient jdbc;

    private final BillingSettings settings;

    TrafficPostpaidCharges(JdbcClient jdbc, BillingSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    @Override
    public List<PostpaidLine> postpaidLines(UUID accountId, Instant from, Instant to) {
        return jdbc.sql("""
                SELECT r.device_id, d.name, r.region, r.payg_unit_price, sum(r.payg_bytes) AS bytes
                FROM traffic_usage_records r JOIN traffic_devices d ON d.id = r.device_id
                WHERE r.account_id = :accountId AND r.occurred_at >= :from AND r.occurred_at < :to AND r.payg_bytes > 0
                GROUP BY r.device_id, d.name, r.region, r.payg_unit_price
                ORDER BY r.device_id, r.region, r.payg_unit_price
                """)
            .param("accountId", accountId)
            .param("from", Timestamp.from(from))
            .param("to", Timestamp.from(to))
            .query((rs, row) -> {
                BigDecimal bytes = rs.getBigDecimal("bytes");
                Money unitPrice = Money.of(rs.getBigDecimal("payg_unit_price"), settings.currency());
                BigDecimal quantity = PostpaidUnit.GB.quantity(bytes);
                Money amount = PostpaidUnit.GB.amount(bytes, unitPrice);
                String region = rs.getString("region");
                return new PostpaidLine(KIND, RESOURCE_TYPE, rs.getObject("device_id", UUID.class), region,
                        "Pay-as-you-go traffic of device " + rs.getString("name") + " in " + region, quantity,
                        PostpaidUnit.GB.name(), unitPrice, amount);
            })
            .list();
    }

}
