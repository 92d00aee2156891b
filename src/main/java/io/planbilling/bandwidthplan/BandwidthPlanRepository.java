package io.planbilling.bandwidthplan;

import io.planbilling.shared.EventOutbox;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Plans and their histories (terms, peaks, associations) in plain SQL. Plans that change
 * are loaded {@code FOR UPDATE}, so every rule that reads a plan and writes it back holds
 * the plan's row lock meanwhile. Writing a plan publishes what its methods registered to
 * the {@link EventOutbox}, in the writing transaction, with the plan's API view as that
 * transaction leaves it (docs/events.md). Plans, terms, peaks and associations are
 * written set-based ({@link BandwidthPlanStatements}), one plan being a list of one.
 */
@Repository
class BandwidthPlanRepository {

    static final String LIVE = "('NOT_ASSOCIATED', 'CHANGING', 'IN_USE')";

    static final String COLUMNS = """
            p.id, p.account_id, p.region, p.payment_type, p.charge_type, p.duration_unit, p.duration_count,
            p.auto_renew, p.peak_mbps, p.status, p.office_network_id, host(p.ip_address) AS ip, p.created_at,
            p.expires_at, p.ended_at, p.billed_until""";

    private final JdbcClient jdbc;

    private final EventOutbox events;

    private final BandwidthPlanViews views;

    private final BandwidthPlanStatements statements;

    BandwidthPlanRepository(JdbcClient jdbc, EventOutbox events, BandwidthPlanViews views) {
        this.jdbc = jdbc;
        this.events = events;
        this.views = views;
        this.statements = new BandwidthPlanStatements(jdbc);
    }

    /**
     * Hands what the plan registered to the outbox without writing the plan (a reminder
     * changes none of its columns); the writing methods call it themselves.
     */
    void publish(BandwidthPlan plan) {
        if (!plan.events().isEmpty()) {
            events.record(plan.events().drain(), plan.accountId(), HourlyCharges.RESOURCE_TYPE, plan.id(),
                    at -> views.view(plan));
        }
    }

    void insert(BandwidthPlan plan) {
        PlanDuration duration = plan.duration();
        jdbc.sql("""
                INSERT INTO bandwidth_plans (id, account_id, region, payment_type, charge_type, duration_unit,
                    duration_count, auto_renew, peak_mbps, status, office_network_id, ip_address, created_at,
                    expires_at, ended_at, billed_until)
                VALUES (:id, :accountId, :region, :paymentType, :chargeType, :durationUnit, :durationCount,
                    :autoRenew, :peak, :status, :network, :ip::inet, :createdAt, :expiresAt, :endedAt, :billedUntil)
                """)
            .param("id", plan.id())
            .param("accountId", plan.accountId())
            .param("region", plan.region().name())
            .param("paymentType", plan.paymentType().name())
            .param("chargeType", plan.chargeType() == null ? null : plan.chargeType().name())
            .param("durationUnit", duration == null ? null : duration.unit().name())
            .param("durationCount", duration == null ? null : duration.count())
            .param("autoRenew", plan.autoRenewEnabled())
            .param("peak", plan.peakMbps())
            .param("status", plan.status().name())
            .param("network", plan.officeNetworkId())
            .param("ip", plan.ipAddress())
            .param("createdAt", ts(plan.createdAt()))
            .param("expiresAt", ts(plan.expiresAt()))
            .param("endedAt", ts(plan.endedAt()))
            .param("billedUntil", ts(plan.billedUntil()))
            .update();
        publish(plan);
    }

    /** Writes back what a plan's methods may change. */
    void update(BandwidthPlan plan) {
        statements.update(List.of(plan));
        publish(plan);
    }

