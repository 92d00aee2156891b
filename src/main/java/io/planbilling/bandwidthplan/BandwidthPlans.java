package io.planbilling.bandwidthplan;

import io.planbilling.account.Accounts;
import io.planbilling.account.LedgerKind;
import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.FieldViolation;
import io.planbilling.shared.Money;
import io.planbilling.shared.PageQuery;
import io.planbilling.shared.PageView;
import io.planbilling.shared.ProblemException;
import io.planbilling.shared.Quote;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The bandwidth plan module's public face: purchase, association, peak changes, renewal,
 * unsubscribe and delete (docs/bandwidth-plans.md). Every change locks the plan's row
 * first and, where a network is involved, the network's row second, always in that order;
 * money moves through {@link Accounts} in the same transaction.
 */
@Service
class BandwidthPlans {

    private final BandwidthPlanRepository plans;

    private final OfficeNetworkRepository networks;

    private final SpeedLimitRuleRepository rules;

    private final IpPool ipPool;

    private final HourlyCharges hourlyCharges;

    private final Accounts accounts;

    private final BandwidthPrices prices;

    private final BandwidthSettings bandwidthSettings;

    private final BillingSettings settings;

    private final BandwidthPlanViews views;

    private final Clock clock;

    BandwidthPlans(BandwidthPlanRepository plans, OfficeNetworkRepository networks, SpeedLimitRuleRepository rules,
            IpPool ipPool, HourlyCharges hourlyCharges, Accounts accounts, BandwidthPrices prices,
            BandwidthSettings bandwidthSettings, BillingSettings settings, BandwidthPlanViews views, Clock clock) {
        this.plans = plans;
        this.networks = networks;
        this.rules = rules;
        this.ipPool = ipPool;
        this.hourlyCharges = hourlyCharges;
        this.accounts = accounts;
        this.prices = prices;
        this.bandwidthSettings = bandwidthSettings;
        this.settings = settings;
        this.views = views;
        this.clock = clock;
    }

    /**
     * Buys a plan: claims an IP, pays a subscription from the balance, optionally asks
     * for association. The command is valid by construction; what is left to check needs
     * the database (the network, the pool, the balance).
     */
    @Transactional
    public Quote<BandwidthPlanView> purchase(UUID accountId, PurchaseCommand command) {
        Instant now = clock.instant();
        OfficeNetworkRepository.Network network = null;
        if (command.officeNetworkId() != null) {
            network = lockFreeNetwork(accountId, command.officeNetworkId(), command.region());
        }
        UUID id = UUID.randomUUID();
        String ip = ipPool.claim(id);
        BandwidthPlan plan = BandwidthPlan.purchase(id, accountId, command, ip, now, settings.zone());
        if (network != null) {
            plan.associate(network.id(), now);
        }
        plans.insert(plan);
        plans.startPeak(id, plan.peakMbps(), now);
        Money charge = settings.zero();
        if (plan.isSubscription()) {
            Proration.PaidTerm first = plan.firstTerm(prices, settings.currency());
            plans.insertTerm(id, first.term());
            charge = first.price();
            accounts.charge(accountId, charge, LedgerKind.PURCHASE, HourlyCharges.RESOURCE_TYPE, id,
                    "Bandwidth plan " + ip + ": " + plan.peakMbps() + " Mbps for " + plan.duration());
        }
        return quote(accountId, id, charge, settings.zero());
    }

    @Transactional(readOnly = true)
    public BandwidthPlanView get(UUID accountId, UUID planId) {
        return plans.row(accountId, planId)
            .map(this::view)
            .orElseThrow(() -> ProblemException.notFound("Bandwidth plan", planId));
    }

    /** The account's plans, newest first; deleted plans are never listed. */
    @Transactional(readOnly = true)
    public PageView<BandwidthPlanView> list(UUID accountId, @Nullable PlanStatus status, PageQuery page) {
        if (status == PlanStatus.DELETED) {
            return PageView.of(List.of(), page, 0);
        }
        return PageView.of(plans.rows(accountId, status, page.offset(), page.size()).stream().map(this::view).toList(),
                page, plans.count(accountId, status));
    }

