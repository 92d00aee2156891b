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
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
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
     * for association.
     */
    @Transactional
    public Quote<BandwidthPlanView> purchase(UUID accountId, PurchaseCommand command) {
        validate(command);
        Instant now = clock.instant();
        OfficeNetworkRepository.Network network = null;
        if (command.officeNetworkId() != null) {
            network = lockFreeNetwork(accountId, command.officeNetworkId(), command.region());
        }
        UUID id = UUID.randomUUID();
        String ip = ipPool.claim(id);
        BandwidthPlan plan;
        Money charge = settings.zero();
        if (command.paymentType() == PaymentType.SUBSCRIPTION) {
            PlanDuration duration = Objects.requireNonNull(command.duration());
            plan = BandwidthPlan.subscribe(id, accountId, command.region(), duration,
                    Boolean.TRUE.equals(command.autoRenew()), command.peakBandwidthMbps(), ip, now, settings.zone());
            BigDecimal perMbps = prices.perMbps(duration);
            charge = Money.of(perMbps, settings.currency()).times(plan.peakMbps());
        }
        else {
            plan = BandwidthPlan.payAsYouGo(id, accountId, command.region(),
                    Objects.requireNonNull(command.chargeType()), command.peakBandwidthMbps(), ip, now);
        }
        if (network != null) {
            plan.associate(network.id(), now);
        }
        plans.insert(plan);
        plans.startPeak(id, plan.peakMbps(), now);
        if (plan.isSubscription()) {
            plans.insertTerm(id, new Proration.Term(now, Objects.requireNonNull(plan.expiresAt()),
                    prices.perMbps(Objects.requireNonNull(plan.duration()))));
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
        int previous = plan.changePeak(peakMbps, now);
        Money charge = settings.zero();
        Money refund = settings.zero();
        if (previous == peakMbps) {
            return quote(accountId, planId, charge, refund);
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
        if (plan.isSubscription()) {
            List<Proration.Term> terms = plans.terms(planId);
            String description = "Bandwidth plan " + plan.ipAddress() + ": peak " + previous + " → " + peakMbps
                    + " Mbps for the rest of the term";
            if (peakMbps > previous) {
                charge = Proration.unusedValue(terms, peakMbps - previous, now, settings.currency(),
                        Money.Rounding.CHARGE);
                accounts.charge(accountId, charge, LedgerKind.PEAK_CHANGE, HourlyCharges.RESOURCE_TYPE, planId,
                        description);
            }
            else {
                refund = Proration.unusedValue(terms, previous - peakMbps, now, settings.currency(),
                        Money.Rounding.REFUND);
                accounts.refund(accountId, refund, LedgerKind.PEAK_CHANGE, HourlyCharges.RESOURCE_TYPE, planId,
                        description);
            }
        }
        return quote(accountId, planId, charge, refund);
    }

    /**
     * Renews a subscription before expiry for any offered duration; the new term starts
     * at the current expiry.
     */
    @Transactional
    public Quote<BandwidthPlanView> renew(UUID accountId, UUID planId, PlanDuration duration) {
        requireOffered(duration, "duration");
        BandwidthPlan plan = lockPlan(accountId, planId);
        Instant start = plan.renew(duration, clock.instant(), settings.zone());
        BigDecimal perMbps = prices.perMbps(duration);
        plans.insertTerm(planId, new Proration.Term(start, Objects.requireNonNull(plan.expiresAt()), perMbps));
        plans.update(plan);
        Money charge = Money.of(perMbps, settings.currency()).times(plan.peakMbps());
        accounts.charge(accountId, charge, LedgerKind.RENEWAL, HourlyCharges.RESOURCE_TYPE, planId,
                "Bandwidth plan " + plan.ipAddress() + ": renewed " + plan.peakMbps() + " Mbps for " + duration);
        return quote(accountId, planId, charge, settings.zero());
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
        Money refund = Proration.unusedValue(plans.terms(planId), plan.peakMbps(), now, settings.currency(),
                Money.Rounding.REFUND);
        end(plan, PlanStatus.UNSUBSCRIBED, now);
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
        rules.purge(plan.id());
        plans.endAssociation(plan.id(), at);
    }

    /**
     * Ends a live, dissociated plan: status, peak history closed, IP back to the pool.
     */
    void end(BandwidthPlan plan, PlanStatus status, Instant at) {
        plan.end(status, at);
        plans.endPeak(plan.id(), at);
        ipPool.release(plan.id());
        plans.update(plan);
    }

    private BandwidthPlan lockPlan(UUID accountId, UUID planId) {
        return plans.lock(accountId, planId).orElseThrow(() -> ProblemException.notFound("Bandwidth plan", planId));
    }

    /**
     * Locks the account's network and checks that a plan of {@code region} may take it.
     */
    private OfficeNetworkRepository.Network lockFreeNetwork(UUID accountId, UUID networkId, String region) {
        OfficeNetworkRepository.Network network = networks.lock(accountId, networkId)
            .orElseThrow(() -> ProblemException.notFound("Office network", networkId));
        if (!network.region().equals(region)) {
            throw ProblemException.of(ErrorCode.REGION_MISMATCH, "officeNetworkId",
                    "is in region " + network.region() + ", not " + region,
                    "Office network " + networkId + " is in " + network.region() + "; the plan is in " + region + ".");
        }
        plans.planOfNetwork(networkId).ifPresent(other -> {
            throw new ProblemException(ErrorCode.NETWORK_ALREADY_ASSOCIATED,
                    "Office network " + networkId + " is already associated with bandwidth plan " + other + ".",
                    List.of(new FieldViolation("officeNetworkId", "already has a bandwidth plan")));
        });
        return network;
    }

    private void validate(PurchaseCommand command) {
        OfficeNetworks.requireRegion(bandwidthSettings, command.region());
        if (command.paymentType() == PaymentType.SUBSCRIPTION) {
            if (command.chargeType() != null) {
                throw notAllowed("chargeType", "SUBSCRIPTION");
            }
            if (command.duration() == null) {
                throw ProblemException.invalid("duration", "is required for SUBSCRIPTION");
            }
            requireOffered(command.duration(), "duration");
            if (Boolean.TRUE.equals(command.autoRenew()) && command.duration().isOneWeek()) {
                throw BandwidthPlan.autoRenewNotAllowed();
            }
        }
        else {
            if (command.duration() != null) {
                throw notAllowed("duration", "PAY_AS_YOU_GO");
            }
            if (command.autoRenew() != null) {
                throw notAllowed("autoRenew", "PAY_AS_YOU_GO");
            }
            if (command.chargeType() == null) {
                throw ProblemException.invalid("chargeType", "is required for PAY_AS_YOU_GO");
            }
        }
        BandwidthPlan.requirePeakInRange(command.peakBandwidthMbps(),
                BandwidthPlan.maxPeak(command.paymentType(), command.chargeType()), command.chargeType());
    }

    private static ProblemException notAllowed(String field, String paymentType) {
        return ProblemException.of(ErrorCode.PARAMETER_NOT_ALLOWED, field, "does not apply to " + paymentType,
                "The field " + field + " does not apply to " + paymentType + " plans; leave it out.");
    }

    static void requireOffered(PlanDuration duration, String field) {
        if (!duration.isOffered()) {
            throw ProblemException.invalid(field + ".count",
                    ProblemException.mustBeOneOf(PlanDuration.offeredCounts(duration.unit())) + " for "
                            + duration.unit());
        }
    }

    private Quote<BandwidthPlanView> quote(UUID accountId, UUID planId, Money charge, Money refund) {
        return new Quote<>(charge, refund, accounts.balance(accountId), get(accountId, planId));
    }

    BandwidthPlanView view(BandwidthPlanRepository.Row row) {
        return views.view(row.plan(), row.networkName());
    }

}
