package io.planbilling.bandwidthplan;

import io.planbilling.shared.SkipLockedChunks;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The background work of the module: applying {@code CHANGING} associations,
 * auto-renewing or expiring subscriptions at expiry, and billing completed pay-as-you-go
 * hours. Each claims its plans in chunks with {@code FOR UPDATE SKIP LOCKED} in its own
 * short transaction ({@link SkipLockedChunks}), so any number of instances (or a run
 * after a crash) share the work without doing any of it twice. Expiry and hourly billing
 * work set-based: a chunk of hundreds of plans takes a handful of statements
 * (docs/operations.md, renewal storms).
 */
@Component
class BandwidthLifecycle {

    static final int CHUNK = 100;

    static final String APPLIED = "applied";

    static final String AUTO_RENEWED = "autoRenewed";

    static final String EXPIRED = "expired";

    static final String HOURS_BILLED = "hoursBilled";

    private final JdbcClient jdbc;

    private final SkipLockedChunks chunks;

    private final BandwidthPlanRepository plans;

    private final HourlyCharges hourlyCharges;

    private final SubscriptionExpiry subscriptionExpiry;

    private final BandwidthSettings bandwidthSettings;

    private final Clock clock;

    BandwidthLifecycle(JdbcClient jdbc, SkipLockedChunks chunks, BandwidthPlanRepository plans,
            HourlyCharges hourlyCharges, SubscriptionExpiry subscriptionExpiry, BandwidthSettings bandwidthSettings,
            Clock clock) {
        this.jdbc = jdbc;
        this.chunks = chunks;
        this.plans = plans;
        this.hourlyCharges = hourlyCharges;
        this.subscriptionExpiry = subscriptionExpiry;
        this.bandwidthSettings = bandwidthSettings;
        this.clock = clock;
    }

    /**
     * Switches the networks of every {@code CHANGING} plan and marks the plans
     * {@code IN_USE}.
     */
    long applyAssociations() {
        return chunks.run(CHUNK, this::claimChanging, ids -> {
            Instant now = clock.instant();
            for (UUID id : ids) {
                BandwidthPlan plan = plans.lock(id).orElseThrow();
                plan.applyAssociation();
                plans.startAssociation(id, Objects.requireNonNull(plan.officeNetworkId()), now);
                plans.update(plan);
            }
            return Map.of(APPLIED, (long) ids.size());
        }, APPLIED).getOrDefault(APPLIED, 0L);
    }

    /**
     * Auto-renews (paying from the balance) or expires every subscription whose expiry is
     * at or before now, set-based ({@link SubscriptionExpiry}).
     */
    Map<String, Long> expireOrRenew(Instant now) {
        return subscriptionExpiry.run(now);
    }

    /**
     * Bills every completed pay-as-you-go hour, set-based: each chunk's hours in one
     * statement ({@link HourlyCharges#billAll}) and its plans written in another;
     * pay-by-traffic hours wait the settle delay for late samples.
     */
    long billHours(Instant now) {
        Instant trafficCutoff = now.minus(bandwidthSettings.trafficSettleDelay());
        return chunks.<Billable>run((limit, after) -> claimBillable(now, trafficCutoff, limit, after), due -> {
            List<BandwidthPlan> billed = due.stream().map(Billable::plan).toList();
            long hours = hourlyCharges.billAll(billed.stream()
                .map(plan -> new HourlyCharges.Due(plan,
                        plan.chargeType() == ChargeType.PAY_BY_TRAFFIC ? trafficCutoff : now, false))
                .toList());
            plans.updateAll(billed, Map.of());
            return Map.of(HOURS_BILLED, hours);
        }, HOURS_BILLED).getOrDefault(HOURS_BILLED, 0L);
    }

    /**
     * A claimed plan and the {@code billedUntil} its claim is ordered by (with its id) as
     * claimed: the cursor of the next claim.
     */
    record Billable(BandwidthPlan plan, Instant at) {
    }

    /**
     * Up to {@code limit} plans waiting for the worker after {@code after}, claimed:
     * other instances skip them.
     */
    private List<UUID> claimChanging(int limit, @Nullable UUID after) {
        return jdbc.sql("""
                SELECT id FROM bandwidth_plans WHERE status = 'CHANGING'
                  AND (CAST(:after AS uuid) IS NULL OR id > CAST(:after AS uuid))
                ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED
                """).param("after", after).param("limit", limit).query(UUID.class).list();
    }

    /**
     * Live pay-as-you-go plans with at least one hour ended by its cutoff not yet billed,
     * claimed in order of what they have billed.
     */
    private List<Billable> claimBillable(Instant bandwidthCutoff, Instant trafficCutoff, int limit,
            @Nullable Billable after) {
        return jdbc.sql("""
                SELECT %s FROM bandwidth_plans p
                WHERE p.payment_type = 'PAY_AS_YOU_GO' AND p.status IN %s
                  AND p.billed_until + interval '1 hour' <= CASE p.charge_type WHEN 'PAY_BY_TRAFFIC'
                      THEN CAST(:trafficCutoff AS timestamptz) ELSE CAST(:bandwidthCutoff AS timestamptz) END
                  AND (CAST(:afterAt AS timestamptz) IS NULL
                       OR (p.billed_until, p.id) > (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid)))
                ORDER BY p.billed_until, p.id LIMIT :limit FOR UPDATE SKIP LOCKED
                """.formatted(BandwidthPlanRepository.COLUMNS, BandwidthPlanRepository.LIVE))
            .param("bandwidthCutoff", Timestamp.from(bandwidthCutoff))
            .param("trafficCutoff", Timestamp.from(trafficCutoff))
            .param("afterAt", after == null ? null : Timestamp.from(after.at()))
            .param("afterId", after == null ? null : after.plan().id())
            .param("limit", limit)
            .query((rs, row) -> new Billable(BandwidthPlanRepository.plan(rs, row),
                    rs.getTimestamp("billed_until").toInstant()))
            .list();
    }

}
