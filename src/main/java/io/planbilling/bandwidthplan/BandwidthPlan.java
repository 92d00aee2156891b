package io.planbilling.bandwidthplan;

import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.EventType;
import io.planbilling.shared.ExpiryReminders;
import io.planbilling.shared.FieldViolation;
import io.planbilling.shared.Money;
import io.planbilling.shared.ProblemException;
import io.planbilling.shared.RegisteredEvents;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A premium bandwidth plan: the aggregate that guards its status, its association, its
 * peak and its term, and says what each change costs or gives back
 * (docs/bandwidth-plans.md): the price of a term, the proration of a peak change over the
 * paid terms left, the refund of an unsubscription. Other aggregates (the office network,
 * the account) are held by id; the paid terms are read by the caller and handed in. Its
 * methods register what happened to it (the {@code bandwidth_plan.*} events of
 * docs/events.md); {@link BandwidthPlanRepository} publishes them when it writes the
 * plan.
 *
 * <p>
 * Cohesion: every method reads or changes the same few fields (status, network, peak,
 * expiry), and the money of a change depends on the very state the change checks (the
 * peak before and after, the expiry a renewal starts from), so the state machine and its
 * money stay together here, as in {@code TrafficPackage}. What needs no plan state lives
 * beside it: request rules in {@link PurchaseCommand}, peak ranges in {@link PeakLimits},
 * prices and what a plan costs now in {@link BandwidthPrices}, the arithmetic of
 * prorating in {@link Proration}. Its fields, constructor and accessors are over a
 * quarter of the class.
 */
final class BandwidthPlan {

    private final UUID id;

    private final UUID accountId;

    private final BandwidthRegion region;

    private final PaymentType paymentType;

    private final @Nullable ChargeType chargeType;

    private final @Nullable PlanDuration duration;

    private final boolean autoRenew;

    private int peakMbps;

    private PlanStatus status;

    private @Nullable UUID officeNetworkId;

    private final String ipAddress;

    private final Instant createdAt;

    private @Nullable Instant expiresAt;

    private @Nullable Instant endedAt;

    private @Nullable Instant billedUntil;

    private final RegisteredEvents events = new RegisteredEvents();

    BandwidthPlan(UUID id, UUID accountId, BandwidthRegion region, PaymentType paymentType,
            @Nullable ChargeType chargeType, @Nullable PlanDuration duration, boolean autoRenew, int peakMbps,
            PlanStatus status, @Nullable UUID officeNetworkId, String ipAddress, Instant createdAt,
            @Nullable Instant expiresAt, @Nullable Instant endedAt, @Nullable Instant billedUntil) {
        this.id = id;
        this.accountId = accountId;
        this.region = region;
        this.paymentType = paymentType;
        this.chargeType = chargeType;
        this.duration = duration;
        this.autoRenew = autoRenew;
        this.peakMbps = peakMbps;
        this.status = status;
        this.officeNetworkId = officeNetworkId;
        this.ipAddress = ipAddress;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.endedAt = endedAt;
        this.billedUntil = billedUntil;
    }

    /**
     * The plan {@code command} buys at {@code now}: a subscription paid for its duration
     * from now (in {@code zone}), or a pay-as-you-go plan billed from now on. The command
     * is valid by construction, so nothing is checked again here.
     */
    static BandwidthPlan purchase(UUID id, UUID accountId, PurchaseCommand command, String ipAddress, Instant now,
            ZoneId zone) {
        BandwidthPlan plan;
        if (command.paymentType() == PaymentType.SUBSCRIPTION) {
            PlanDuration duration = Objects.requireNonNull(command.duration());
            plan = new BandwidthPlan(id, accountId, command.region(), PaymentType.SUBSCRIPTION, null, duration,
                    command.autoRenewEnabled(), command.peakBandwidthMbps(), PlanStatus.NOT_ASSOCIATED, null, ipAddress,
                    now, duration.after(now, zone), null, null);
        }
        else {
            plan = new BandwidthPlan(id, accountId, command.region(), PaymentType.PAY_AS_YOU_GO,
                    Objects.requireNonNull(command.chargeType()), null, false, command.peakBandwidthMbps(),
                    PlanStatus.NOT_ASSOCIATED, null, ipAddress, now, null, null, now);
        }
        plan.events.register(EventType.BANDWIDTH_PLAN_PURCHASED);
        return plan;
    }

    /**
     * A subscription's first paid term, from its purchase to its expiry, and its price at
     * the peak bought.
     */
    Proration.PaidTerm firstTerm(BandwidthPrices prices, Currency currency) {
        PlanDuration bought = Objects.requireNonNull(duration);
        return new Proration.PaidTerm(prices.term(createdAt, Objects.requireNonNull(expiresAt), bought),
                prices.termPrice(bought, peakMbps, currency));
    }

    /**
     * What one term of the subscription's own duration costs at the current peak: what
     * auto-renewal charges and what the expiry reminder announces.
     */
    Money termPrice(BandwidthPrices prices, Currency currency) {
        return prices.termPrice(Objects.requireNonNull(duration), peakMbps, currency);
    }