    /** Asks for association; the worker applies it ({@code CHANGING} until then). */
    @Transactional
    public BandwidthPlanView associate(UUID accountId, UUID planId, UUID networkId) {
        BandwidthPlan plan = lockPlan(accountId, planId);
        Instant now = clock.instant();
        plan.requireLive(now);
        if (plan.officeNetworkId() == null) {
            OfficeNetworkRepository.Network network = lockFreeNetwork(accountId, networkId, plan.region());
            plan.associate(network.id(), now);
        }
        else {
            plan.associate(networkId, now);
        }
        plans.update(plan);
        return get(accountId, planId);
    }

    /**
     * Reverts the network to basic bandwidth and purges the plan's rules; billing goes
     * on.
     */
    @Transactional
    public BandwidthPlanView dissociate(UUID accountId, UUID planId) {
        BandwidthPlan plan = lockPlan(accountId, planId);
        plan.dissociate();
        afterDissociation(plan, clock.instant());
        plans.update(plan);
        return get(accountId, planId);
    }

    /**
     * Changes the peak at once. A subscription pays or gets back the difference over what
     * is left of its paid terms (charges round half-even, refunds down); pay-as-you-go
     * plans record the peak for hourly billing.
     */
    @Transactional
    public Quote<BandwidthPlanView> changePeak(UUID accountId, UUID planId, int peakMbps) {
        BandwidthPlan plan = lockPlan(accountId, planId);
        Instant now = clock.instant();
        Proration.PeakChange change = plan.changePeak(peakMbps, plans.terms(planId), settings.currency(), now);
        if (change.previousMbps() == peakMbps) {
            return quote(accountId, planId, change.charge(), change.refund());
        }
        List<SpeedLimitRuleRepository.Rule> above = rules.above(planId, peakMbps);
        if (!above.isEmpty()) {
            throw new ProblemException(ErrorCode.RULE_EXCEEDS_PEAK,
                    "Speed-limit rules " + above.stream().map(rule -> "'" + rule.name() + "'").toList()
                            + " limit above " + peakMbps + " Mbps; lower or delete them first.",
                    above.stream()
                        .map(rule -> new FieldViolation("peakBandwidthMbps",
                                "rule '" + rule.name() + "' (" + rule.id() + ") limits " + rule.upstreamMbps()
                                        + " Mbps up and " + rule.downstreamMbps() + " Mbps down"))
                        .toList());
        }
        plans.startPeak(planId, peakMbps, now);
        plans.update(plan);
        String description = "Bandwidth plan " + plan.ipAddress() + ": peak " + change.previousMbps() + " → " + peakMbps
                + " Mbps for the rest of the term";
        // one of the two is zero (both for pay-as-you-go), and a zero amount posts
        // nothing
        accounts.charge(accountId, change.charge(), LedgerKind.PEAK_CHANGE, HourlyCharges.RESOURCE_TYPE, planId,
                description);
        accounts.refund(accountId, change.refund(), LedgerKind.PEAK_CHANGE, HourlyCharges.RESOURCE_TYPE, planId,
                description);
        return quote(accountId, planId, change.charge(), change.refund());
    }

    /**
     * Renews a subscription before expiry for any offered duration; the new term starts
     * at the current expiry.
     */
    @Transactional
    public Quote<BandwidthPlanView> renew(UUID accountId, UUID planId, PlanDuration duration) {
        BandwidthPlan plan = lockPlan(accountId, planId);
        Proration.PaidTerm term = plan.renew(duration, prices, settings.currency(), clock.instant(), settings.zone());
        plans.insertTerm(planId, term.term());
        plans.update(plan);
        accounts.charge(accountId, term.price(), LedgerKind.RENEWAL, HourlyCharges.RESOURCE_TYPE, planId,
                "Bandwidth plan " + plan.ipAddress() + ": renewed " + plan.peakMbps() + " Mbps for " + duration);
        return quote(accountId, planId, term.price(), settings.zero());
    }

