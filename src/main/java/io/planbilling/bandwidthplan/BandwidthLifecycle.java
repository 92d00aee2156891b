package io.planbilling.bandwidthplan;

import io.planbilling.account.Accounts;
import io.planbilling.account.LedgerKind;
import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.Money;
import io.planbilling.shared.SkipLockedChunks;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * after a crash) share the work without doing any of it twice.
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

    private final BandwidthPlans facade;

    private final Accounts accounts;

    private final BandwidthPrices prices;

    private final BandwidthSettings bandwidthSettings;

    private final BillingSettings settings;

    private final Clock clock;

    BandwidthLifecycle(JdbcClient jdbc, SkipLockedChunks chunks, BandwidthPlanRepository plans,
            HourlyCharges hourlyCharges, BandwidthPlans facade, Accounts accounts, BandwidthPrices prices,
            BandwidthSettings bandwidthSettings, BillingSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.chunks = chunks;
        this.plans = plans;
        this.hourlyCharges = hourlyCharges;
        this.facade = facade;
        this.accounts = accounts;
        this.prices = prices;
        this.bandwidthSettings = bandwidthSettings;
        this.settings = settings;
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
     * at or before now.
     */
    Map<String, Long> expireOrRenew(Instant now) {
        return chunks.<Due>run(CHUNK, (limit, after) -> claimExpired(now, limit, after), due -> {
            long renewed = 0;
            long ended = 0;
            for (Due claimed : due) {
                UUID id = claimed.id();
                BandwidthPlan plan = plans.lock(id).orElseThrow();
                while (plan.autoRenewEnabled() && !Objects.requireNonNull(plan.expiresAt()).isAfter(now)) {
                    Money charge = plan.termPrice(prices, settings.currency());
                    if (!accounts.tryCharge(plan.accountId(), charge, LedgerKind.AUTO_RENEWAL,
                            HourlyCharges.RESOURCE_TYPE, id, "Bandwidth plan " + plan.ipAddress() + ": auto-renewed "
                                    + plan.peakMbps() + " Mbps for " + plan.duration())) {
                        break;
                    }
                    plans.insertTerm(id, plan.autoRenew(prices, settings.zone()));
                    renewed++;
                }
                Instant expiry = Objects.requireNonNull(plan.expiresAt());
                if (!expiry.isAfter(now)) {
                    if (plan.officeNetworkId() != null) {
                        plan.dissociate();
                        facade.afterDissociation(plan, expiry);
                    }
                    facade.end(plan, PlanStatus.EXPIRED, expiry);
                    ended++;
                }
                else {
                    plans.update(plan);
                }
            }
            return Map.of(AUTO_RENEWED, renewed, EXPIRED, ended);
        }, AUTO_RENEWED, EXPIRED);
    }

    /**
     * Bills every completed pay-as-you-go hour; pay-by-traffic hours wait the settle
     * delay for late samples.
     */
    long billHours(Instant now) {
        Instant trafficCutoff = now.minus(bandwidthSettings.trafficSettleDelay());
        return chunks.<Due>run(CHUNK, (limit, after) -> claimBillable(now, trafficCutoff, limit, after), due -> {
            long hours = 0;
            for (Due claimed : due) {
                BandwidthPlan plan = plans.lock(claimed.id()).orElseThrow();
                Instant cutoff = plan.chargeType() == ChargeType.PAY_BY_TRAFFIC ? trafficCutoff : now;
                hours += hourlyCharges.bill(plan, cutoff, false);
                plans.update(plan);
            }
            return Map.of(HOURS_BILLED, hours);
        }, HOURS_BILLED).getOrDefault(HOURS_BILLED, 0L);
    }

    /**
     * A claimed plan and the instant its claim is ordered by (with its id): the cursor of
     * the next claim.
     */
    record Due(UUID id, Instant at) {
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

    /** Live subscriptions expired at {@code now}, claimed in order of expiry. */
    private List<Due> claimExpired(Instant now, int limit, @Nullable Due after) {
        return jdbc.sql("""
                SELECT id, expires_at AS at FROM bandwidth_plans
                WHERE payment_type = 'SUBSCRIPTION' AND status IN %s AND expires_at <= :now
                  AND (CAST(:afterAt AS timestamptz) IS NULL
                       OR (expires_at, id) > (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid)))
                ORDER BY expires_at, id LIMIT :limit FOR UPDATE SKIP LOCKED
                """.formatted(BandwidthPlanRepository.LIVE))
            .param("now", Timestamp.from(now))
            .param("afterAt", after == null ? null : Timestamp.from(after.at()))
            .param("afterId", after == null ? null : after.id())
            .param("limit", limit)
            .query(BandwidthLifecycle::due)
            .list();
    }

    /**
     * Live pay-as-you-go plans with at least one hour ended by its cutoff not yet billed,
     * claimed in order of what they have billed.
     */
    private List<Due> claimBillable(Instant bandwidthCutoff, Instant trafficCutoff, int limit, @Nullable Due after) {
        return jdbc.sql("""
                SELECT id, billed_until AS at FROM bandwidth_plans
                WHERE payment_type = 'PAY_AS_YOU_GO' AND status IN %s
                  AND billed_until + interval '1 hour' <= CASE charge_type WHEN 'PAY_BY_TRAFFIC'
                      THEN CAST(:trafficCutoff AS timestamptz) ELSE CAST(:bandwidthCutoff AS timestamptz) END
                  AND (CAST(:afterAt AS timestamptz) IS NULL
                       OR (billed_until, id) > (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid)))
                ORDER BY billed_until, id LIMIT :limit FOR UPDATE SKIP LOCKED
                """.formatted(BandwidthPlanRepository.LIVE))
            .param("bandwidthCutoff", Timestamp.from(bandwidthCutoff))
            .param("trafficCutoff", Timestamp.from(trafficCutoff))
            .param("afterAt", after == null ? null : Timestamp.from(after.at()))
            .param("afterId", after == null ? null : after.id())
            .param("limit", limit)
            .query(BandwidthLifecycle::due)
            .list();
    }

    private static Due due(ResultSet rs, int row) throws SQLException {
        return new Due(rs.getObject("id", UUID.class), rs.getTimestamp("at").toInstant());
    }

}