    /**
     * Refuses anything but reading on a plan that has ended, or on a subscription whose
     * expiry has passed although the lifecycle job has not marked it yet.
     */
    void requireLive(Instant now) {
        requireNotEnded();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new ProblemException(ErrorCode.PLAN_EXPIRED,
                    "Bandwidth plan " + id + " expired at " + expiresAt + ".");
        }
    }

    private void requireNotEnded() {
        switch (status) {
            case EXPIRED ->
                throw new ProblemException(ErrorCode.PLAN_EXPIRED, "Bandwidth plan " + id + " has expired.");
            case UNSUBSCRIBED, DELETED -> throw new ProblemException(ErrorCode.PLAN_ENDED,
                    "Bandwidth plan " + id + " has ended (" + status + ").");
            default -> {
            }
        }
    }

    /**
     * Asks for association with {@code networkId}; the worker applies it
     * ({@link #applyAssociation()}).
     */
    void associate(UUID networkId, Instant now) {
        requireLive(now);
        if (officeNetworkId != null) {
            throw new ProblemException(ErrorCode.PLAN_ALREADY_ASSOCIATED, "Bandwidth plan " + id
                    + " is already associated with office network " + officeNetworkId + "; dissociate it first.");
        }
        officeNetworkId = networkId;
        status = PlanStatus.CHANGING;
    }

    /** The worker switched the network to this plan. */
    void applyAssociation() {
        if (status != PlanStatus.CHANGING) {
            throw new IllegalStateException("Plan " + id + " is " + status + ", not CHANGING");
        }
        status = PlanStatus.IN_USE;
        events.register(EventType.BANDWIDTH_PLAN_ASSOCIATED);
    }

    /**
     * Reverts the network to basic bandwidth; billing goes on. Answers the network it was
     * associated with.
     */
    UUID dissociate() {
        requireNotEnded();
        UUID network = requireAssociated();
        officeNetworkId = null;
        status = PlanStatus.NOT_ASSOCIATED;
        events.register(EventType.BANDWIDTH_PLAN_DISSOCIATED, "previousOfficeNetworkId", network);
        return network;
    }

    UUID requireAssociated() {
        if (officeNetworkId == null) {
            throw new ProblemException(ErrorCode.PLAN_NOT_ASSOCIATED,
                    "Bandwidth plan " + id + " is not associated with an office network.");
        }
        return officeNetworkId;
    }

    /**
     * Sets a new peak, effective at once. A subscription pays the difference over what is
     * left of {@code paidTerms} after {@code now} (an increase, rounded half-even) or
     * gets it back (a decrease, rounded down); a pay-as-you-go plan records the peak for
     * hourly billing and pays nothing here.
     */
    Proration.PeakChange changePeak(int mbps, List<Proration.Term> paidTerms, Currency currency, Instant now) {
        requireLive(now);
        PeakLimits.of(paymentType, chargeType).require(mbps);
        int previous = peakMbps;
        peakMbps = mbps;
        if (previous == mbps) {
            return Proration.PeakChange.none(previous, currency);
        }
        events.register(EventType.BANDWIDTH_PLAN_CHANGED, "previousPeakBandwidthMbps", previous);
        return isSubscription() ? Proration.peakChange(paidTerms, previous, mbps, now, currency)
                : Proration.PeakChange.none(previous, currency);
    }

    void requireSubscription() {
        if (paymentType != PaymentType.SUBSCRIPTION) {
            throw new ProblemException(ErrorCode.NOT_A_SUBSCRIPTION,
                    "Bandwidth plan " + id + " is pay-as-you-go; only subscriptions are renewed or unsubscribed"
                            + " (pay-as-you-go plans are deleted).");
        }
    }

    void requirePayAsYouGo() {
        if (paymentType != PaymentType.PAY_AS_YOU_GO) {
            throw new ProblemException(ErrorCode.NOT_PAY_AS_YOU_GO,
                    "Bandwidth plan " + id + " is a subscription; subscriptions are unsubscribed, not deleted.");
        }
    }

    /**
     * Extends the subscription by {@code by}, starting at the current expiry; refused
     * once it has expired.
     * @return the new term and its price at the current peak
     */
    Proration.PaidTerm renew(PlanDuration by, BandwidthPrices prices, Currency currency, Instant now, ZoneId zone) {
        requireSubscription();
        Instant currentExpiry = Objects.requireNonNull(expiresAt);
        if (status == PlanStatus.EXPIRED || !currentExpiry.isAfter(now)) {
            throw new ProblemException(ErrorCode.PLAN_EXPIRED,
                    "Bandwidth plan " + id + " expired at " + currentExpiry + "; buy a new plan instead.");
        }
        requireNotEnded();
        Instant newExpiry = by.after(currentExpiry, zone);
        expiresAt = newExpiry;
        events.register(EventType.BANDWIDTH_PLAN_RENEWED, "previousExpiresAt", currentExpiry);
        return new Proration.PaidTerm(prices.term(currentExpiry, newExpiry, by),
                prices.termPrice(by, peakMbps, currency));
    }

    /**
     * Auto-renewal at expiry for the subscription's own duration, paid {@link #termPrice}
     * beforehand by the caller.
     * @return the new term
     */
    Proration.Term autoRenew(BandwidthPrices prices, ZoneId zone) {
        PlanDuration own = Objects.requireNonNull(duration);
        Instant currentExpiry = Objects.requireNonNull(expiresAt);
        Instant newExpiry = own.after(currentExpiry, zone);
        expiresAt = newExpiry;
        events.register(EventType.BANDWIDTH_PLAN_RENEWED, "previousExpiresAt", currentExpiry);
        return prices.term(currentExpiry, newExpiry, own);
    }

    /**
     * Refuses to end an associated plan unless {@code force}; with it, dissociates first.
     * @return the network it was associated with, when it was and {@code force}
     * dissociated it
     */
    @Nullable UUID dissociateForEnd(boolean force, Instant now) {
        requireLive(now);
        if (officeNetworkId == null) {
            return null;
        }
        if (!force) {
            throw new ProblemException(ErrorCode.PLAN_ASSOCIATED,
                    "Bandwidth plan " + id + " is associated with office network " + officeNetworkId
                            + "; dissociate it first or pass force=true.",
                    List.of(new FieldViolation("force", "must be true to end an associated plan")));
        }
        return dissociate();
    }

    /** Ends a live, dissociated plan with {@code endStatus}. */
    void end(PlanStatus endStatus, Instant now) {
        if (!status.isLive() || officeNetworkId != null || endStatus.isLive()) {
            throw new IllegalStateException("Plan " + id + " cannot end as " + endStatus + " from " + status);
        }
        status = endStatus;
        endedAt = now;
        events.register(switch (endStatus) {
            case EXPIRED -> EventType.BANDWIDTH_PLAN_EXPIRED;
            case UNSUBSCRIBED -> EventType.BANDWIDTH_PLAN_UNSUBSCRIBED;
            case DELETED -> EventType.BANDWIDTH_PLAN_DELETED;
            default -> throw new IllegalStateException("Plan " + id + " cannot end as " + endStatus);
        });
    }

    /**
     * Ends a live, dissociated subscription now as {@code UNSUBSCRIBED}.
     * @return the refund: the unused share of {@code paidTerms} at the current peak,
     * rounded down
     */
    Money unsubscribe(List<Proration.Term> paidTerms, Currency currency, Instant now) {
        requireSubscription();
        Money refund = Proration.unusedValue(paidTerms, peakMbps, now, currency, Money.Rounding.REFUND);
        end(PlanStatus.UNSUBSCRIBED, now);
        return refund;
    }

    /** Pay-as-you-go hours up to {@code until} are billed. */
    void billedUntil(Instant until) {
        if (billedUntil == null || until.isBefore(billedUntil)) {
            throw new IllegalStateException("Billing of plan " + id + " cannot go back to " + until);
        }
        billedUntil = until;
    }

    /**
     * Reminds that the subscription's paid time ends at {@code expiresAt} in
     * {@code daysLeft} days (docs/alerts.md): what renewing for its own duration at the
     * current peak costs, and whether it will not renew by itself.
     */
    void remindOfExpiry(int daysLeft, Money renewalPrice, Money balance) {
        requireSubscription();
        events.register(EventType.BANDWIDTH_PLAN_EXPIRING,
                ExpiryReminders.expiring(daysLeft, Objects.requireNonNull(expiresAt, "a subscription's expiry"),
                        renewalPrice, renewalAtRisk(renewalPrice, balance)));
    }

    /**
     * Whether the subscription will not renew by itself at its expiry: auto-renewal is
     * off, or on with a balance that does not cover the renewal now.
     */
    boolean renewalAtRisk(Money renewalPrice, Money balance) {
        return ExpiryReminders.renewalAtRisk(autoRenew, renewalPrice, balance);
    }

    /** What happened to the plan since it was last written. */
    RegisteredEvents events() {
        return events;
    }

    boolean isSubscription() {
        return paymentType == PaymentType.SUBSCRIPTION;
    }

    UUID id() {
        return id;
    }

    UUID accountId() {
        return accountId;
    }

    BandwidthRegion region() {
        return region;
    }

    PaymentType paymentType() {
        return paymentType;
    }

    @Nullable ChargeType chargeType() {
        return chargeType;
    }

    @Nullable PlanDuration duration() {
        return duration;
    }

    boolean autoRenewEnabled() {
        return autoRenew;
    }

    int peakMbps() {
        return peakMbps;
    }

    PlanStatus status() {
        return status;
    }

    @Nullable UUID officeNetworkId() {
        return officeNetworkId;
    }

    String ipAddress() {
        return ipAddress;
    }

    Instant createdAt() {
        return createdAt;
    }

    @Nullable Instant expiresAt() {
        return expiresAt;
    }

    @Nullable Instant endedAt() {
        return endedAt;
    }

    @Nullable Instant billedUntil() {
        return billedUntil;
    }

}