    /**
     * Writes back many plans in one statement, then publishes what each registered, its
     * view naming its network by {@code networkNames} (the names read with the plans).
     */
    void updateAll(List<BandwidthPlan> changed, Map<UUID, String> networkNames) {
        statements.update(changed);
        for (BandwidthPlan plan : changed) {
            if (!plan.events().isEmpty()) {
                UUID network = plan.officeNetworkId();
                String name = network == null ? null : networkNames.get(network);
                events.record(plan.events().drain(), plan.accountId(), HourlyCharges.RESOURCE_TYPE, plan.id(),
                        at -> views.view(plan, name));
            }
        }
    }

    /** The account's plan (not deleted), row-locked for the rest of the transaction. */
    Optional<BandwidthPlan> lock(UUID accountId, UUID id) {
        return jdbc
            .sql("SELECT " + COLUMNS + " FROM bandwidth_plans p WHERE p.id = :id AND p.account_id = :accountId"
                    + " AND p.status <> 'DELETED' FOR UPDATE")
            .param("id", id)
            .param("accountId", accountId)
            .query(BandwidthPlanRepository::plan)
            .optional();
    }

    /** The account's plan (not deleted), without a lock. */
    Optional<BandwidthPlan> findLive(UUID accountId, UUID id) {
        return jdbc
            .sql("SELECT " + COLUMNS + " FROM bandwidth_plans p WHERE p.id = :id AND p.account_id = :accountId"
                    + " AND p.status <> 'DELETED'")
            .param("id", id)
            .param("accountId", accountId)
            .query(BandwidthPlanRepository::plan)
            .optional();
    }

    /** A plan with the name of its network, for reading. */
    record Row(BandwidthPlan plan, @Nullable String networkName) {
    }

    Optional<Row> row(UUID accountId, UUID id) {
        return jdbc
            .sql("SELECT " + COLUMNS + ", n.name AS network_name FROM bandwidth_plans p"
                    + " LEFT JOIN office_networks n ON n.id = p.office_network_id"
                    + " WHERE p.id = :id AND p.account_id = :accountId AND p.status <> 'DELETED'")
            .param("id", id)
            .param("accountId", accountId)
            .query((rs, n) -> new Row(plan(rs, n), rs.getString("network_name")))
            .optional();
    }

    /**
     * The account's plans (never deleted ones), optionally of one status, newest first.
     */
    List<Row> rows(UUID accountId, @Nullable PlanStatus status, long offset, int limit) {
        return jdbc
            .sql("SELECT " + COLUMNS + ", n.name AS network_name FROM bandwidth_plans p"
                    + " LEFT JOIN office_networks n ON n.id = p.office_network_id"
                    + " WHERE p.account_id = :accountId AND p.status <> 'DELETED'"
                    + " AND (CAST(:status AS varchar) IS NULL OR p.status = :status)"
                    + " ORDER BY p.created_at DESC, p.id DESC LIMIT :limit OFFSET :offset")
            .param("accountId", accountId)
            .param("status", status == null ? null : status.name())
            .param("limit", limit)
            .param("offset", offset)
            .query((rs, n) -> new Row(plan(rs, n), rs.getString("network_name")))
            .list();
    }

    long count(UUID accountId, @Nullable PlanStatus status) {
        return jdbc
            .sql("SELECT count(*) FROM bandwidth_plans p WHERE p.account_id = :accountId"
                    + " AND p.status <> 'DELETED' AND (CAST(:status AS varchar) IS NULL OR p.status = :status)")
            .param("accountId", accountId)
            .param("status", status == null ? null : status.name())
            .query(Long.class)
            .single();
    }

    /** Any plan by id, row-locked, for background work that already selected it. */
    Optional<BandwidthPlan> lock(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM bandwidth_plans p WHERE p.id = :id FOR UPDATE")
            .param("id", id)
            .query(BandwidthPlanRepository::plan)
            .optional();
    }

    /** The plan associated with a network (in any state of association), if any. */
    Optional<UUID> planOfNetwork(UUID networkId) {
        return jdbc.sql("SELECT id FROM bandwidth_plans WHERE office_network_id = :network")
            .param("network", networkId)
            .query(UUID.class)
            .optional();
    }

    void insertTerm(UUID planId, Proration.Term term) {
        insertTerms(List.of(new BandwidthPlanStatements.PlanTerm(planId, term)));
    }

