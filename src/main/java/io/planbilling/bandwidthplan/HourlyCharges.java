package io.planbilling.bandwidthplan;

import io.planbilling.account.AccruedCharge;
import io.planbilling.account.PostpaidChargeSource;
import io.planbilling.account.PostpaidLine;
import io.planbilling.account.PostpaidMonths;
import io.planbilling.account.PostpaidUnit;
import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.EventOutbox;
import io.planbilling.shared.EventType;
import io.planbilling.shared.Money;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Hourly pay-as-you-go charges. A plan's hours are counted from its purchase: hour k is
 * {@code [createdAt + k h, createdAt + (k+1) h)}. Pay-by-bandwidth bills each hour at the
 * highest peak in force in it; pay-by-traffic bills the inbound bytes of the minutes (by
 * their start) that the plan carried its network's traffic. Each hour is one row keyed by
 * (plan, hour start), inserted with {@code ON CONFLICT DO NOTHING}: an hour is never
 * billed twice, whether billing runs twice, concurrently or again after a crash. The
 * charges are postpaid bill lines; they never touch the balance.
 */
@Component
class HourlyCharges implements PostpaidChargeSource {

    static final String RESOURCE_TYPE = "BANDWIDTH_PLAN";

    private static final Duration HOUR = Duration.ofHours(1);
    static final String BANDWIDTH_HOURS = "BANDWIDTH_HOURS";
    static final String INBOUND_TRAFFIC = "INBOUND_TRAFFIC";

    private final JdbcClient jdbc;

    private final BandwidthPlanRepository plans;

    private final BandwidthPrices prices;

    private final BillingSettings settings;

    private final EventOutbox events;

    private final PostpaidMonths postpaidMonths;

    HourlyCharges(JdbcClient jdbc, BandwidthPlanRepository plans, BandwidthPrices prices, BillingSettings settings,
            EventOutbox events, PostpaidMonths postpaidMonths) {
        this.jdbc = jdbc;
        this.prices = prices;
        this.plans = plans;
        this.settings = settings;
        this.events = events;
        this.postpaidMonths = postpaidMonths;
    }

    /**
     * Bills the plan's completed hours that end by {@code upTo}; with {@code finalBill}
     * also the started hour up to {@code upTo} (a deleted plan's last, partial hour,
     * billed as an hour). The caller holds the plan's lock.
     * @return the number of hours billed
     */
    int bill(BandwidthPlan plan, Instant upTo, boolean finalBill) {
        Instant from = plan.billedUntil();
        if (from == null || plan.chargeType() == null) {
            throw new IllegalStateException("Plan " + plan.id() + " is not billed hourly");
        }
        if (!upTo.isAfter(from)) {
            return 0;
        }
        long seconds = Duration.between(from, upTo).toSeconds();
        long complete = seconds / HOUR.toSeconds();
        boolean partial = finalBill && from.plus(HOUR.multipliedBy(complete)).isBefore(upTo);
        long hours = complete + (partial ? 1 : 0);
        if (hours == 0) {
            return 0;
        }
        billHours(plan, from, hours, upTo);
        plan.billedUntil(partial ? upTo : from.plus(HOUR.multipliedBy(complete)));
        return (int) hours;
    }

    /**
     * Bills {@code hours} hours from {@code from} in one statement; no hour extends past
     * {@code upTo}. Each hour it billed records a {@code charge.accrued} event with the
     * hour's exact quantity in the bill's unit.
     */
    private void billHours(BandwidthPlan plan, Instant from, long hours, Instant upTo) {
        List<PostpaidMonths.Accrual> accruals = new ArrayList<>();
        String quantity = plan.chargeType() == ChargeType.PAY_BY_BANDWIDTH ? """
                (SELECT max(peak_mbps) FROM bandwidth_plan_peaks
                 WHERE plan_id = :plan AND effective_from < h.hour_end
                   AND (effective_to IS NULL OR (effective_to > h.hour_start AND effective_to > effective_from)))"""
                : """
                        (SELECT coalesce(sum(s.inbound_bytes), 0)
                         FROM bandwidth_plan_associations a
                         JOIN bandwidth_samples s ON s.office_network_id = a.office_network_id
                         WHERE a.plan_id = :plan AND s.minute >= h.hour_start AND s.minute < h.hour_end
                           AND s.minute >= date_trunc('minute', a.associated_from)
                           AND (a.associated_to IS NULL OR s.minute < a.associated_to))""";
        jdbc.sql(
                """
                        INSERT INTO bandwidth_hourly_charges (plan_id, hour_start, account_id, charge_type, quantity, unit_price)
                        SELECT :plan, h.hour_start, :account, :chargeType, q.quantity, :price
                        FROM generate_series(0, :hours - 1) AS g
                        CROSS JOIN LATERAL (SELECT CAST(:from AS timestamptz) + g * interval '1 hour' AS hour_start,
                                                   least(CAST(:from AS timestamptz) + (g + 1) * interval '1 hour',
                                                         CAST(:upTo AS timestamptz)) AS hour_end) AS h
                        CROSS JOIN LATERAL (SELECT %s AS quantity) AS q
                        WHERE q.quantity IS NOT NULL
                        ON CONFLICT (plan_id, hour_start) DO NOTHING
                        RETURNING hour_start, quantity, unit_price
                        """
                    .formatted(quantity))
            .param("plan", plan.id())
            .param("account", plan.accountId())
            .param("chargeType", Objects.requireNonNull(plan.chargeType()).name())
            .param("price", prices.unitPrice(Objects.requireNonNull(plan.chargeType())))
            .param("hours", hours)
            .param("from", Timestamp.from(from))
            .param("upTo", Timestamp.from(upTo))
            .query((rs, row) -> new Billed(rs.getTimestamp("hour_start").toInstant(), rs.getBigDecimal("quantity"),
                    Money.of(rs.getBigDecimal("unit_price"), settings.currency())))
            .list()
            .forEach(hour -> {
                events.record(EventType.CHARGE_ACCRUED, plan.accountId(), RESOURCE_TYPE, plan.id(),
                        charge(plan, hour.start(), hour.quantity(), hour.unitPrice()));
                accruals.add(new PostpaidMonths.Accrual(plan.accountId(), hour.start(),
                        unit(Objects.requireNonNull(plan.chargeType())), hour.quantity(), hour.unitPrice()));
            });
        // the bill months' running totals, with the hours in the same transaction
        // (docs/alerts.md)
        postpaidMonths.add(accruals);
    }

