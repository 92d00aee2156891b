package io.planbilling.bandwidthplan;

import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.EventType;
import io.planbilling.shared.FieldViolation;
import io.planbilling.shared.Money;
import io.planbilling.shared.ProblemException;
import io.planbilling.shared.RegisteredEvents;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A premium bandwidth plan: the aggregate that guards its status, its association, its
 * peak and its term. Other aggregates (the office network, the account) are held by id.
 * Its methods register what happened to it (the {@code bandwidth_plan.*} events of
 * docs/events.md); {@link BandwidthPlanRepository} publishes them when it writes the
 * plan.
 */
final class BandwidthPlan {

    static final int MIN_PEAK_MBPS = 2;

    private final UUID id;

    private final UUID accountId;

    private final String region;

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

    BandwidthPlan(UUID id, UUID accountId, String region, PaymentType paymentType, @Nullable ChargeType chargeType,
            @Nullable PlanDuration duration, boolean autoRenew, int peakMbps, PlanStatus status,
            @Nullable UUID officeNetworkId, String ipAddress, Instant createdAt, @Nullable Instant expiresAt,
            @Nullable Instant endedAt, @Nullable Instant billedUntil) {
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

    /** A subscription paid now for {@code duration} from {@code now}. */
    static BandwidthPlan subscribe(UUID id, UUID accountId, String region, PlanDuration duration, boolean autoRenew,
            int peakMbps, String ipAddress, Instant now, ZoneId zone) {
        if (autoRenew && duration.isOneWeek()) {
            throw autoRenewNotAllowed();
        }
        requirePeakInRange(peakMbps, maxPeak(PaymentType.SUBSCRIPTION, null), null);
        BandwidthPlan plan = new BandwidthPlan(id, accountId, region, PaymentType.SUBSCRIPTION, null, duration,
                autoRenew, peakMbps, PlanStatus.NOT_ASSOCIATED, null, ipAddress, now, duration.after(now, zone), null,
                null);
        plan.events.register(EventType.BANDWIDTH_PLAN_PURCHASED);
        return plan;
    }

    /** A pay-as-you-go plan, billed from {@code now} on. */
    static BandwidthPlan payAsYouGo(UUID id, UUID accountId, String region, ChargeType chargeType, int peakMbps,
            String ipAddress, Instant now) {
        requirePeakInRange(peakMbps, chargeType.maxPeakMbps(), chargeType);
        BandwidthPlan plan = new BandwidthPlan(id, accountId, region, PaymentType.PAY_AS_YOU_GO, chargeType, null,
                false, peakMbps, PlanStatus.NOT_ASSOCIATED, null, ipAddress, now, null, null, now);
        plan.events.register(EventType.BANDWIDTH_PLAN_PURCHASED);
        return plan;
    }

    static ProblemException autoRenewNotAllowed() {
        return ProblemException.of(ErrorCode.AUTO_RENEW_NOT_ALLOWED, "autoRenew",
                "must not be true with a one-week duration", "Auto-renewal is not offered for one-week subscriptions.");
    }

    static int maxPeak(PaymentType paymentType, @Nullable ChargeType chargeType) {
        return paymentType == PaymentType.PAY_AS_YOU_GO && chargeType != null ? chargeType.maxPeakMbps() : 1000;
    }

    static void requirePeakInRange(int mbps, int max, @Nullable ChargeType chargeType) {
        if (mbps < MIN_PEAK_MBPS || mbps > max) {
            throw ProblemException.invalid("peakBandwidthMbps", "must be between " + MIN_PEAK_MBPS + " and " + max
                    + (chargeType == null ? "" : " for " + chargeType));
        }
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

    /** Sets a new peak, effective at once; answers the previous peak. */
    int changePeak(int mbps, Instant now) {
        requireLive(now);
        requirePeakInRange(mbps, maxPeak(paymentType, chargeType), chargeType);
        int previous = peakMbps;
        peakMbps = mbps;
        if (previous != mbps) {
            events.register(EventType.BANDWIDTH_PLAN_CHANGED, "previousPeakBandwidthMbps", previous);
        }
        return previous;
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
     * @return the new term's start (the old expiry)
     */
    Instant renew(PlanDuration by, Instant now, ZoneId zone) {
        requireSubscription();
        Instant currentExpiry = Objects.requireNonNull(expiresAt);
        if (status == PlanStatus.EXPIRED || !currentExpiry.isAfter(now)) {
            throw new ProblemException(ErrorCode.PLAN_EXPIRED,
                    "Bandwidth plan " + id + " expired at " + currentExpiry + "; buy a new plan instead.");
        }
        requireNotEnded();
        expiresAt = by.after(currentExpiry, zone);
        events.register(EventType.BANDWIDTH_PLAN_RENEWED, "previousExpiresAt", currentExpiry);
        return currentExpiry;
    }

    /**
     * Auto-renewal at expiry for the subscription's own duration; answers the new term's
     * start.
     */
    Instant autoRenew(ZoneId zone) {
        Instant currentExpiry = Objects.requireNonNull(expiresAt);
        expiresAt = Objects.requireNonNull(duration).after(currentExpiry, zone);
        events.register(EventType.BANDWIDTH_PLAN_RENEWED, "previousExpiresAt", currentExpiry);
        return currentExpiry;
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
        Map<String, @Nullable Object> change = new LinkedHashMap<>();
        change.put("daysLeft", daysLeft);
        change.put("endsAt", expiresAt);
        change.put("renewalPrice", renewalPrice);
        change.put("renewalAtRisk", renewalAtRisk(renewalPrice, balance));
        events.register(EventType.BANDWIDTH_PLAN_EXPIRING, change);
    }

    /**
     * Whether the subscription will not renew by itself at its expiry: auto-renewal is
     * off, or on with a balance that does not cover the renewal now.
     */
    boolean renewalAtRisk(Money renewalPrice, Money balance) {
        return !autoRenew || balance.compareTo(renewalPrice) < 0;
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

    String region() {
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