    /**
     * Ends a subscription now and refunds the unused share of its paid terms (rounded
     * down); an associated plan needs {@code force}, which dissociates it first.
     */
    @Transactional
    public Quote<BandwidthPlanView> unsubscribe(UUID accountId, UUID planId, boolean force) {
        BandwidthPlan plan = lockPlan(accountId, planId);
        plan.requireSubscription();
        Instant now = clock.instant();
        if (plan.dissociateForEnd(force, now) != null) {
            afterDissociation(plan, now);
        }
        Money refund = plan.unsubscribe(plans.terms(planId), settings.currency(), now);
        released(plan, now);
        accounts.refund(accountId, refund, LedgerKind.REFUND, HourlyCharges.RESOURCE_TYPE, planId,
                "Bandwidth plan " + plan.ipAddress() + ": unsubscribed, unused share refunded");
        return quote(accountId, planId, settings.zero(), refund);
    }

    /**
     * Deletes a pay-as-you-go plan: bills up to now (the started hour included) and stops
     * billing.
     */
    @Transactional
    public void delete(UUID accountId, UUID planId, boolean force) {
        BandwidthPlan plan = lockPlan(accountId, planId);
        plan.requirePayAsYouGo();
        Instant now = clock.instant();
        if (plan.dissociateForEnd(force, now) != null) {
            afterDissociation(plan, now);
        }
        hourlyCharges.bill(plan, now, true);
        end(plan, PlanStatus.DELETED, now);
    }

    /**
     * What the catalog shows: regions, durations, ranges, prices in force and the basic
     * bandwidth.
     */
    public BandwidthCatalog catalog() {
        return BandwidthCatalog.of(bandwidthSettings, prices, settings);
    }

    void afterDissociation(BandwidthPlan plan, Instant at) {
        afterDissociation(List.of(new BandwidthPlanStatements.PlanAt(plan.id(), at)));
    }

    /**
     * What follows the dissociation of each plan at its instant: its rules purged, its
     * association closed.
     */
    void afterDissociation(List<BandwidthPlanStatements.PlanAt> dissociated) {
        rules.purgeAll(dissociated.stream().map(BandwidthPlanStatements.PlanAt::planId).toList());
        plans.endAssociations(dissociated);
    }

    /**
     * Ends a live, dissociated plan: status, peak history closed, IP back to the pool.
     */
    void end(BandwidthPlan plan, PlanStatus status, Instant at) {
        plan.end(status, at);
        released(plan, at);
    }

    /** What an ended plan gives up: its peak history is closed, its IP goes back. */
    private void released(BandwidthPlan plan, Instant at) {
        released(List.of(new BandwidthPlanStatements.PlanAt(plan.id(), at)));
        plans.update(plan);
    }

    /**
     * What plans ended at their instants give up, set-based: their peak histories are
     * closed, their IPs go back. The caller writes the plans.
     */
    void released(List<BandwidthPlanStatements.PlanAt> ended) {
        plans.endPeaks(ended);
        ipPool.releaseAll(ended.stream().map(BandwidthPlanStatements.PlanAt::planId).toList());
    }

    private BandwidthPlan lockPlan(UUID accountId, UUID planId) {
        return plans.lock(accountId, planId).orElseThrow(() -> ProblemException.notFound("Bandwidth plan", planId));
    }

    /**
     * Locks the account's network and checks that a plan of {@code region} may take it.
     */
    private OfficeNetworkRepository.Network lockFreeNetwork(UUID accountId, UUID networkId, BandwidthRegion region) {
        OfficeNetworkRepository.Network network = networks.lock(accountId, networkId)
            .orElseThrow(() -> ProblemException.notFound("Office network", networkId));
        region.requireSameAs(network.region(), networkId);
        plans.planOfNetwork(networkId).ifPresent(other -> {
            throw new ProblemException(ErrorCode.NETWORK_ALREADY_ASSOCIATED,
                    "Office network " + networkId + " is already associated with bandwidth plan " + other + ".",
                    List.of(new FieldViolation("officeNetworkId", "already has a bandwidth plan")));
        });
        return network;
    }

    private Quote<BandwidthPlanView> quote(UUID accountId, UUID planId, Money charge, Money refund) {
        return new Quote<>(charge, refund, accounts.balance(accountId), get(accountId, planId));
    }

    BandwidthPlanView view(BandwidthPlanRepository.Row row) {
        return views.view(row.plan(), row.networkName());
    }

}