    /** One hour the statement billed, in its raw unit (Mbps-hours or bytes). */
    private record Billed(Instant start, BigDecimal quantity, Money unitPrice) {
    }

    private AccruedCharge charge(BandwidthPlan plan, Instant hourStart, BigDecimal quantity, Money unitPrice) {
        ChargeType chargeType = Objects.requireNonNull(plan.chargeType());
        return AccruedCharge.of(kind(chargeType), RESOURCE_TYPE, plan.id(), unit(chargeType), quantity, unitPrice,
                hourStart, null);
    }

    @Override
    @Transactional(readOnly = true)
    public List<PostpaidLine> postpaidLines(UUID accountId, Instant from, Instant to) {
        return jdbc.sql("""
                SELECT c.plan_id, c.charge_type, c.unit_price, sum(c.quantity) AS quantity, count(*) AS hours,
                       host(p.ip_address) AS ip, p.region
                FROM bandwidth_hourly_charges c JOIN bandwidth_plans p ON p.id = c.plan_id
                WHERE c.account_id = :account AND c.hour_start >= :from AND c.hour_start < :to
                GROUP BY c.plan_id, c.charge_type, c.unit_price, p.ip_address, p.region
                HAVING sum(c.quantity) > 0
                ORDER BY c.plan_id, c.charge_type, c.unit_price
                """)
            .param("account", accountId)
            .param("from", Timestamp.from(from))
            .param("to", Timestamp.from(to))
            .query((rs, row) -> line(rs.getObject("plan_id", UUID.class), rs.getString("charge_type"),
                    rs.getBigDecimal("unit_price"), rs.getBigDecimal("quantity"), rs.getLong("hours"),
                    rs.getString("ip"), rs.getString("region")))
            .list();
    }

    private PostpaidLine line(UUID planId, String chargeType, BigDecimal unitPrice, BigDecimal quantity, long hours,
            String ip, String region) {
        Money price = Money.of(unitPrice, settings.currency());
        if (ChargeType.valueOf(chargeType) == ChargeType.PAY_BY_BANDWIDTH) {
            return new PostpaidLine(BANDWIDTH_HOURS, RESOURCE_TYPE, planId, region,
                    "Pay-by-bandwidth plan " + ip + ": " + hours + " h at the peak in force",
                    PostpaidUnit.MBPS_HOUR.quantity(quantity), PostpaidUnit.MBPS_HOUR.name(), price,
                    PostpaidUnit.MBPS_HOUR.amount(quantity, price));
        }
        return new PostpaidLine(INBOUND_TRAFFIC, RESOURCE_TYPE, planId, region,
                "Pay-by-traffic plan " + ip + ": inbound traffic, " + quantity.toPlainString() + " bytes",
                PostpaidUnit.GB.quantity(quantity), PostpaidUnit.GB.name(), price,
                PostpaidUnit.GB.amount(quantity, price));
    }

    /** The bill's unit of a charge type's quantities. */
    static PostpaidUnit unit(ChargeType chargeType) {
        return chargeType == ChargeType.PAY_BY_BANDWIDTH ? PostpaidUnit.MBPS_HOUR : PostpaidUnit.GB;
    }

    /** The bill's kind of a charge type's lines. */
    static String kind(ChargeType chargeType) {
        return chargeType == ChargeType.PAY_BY_BANDWIDTH ? BANDWIDTH_HOURS : INBOUND_TRAFFIC;
    }

}
