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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * (plan, hour start), inserted with {@code ON CONFLICT DO NOTHING}, the hours of any
 * number of plans in one statement: an hour is never billed twice, whether billing runs
 * twice, concurrently or again after a crash. The charges are postpaid bill lines; they
 * never touch the balance.
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
     * A plan to bill: its completed hours that end by {@code upTo}; with
     * {@code finalBill} also the started hour up to {@code upTo} (a deleted plan's last,
     * partial hour, billed as an hour).
     */
    record Due(BandwidthPlan plan, Instant upTo, boolean finalBill) {
    }

    /**
     * Bills one plan ({@link #billAll} of one). The caller holds the plan's lock.
     * @return the number of hours billed
     */
    int bill(BandwidthPlan plan, Instant upTo, boolean finalBill) {
        return (int) billAll(List.of(new Due(plan, upTo, finalBill)));
    }

    /**
     * Bills the hours of every plan in one statement, whatever their number, and moves
     * each plan's {@code billedUntil} on (the caller writes the plans and holds their
     * locks). Each hour the statement billed records a {@code charge.accrued} event with
     * the hour's exact quantity in the bill's unit, and the bill months' running totals
     * move with the hours, in the same transaction (docs/alerts.md).
     * @return the number of hours billed
     */
    long billAll(List<Due> due) {
        Hours hours = new Hours();
        Map<UUID, BandwidthPlan> byId = new HashMap<>();
        long billed = 0;
        for (Due d : due) {
            BandwidthPlan plan = d.plan();
            Instant from = plan.billedUntil();
            if (from == null || plan.chargeType() == null) {
                throw new IllegalStateException("Plan " + plan.id() + " is not billed hourly");
            }
            if (!d.upTo().isAfter(from)) {
                continue;
            }
            long complete = Duration.between(from, d.upTo()).toSeconds() / HOUR.toSeconds();
            boolean partial = d.finalBill() && from.plus(HOUR.multipliedBy(complete)).isBefore(d.upTo());
            long count = complete + (partial ? 1 : 0);
            if (count == 0) {
                continue;
            }
            hours.add(plan, from, count, d.upTo(), prices.unitPrice(Objects.requireNonNull(plan.chargeType())));
            byId.put(plan.id(), plan);
            plan.billedUntil(partial ? d.upTo() : from.plus(HOUR.multipliedBy(complete)));
            billed += count;
        }
        if (billed == 0) {
            return 0;
        }
        List<PostpaidMonths.Accrual> accruals = new ArrayList<>();
        insert(hours).forEach(hour -> {
            BandwidthPlan plan = Objects.requireNonNull(byId.get(hour.planId()));
            events.record(EventType.CHARGE_ACCRUED, plan.accountId(), RESOURCE_TYPE, plan.id(),
                    charge(plan, hour.start(), hour.quantity(), hour.unitPrice()));
            accruals.add(new PostpaidMonths.Accrual(plan.accountId(), hour.start(),
                    unit(Objects.requireNonNull(plan.chargeType())), hour.quantity(), hour.unitPrice()));
        });
        postpaidMonths.add(accruals);
        return billed;
    }

    /**
     * Inserts {@code hours} hours of each plan from its {@code from}, no hour extending
     * past its {@code upTo}, at the highest peak in force in the hour (pay-by-bandwidth)
     * or the inbound bytes of its associated minutes (pay-by-traffic); answers the hours
     * it billed (an hour already billed is left as it is).
     */
    private List<Billed> insert(Hours hours) {
        return jdbc
            .sql("""
                    INSERT INTO bandwidth_hourly_charges (plan_id, hour_start, account_id, charge_type, quantity, unit_price)
                    SELECT u.plan_id, h.hour_start, u.account_id, u.charge_type, q.quantity, u.price
                    FROM unnest(CAST(:plans AS uuid[]), CAST(:accounts AS uuid[]), CAST(:chargeTypes AS varchar[]),
                                CAST(:prices AS numeric[]), CAST(:froms AS timestamptz[]), CAST(:hours AS bigint[]),
                                CAST(:upTos AS timestamptz[]))
                         AS u(plan_id, account_id, charge_type, price, from_at, hours, up_to)
                    CROSS JOIN LATERAL generate_series(0, u.hours - 1) AS g
                    CROSS JOIN LATERAL (SELECT u.from_at + g * interval '1 hour' AS hour_start,
                                               least(u.from_at + (g + 1) * interval '1 hour', u.up_to) AS hour_end) AS h
                    CROSS JOIN LATERAL (SELECT CASE u.charge_type
                        WHEN 'PAY_BY_BANDWIDTH' THEN
                            (SELECT max(k.peak_mbps) FROM bandwidth_plan_peaks k
                             WHERE k.plan_id = u.plan_id AND k.effective_from < h.hour_end
                               AND (k.effective_to IS NULL
                                    OR (k.effective_to > h.hour_start AND k.effective_to > k.effective_from)))
                        ELSE
                            (SELECT coalesce(sum(s.inbound_bytes), 0)
                             FROM bandwidth_plan_associations a
                             JOIN bandwidth_samples s ON s.office_network_id = a.office_network_id
                             WHERE a.plan_id = u.plan_id AND s.minute >= h.hour_start AND s.minute < h.hour_end
                               AND s.minute >= date_trunc('minute', a.associated_from)
                               AND (a.associated_to IS NULL OR s.minute < a.associated_to))
                        END AS quantity) AS q
                    WHERE q.quantity IS NOT NULL
                    ON CONFLICT (plan_id, hour_start) DO NOTHING
                    RETURNING plan_id, hour_start, quantity, unit_price
                    """)
            .param("plans", hours.plans.toArray(String[]::new))
            .param("accounts", hours.accounts.toArray(String[]::new))
            .param("chargeTypes", hours.chargeTypes.toArray(String[]::new))
            .param("prices", hours.prices.toArray(String[]::new))
            .param("froms", hours.froms.toArray(String[]::new))
            .param("hours", hours.counts.stream().mapToLong(Long::longValue).toArray())
            .param("upTos", hours.upTos.toArray(String[]::new))
            .query((rs, row) -> new Billed(rs.getObject("plan_id", UUID.class),
                    rs.getTimestamp("hour_start").toInstant(), rs.getBigDecimal("quantity"),
                    Money.of(rs.getBigDecimal("unit_price"), settings.currency())))
            .list();
    }

    /** The plans' hours to bill, as the insert's arrays (PostgreSQL literals). */
    private static final class Hours {

        final List<String> plans = new ArrayList<>();

        final List<String> accounts = new ArrayList<>();

        final List<String> chargeTypes = new ArrayList<>();

        final List<String> prices = new ArrayList<>();

        final List<String> froms = new ArrayList<>();

        final List<Long> counts = new ArrayList<>();

        final List<String> upTos = new ArrayList<>();

        void add(BandwidthPlan plan, Instant from, long count, Instant upTo, BigDecimal unitPrice) {
            plans.add(plan.id().toString());
            accounts.add(plan.accountId().toString());
            chargeTypes.add(Objects.requireNonNull(plan.chargeType()).name());
            prices.add(unitPrice.toPlainString());
            froms.add(from.toString());
            counts.add(count);
            upTos.add(upTo.toString());
        }

    }

    /** One hour the statement billed, in its raw unit (Mbps-hours or bytes). */
    private record Billed(UUID planId, Instant start, BigDecimal quantity, Money unitPrice) {
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