    void insertTerms(List<BandwidthPlanStatements.PlanTerm> terms) {
        statements.insertTerms(terms);
    }

    List<Proration.Term> terms(UUID planId) {
        return jdbc
            .sql("SELECT starts_at, ends_at, price_per_mbps FROM bandwidth_plan_terms WHERE plan_id = :plan"
                    + " ORDER BY starts_at")
            .param("plan", planId)
            .query((rs, row) -> new Proration.Term(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant(),
                    rs.getBigDecimal(3)))
            .list();
    }

    /**
     * Closes the peak in force (if any) at {@code at} and opens {@code mbps} from then
     * on.
     */
    void startPeak(UUID planId, int mbps, Instant at) {
        endPeak(planId, at);
        jdbc.sql("""
                INSERT INTO bandwidth_plan_peaks (plan_id, effective_from, peak_mbps) VALUES (:plan, :at, :mbps)
                ON CONFLICT (plan_id, effective_from) DO UPDATE SET peak_mbps = excluded.peak_mbps, effective_to = NULL
                """).param("plan", planId).param("at", ts(at)).param("mbps", mbps).update();
    }

    void endPeak(UUID planId, Instant at) {
        endPeaks(List.of(new BandwidthPlanStatements.PlanAt(planId, at)));
    }

    /** Closes each plan's peak in force at its instant. */
    void endPeaks(List<BandwidthPlanStatements.PlanAt> ends) {
        statements.endPeaks(ends);
    }

    /**
     * The highest peak in force at any moment of {@code [from, to)}; empty when none was.
     */
    Optional<Integer> highestPeak(UUID planId, Instant from, Instant to) {
        return jdbc.sql("""
                SELECT max(peak_mbps) FROM bandwidth_plan_peaks
                WHERE plan_id = :plan AND effective_from < :to AND (effective_to IS NULL OR effective_to > :from)
                  AND (effective_to IS NULL OR effective_to > effective_from)
                """)
            .param("plan", planId)
            .param("from", ts(from))
            .param("to", ts(to))
            .query((rs, row) -> Optional.ofNullable((Integer) rs.getObject(1)))
            .single();
    }

    void startAssociation(UUID planId, UUID networkId, Instant at) {
        jdbc.sql("INSERT INTO bandwidth_plan_associations (plan_id, office_network_id, associated_from)"
                + " VALUES (:plan, :network, :at) ON CONFLICT DO NOTHING")
            .param("plan", planId)
            .param("network", networkId)
            .param("at", ts(at))
            .update();
    }

    void endAssociation(UUID planId, Instant at) {
        endAssociations(List.of(new BandwidthPlanStatements.PlanAt(planId, at)));
    }

    /** Closes each plan's open association at its instant. */
    void endAssociations(List<BandwidthPlanStatements.PlanAt> ends) {
        statements.endAssociations(ends);
    }

    static @Nullable Timestamp ts(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    static BandwidthPlan plan(ResultSet rs, int row) throws SQLException {
        String chargeType = rs.getString("charge_type");
        String durationUnit = rs.getString("duration_unit");
        return new BandwidthPlan(rs.getObject("id", UUID.class), rs.getObject("account_id", UUID.class),
                new BandwidthRegion(rs.getString("region")), PaymentType.valueOf(rs.getString("payment_type")),
                chargeType == null ? null : ChargeType.valueOf(chargeType),
                durationUnit == null ? null
                        : new PlanDuration(PlanDuration.Unit.valueOf(durationUnit), rs.getInt("duration_count")),
                rs.getBoolean("auto_renew"), rs.getInt("peak_mbps"), PlanStatus.valueOf(rs.getString("status")),
                rs.getObject("office_network_id", UUID.class), rs.getString("ip"),
                rs.getTimestamp("created_at").toInstant(), instant(rs, "expires_at"), instant(rs, "ended_at"),
                instant(rs, "billed_until"));
    }

}
