package io.planbilling.bandwidthplan;

import io.planbilling.account.Accounts;
import io.planbilling.account.LedgerKind;
import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.Money;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The background work of the module: applying {@code CHANGING} associations,
 * auto-renewing or expiring subscriptions at expiry, and billing completed pay-as-you-go
 * hours. Each claims its plans in batches with {@code FOR UPDATE SKIP LOCKED} in its own
 * short transaction, so any number of instances (or a run after a crash) share the work
 * without doing any of it twice.
 */
@Component
class BandwidthLifecycle {

    private static final int BATCH = 100;

    private final BandwidthPlanRepository plans;

    private final HourlyCharges hourlyCharges;

    private final BandwidthPlans facade;

    private final Accounts accounts;

    private final BandwidthPrices prices;

    private final BandwidthSettings bandwidthSettings;

    private final BillingSettings settings;

    private final Clock clock;

    private final TransactionTemplate transactions;

    BandwidthLifecycle(BandwidthPlanRepository plans, HourlyCharges hourlyCharges, BandwidthPlans facade,
            Accounts accounts, BandwidthPrices prices, BandwidthSettings bandwidthSettings, BillingSettings settings,
            Clock clock, PlatformTransactionManager transactionManager) {
        this.plans = plans;
        this.hourlyCharges = hourlyCharges;
        this.facade = facade;
        this.accounts = accounts;
        this.prices = prices;
        this.bandwidthSettings = bandwidthSettings;
        this.settings = settings;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /**
     * Switches the networks of every {@code CHANGING} plan and marks the plans
     * {@code IN_USE}.
     */
    long applyAssociations() {
        return inBatches(ids -> {
            Instant now = clock.instant();
            for (UUID id : ids) {
                BandwidthPlan plan = plans.lock(id).orElseThrow();
                plan.applyAssociation();
                plans.startAssociation(id, Objects.requireNonNull(plan.officeNetworkId()), now);
                plans.update(plan);
            }
            return (long) ids.size();
        }, limit -> plans.claimChanging(limit));
    }

    /** Counters of one expiry run. */
    record ExpiryCounts(long renewed, long expired) {
    }

    /**
     * Auto-renews (paying from the balance) or expires every subscription whose expiry is
     * at or before now.
     */
    ExpiryCounts expireOrRenew(Instant now) {
        long[] renewed = { 0 };
        long expired = inBatches(ids -> {
            long ended = 0;
            for (UUID id : ids) {
                BandwidthPlan plan = plans.lock(id).orElseThrow();
                while (plan.autoRenewEnabled() && !Objects.requireNonNull(plan.expiresAt()).isAfter(now)) {
                    Money charge = plan.termPrice(prices, settings.currency());
                    if (!accounts.tryCharge(plan.accountId(), charge, LedgerKind.AUTO_RENEWAL,
                            HourlyCharges.RESOURCE_TYPE, id, "Bandwidth plan " + plan.ipAddress() + ": auto-renewed "
                                    + plan.peakMbps() + " Mbps for " + plan.duration())) {
                        break;
                    }
                    plans.insertTerm(id, plan.autoRenew(prices, settings.zone()));
                    renewed[0]++;
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
            return ended;
        }, limit -> plans.claimExpired(now, limit));
        return new ExpiryCounts(renewed[0], expired);
    }

    /**
     * Bills every completed pay-as-you-go hour; pay-by-traffic hours wait the settle
     * delay for late samples.
     */
    long billHours(Instant now) {
        Instant trafficCutoff = now.minus(bandwidthSettings.trafficSettleDelay());
        long[] hours = { 0 };
        inBatches(ids -> {
            for (UUID id : ids) {
                BandwidthPlan plan = plans.lock(id).orElseThrow();
                Instant cutoff = plan.chargeType() == ChargeType.PAY_BY_TRAFFIC ? trafficCutoff : now;
                hours[0] += hourlyCharges.bill(plan, cutoff, false);
                plans.update(plan);
            }
            return (long) ids.size();
        }, limit -> plans.claimBillable(now, trafficCutoff, limit));
        return hours[0];
    }

    /**
     * Runs {@code work} on claimed batches, each in its own transaction, until a claim
     * comes back empty.
     */
    private long inBatches(Function<List<UUID>, Long> work, Function<Integer, List<UUID>> claim) {
        long total = 0;
        while (true) {
            long[] done = { -1 };
            transactions.executeWithoutResult(status -> {
                List<UUID> ids = claim.apply(BATCH);
                done[0] = ids.isEmpty() ? -1 : work.apply(ids);
            });
            if (done[0] < 0) {
                return total;
            }
            total += done[0];
        }
    }

}
