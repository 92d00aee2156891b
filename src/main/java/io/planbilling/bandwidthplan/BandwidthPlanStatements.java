package io.planbilling.bandwidthplan;

import io.planbilling.shared.SqlArrays;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The set-based writes of {@link BandwidthPlanRepository}: any number of plans (or terms,
 * peaks, associations) in one statement each, their columns passed as arrays and joined
 * with {@code unnest}. Writing one plan is writing a list of one, so a request and a
 * lifecycle chunk of a thousand renewals run the same SQL (docs/operations.md, renewal
 * storms).
 */
final class BandwidthPlanStatements {

    /** A term paid for a plan. */
    record PlanTerm(UUID planId, Proration.Term term) {
    }

    /** A plan and an instant: when its peak or association ends. */
    record PlanAt(UUID planId, Instant at) {
    }

    private final JdbcClient jdbc;

    BandwidthPlanStatements(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Writes back what a plan's methods may change, of every plan. */
    void update(Collection<BandwidthPlan> plans) {
        if (plans.isEmpty()) {
            return;
        }
        jdbc.sql("""
                UPDATE bandwidth_plans p SET peak_mbps = u.peak, status = u.status, office_network_id = u.network,
                    expires_at = u.expires_at, ended_at = u.ended_at, billed_until = u.billed_until
                FROM unnest(CAST(:ids AS uuid[]), CAST(:peaks AS int[]), CAST(:statuses AS varchar[]),
                            CAST(:networks AS uuid[]), CAST(:expiresAt AS timestamptz[]),
                            CAST(:endedAt AS timestamptz[]), CAST(:billedUntil AS timestamptz[]))
                     AS u(id, peak, status, network, expires_at, ended_at, billed_until)
                WHERE p.id = u.id
                """)
            .param("ids", SqlArrays.uuids(plans.stream().map(BandwidthPlan::id).toList()))
            .param("peaks", plans.stream().mapToInt(BandwidthPlan::peakMbps).toArray())
            .param("statuses", plans.stream().map(plan -> plan.status().name()).toArray(String[]::new))
            .param("networks", plans.stream().map(plan -> text(plan.officeNetworkId())).toArray(String[]::new))
            .param("expiresAt", plans.stream().map(plan -> text(plan.expiresAt())).toArray(String[]::new))
            .param("endedAt", plans.stream().map(plan -> text(plan.endedAt())).toArray(String[]::new))
            .param("billedUntil", plans.stream().map(plan -> text(plan.billedUntil())).toArray(String[]::new))
            .update();
    }

    void insertTerms(List<PlanTerm> terms) {
        if (terms.isEmpty()) {
            return;
        }
        jdbc.sql("""
                INSERT INTO bandwidth_plan_terms (plan_id, starts_at, ends_at, price_per_mbps)
                SELECT t.plan_id, t.starts_at, t.ends_at, t.price
                FROM unnest(CAST(:plans AS uuid[]), CAST(:startsAt AS timestamptz[]), CAST(:endsAt AS timestamptz[]),
                            CAST(:prices AS numeric[])) AS t(plan_id, starts_at, ends_at, price)
                """)
            .param("plans", SqlArrays.uuids(terms.stream().map(PlanTerm::planId).toList()))
            .param("startsAt", terms.stream().map(t -> t.term().startsAt().toString()).toArray(String[]::new))
            .param("endsAt", terms.stream().map(t -> t.term().endsAt().toString()).toArray(String[]::new))
            .param("prices", terms.stream().map(t -> t.term().pricePerMbps().toPlainString()).toArray(String[]::new))
            .update();
    }

    /** Closes each plan's peak in force (if any) at its instant. */
    void endPeaks(List<PlanAt> ends) {
        if (ends.isEmpty()) {
            return;
        }
        jdbc.sql("""
                UPDATE bandwidth_plan_peaks k SET effective_to = e.at
                FROM unnest(CAST(:plans AS uuid[]), CAST(:at AS timestamptz[])) AS e(plan_id, at)
                WHERE k.plan_id = e.plan_id AND k.effective_to IS NULL
                """)
            .param("plans", SqlArrays.uuids(ends.stream().map(PlanAt::planId).toList()))
            .param("at", ends.stream().map(e -> e.at().toString()).toArray(String[]::new))
            .update();
    }

    /** Closes each plan's open association (if any) at its instant. */
    void endAssociations(List<PlanAt> ends) {
        if (ends.isEmpty()) {
            return;
        }
        jdbc.sql("""
                UPDATE bandwidth_plan_associations a SET associated_to = e.at
                FROM unnest(CAST(:plans AS uuid[]), CAST(:at AS timestamptz[])) AS e(plan_id, at)
                WHERE a.plan_id = e.plan_id AND a.associated_to IS NULL
                """)
            .param("plans", SqlArrays.uuids(ends.stream().map(PlanAt::planId).toList()))
            .param("at", ends.stream().map(e -> e.at().toString()).toArray(String[]::new))
            .update();
    }

    private static @Nullable String text(@Nullable Object value) {
        return value == null ? null : value.toString();
    }

}
