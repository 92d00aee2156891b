package io.planbilling.trafficpackage;

import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.EventType;
import io.planbilling.shared.ExpiryReminders;
import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.Money;
import io.planbilling.shared.ProblemException;
import io.planbilling.shared.RegisteredEvents;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One traffic package cycle: its capacity, what it has offset, its devices and its money.
 * The rules of docs/traffic-packages.md are its methods; each checks the state it needs
 * and throws a problem with a stable code, and registers what happened (the
 * {@code traffic_package.*} events of docs/events.md). Persistence is elsewhere
 * ({@link TrafficPackageRepository}, which publishes the registered events when it writes
 * the package); callers hold the package's row lock while they change it.
 *
 * <p>
 * Cohesion: the rules here all read the same cycle (its status and validity, its capacity
 * and use, its type, its pending downgrade, what was paid) and most change more than one
 * of these at once (an upgrade changes type, capacity, device limit, price and paid; an
 * unsubscription status, devices, auto-renewal and the pending change; a renewal reads
 * the pending change to make the next cycle), so they stay in one class. What needs only
 * part of it lives beside it: the binding rules in {@link BoundDevices}, the request
 * rules in the commands ({@link PurchaseCommand}, {@link BindCommand},
 * {@link TierChangeCommand}), the list prices in {@link TrafficPrices}. Its fields,
 * constructor and accessors are a third of the class.
 */
final class TrafficPackage {

    private final UUID id;

    private final UUID accountId;

    private TrafficPackageType type;

    private final TrafficRegion region;

    private TrafficPackageStatus status;

    private long capacityBytes;

    private long usedBytes;

    private int maxDevices;

    private boolean autoRenew;

    private Money price;

    private Money paid;

    private final Instant validFrom;

    private final Instant validUntil;

    private @Nullable Instant endedAt;

    private @Nullable TrafficPackageType pendingType;

    private @Nullable List<UUID> pendingDevices;

    private @Nullable String renewalFailure;

    private final @Nullable UUID predecessorId;

    private @Nullable UUID successorId;

    private final BoundDevices devices;

    private final Instant createdAt;

    private final SortedSet<Integer> thresholdsReached;

    private final RegisteredEvents events = new RegisteredEvents();

    TrafficPackage(UUID id, UUID accountId, TrafficPackageType type, TrafficRegion region, TrafficPackageStatus status,
            long capacityBytes, long usedBytes, int maxDevices, boolean autoRenew, Money price, Money paid,
            Instant validFrom, Instant validUntil, @Nullable Instant endedAt, @Nullable TrafficPackageType pendingType,
            @Nullable List<UUID> pendingDevices, @Nullable String renewalFailure, @Nullable UUID predecessorId,
            @Nullable UUID successorId, List<UUID> deviceIds, Instant createdAt,
            Collection<Integer> thresholdsReached) {
        this.id = id;
        this.accountId = accountId;
        this.type = type;
        this.region = region;
        this.status = status;
        this.capacityBytes = capacityBytes;
        this.usedBytes = usedBytes;
        this.maxDevices = maxDevices;
        this.autoRenew = autoRenew;
        this.price = price;
        this.paid = paid;
        this.validFrom = validFrom;
        this.validUntil = validUntil;
        this.endedAt = endedAt;
        this.pendingType = pendingType;
        this.pendingDevices = pendingDevices == null ? null : List.copyOf(pendingDevices);
        this.renewalFailure = renewalFailure;
        this.predecessorId = predecessorId;
        this.successorId = successorId;
        this.devices = new BoundDevices(deviceIds);
        this.createdAt = createdAt;
        this.thresholdsReached = new TreeSet<>(thresholdsReached);
    }

    /**
     * The package {@code command} buys at {@code at} (docs/traffic-packages.md): valid
     * for one calendar month in {@code zone}, paid {@code price}, with the command's
     * devices bound (the command has checked them against the type's limit).
     */
    static TrafficPackage purchase(UUID id, UUID accountId, PurchaseCommand command, Money price, Instant at,
            ZoneId zone) {
        TrafficPackageType type = command.type();
        TrafficPackage pkg = new TrafficPackage(id, accountId, type, command.region(), TrafficPackageStatus.ACTIVE,
                type.capacityBytes(), 0, type.maxDevices(), command.autoRenew(), price, price, at, validUntil(at, zone),
                null, null, null, null, null, null, BoundDevices.inBindingOrder(command.deviceIds()), at, List.of());
        pkg.events.register(EventType.TRAFFIC_PACKAGE_PURCHASED);
        return pkg;
    }

    /**
     * The end of a cycle that starts at {@code from}: the same day of the next month at
     * the same local time in {@code zone}, clamped to that month's last day (Jan 31 → Feb
     * 28 or 29).
     */
    public static Instant validUntil(Instant from, ZoneId zone) {
        return from.atZone(zone).plusMonths(1).toInstant();
    }

    /**
     * Live: active and not yet past its validity. An active package past its expiry reads
     * as expired.
     */
    public boolean isLive(Instant now) {
        return status == TrafficPackageStatus.ACTIVE && now.isBefore(validUntil);
    }

    /**
     * The status as of {@code now}: an active package whose validity has run out is
     * expired even before the lifecycle job marks it.
     */
    public TrafficPackageStatus statusAt(Instant now) {
        return status == TrafficPackageStatus.ACTIVE && !now.isBefore(validUntil) ? TrafficPackageStatus.EXPIRED
                : status;
    }

    /**
     * Binds more devices (rule 4); the caller has checked that none is bound to another
     * live package.
     */
    public void bind(List<UUID> more, Instant now) {
        requireLive(now, "bound");
        List<UUID> bound = devices.bind(more, type, id);
        events.register(EventType.TRAFFIC_PACKAGE_BOUND, "boundDeviceIds", bound);
    }

    /**
     * Offsets up to {@code bytes} of traffic that occurred at {@code at}; returns what it
     * covered. A package that reaches its capacity while active becomes {@code EXHAUSTED}
     * at that moment.
     */
    public long deduct(long bytes, Instant at) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("bytes must be positive: " + bytes);
        }
        long taken = Math.min(bytes, remainingBytes());
        usedBytes += taken;
        if (remainingBytes() == 0 && status == TrafficPackageStatus.ACTIVE) {
            status = TrafficPackageStatus.EXHAUSTED;
            endedAt = at;
            events.register(EventType.TRAFFIC_PACKAGE_EXHAUSTED);
        }
        return taken;
    }

    /**
     * Records that this cycle's usage has reached {@code threshold} percent of its
     * capacity (docs/alerts.md): the database has just claimed that alert for this cycle,
     * so it is registered once. A threshold stays reached for the rest of the cycle, an
     * upgrade included.
     */
    void reachUsageThreshold(int threshold) {
        if (thresholdsReached.add(threshold)) {
            events.register(EventType.TRAFFIC_PACKAGE_USAGE_THRESHOLD_REACHED, "threshold", threshold);
        }
    }

    /**
     * Reminds that this cycle ends at {@code validUntil} in {@code daysLeft} days
     * (docs/alerts.md): what renewing will cost, and whether the cycle will not renew by
     * itself.
     */
    void remindOfExpiry(int daysLeft, Money renewalPrice, Money balance) {
        events.register(EventType.TRAFFIC_PACKAGE_EXPIRING,
                ExpiryReminders.expiring(daysLeft, validUntil, renewalPrice, renewalAtRisk(renewalPrice, balance)));
    }

    /**
     * Whether this cycle will not renew by itself: auto-renewal is off, or on with a
     * balance that does not cover the renewal price now.
     */
    boolean renewalAtRisk(Money renewalPrice, Money balance) {
        return ExpiryReminders.renewalAtRisk(wantsAutoRenewal(), renewalPrice, balance);
    }

    /**
     * Upgrades to a larger type now (rule 9): capacity and device limit grow, usage,
     * bindings and expiry stay. The charge is the price difference prorated by the time
     * left in the cycle, rounded once half-even. A pending downgrade is dropped: the
     * customer has just chosen the larger type.
     * @return the charge
     */
    public Money upgrade(TrafficPackageType larger, Money largerPrice, Instant now) {
        requireLive(now, "upgraded");
        Money charge = upgradeCharge(largerPrice, now);
        type = larger;
        capacityBytes = larger.capacityBytes();
        maxDevices = larger.maxDevices();
        price = largerPrice;
        paid = paid.plus(charge);
        pendingType = null;
        pendingDevices = null;
        return charge;
    }

    /**
     * (new price − current price) × time left ÷ cycle length, half-even; never negative.
     */
    Money upgradeCharge(Money largerPrice, Instant now) {
        Money difference = largerPrice.minus(price);
        if (!difference.isPositive()) {
            return Money.zero(price.currency());
        }
        long left = Duration.between(now, validUntil).toMillis();
        long cycle = Duration.between(validFrom, validUntil).toMillis();
        return difference.times(BigDecimal.valueOf(left), BigDecimal.valueOf(cycle), Money.Rounding.CHARGE);
    }

    /**
     * Schedules a downgrade for the next cycle (rule 9). When more devices are bound than
     * the smaller type allows, {@code keep} must name the ones to keep; the named devices
     * must be bound to this package.
     */
    public void scheduleDowngrade(TrafficPackageType smaller, @Nullable List<UUID> keep, Instant now) {
        requireLive(now, "changed");
        List<UUID> kept = devices.toKeep(smaller, keep, id);
        pendingType = smaller;
        pendingDevices = kept;
    }

    /**
     * Upgrades now or schedules a downgrade, by the size of {@code target}. Returns the
     * charge (zero for a downgrade).
     */
    public Money changeTier(TrafficPackageType target, Money targetPrice, @Nullable List<UUID> keep, Instant now) {
        requireLive(now, "changed");
        if (target == type) {
            throw ProblemException.of(ErrorCode.TIER_UNCHANGED, "type", "is the package's current type",
                    "Package " + id + " is already of type " + type + ".");
        }
        if (target.isLargerThan(type)) {
            if (keep != null && !keep.isEmpty()) {
                throw ProblemException.invalid("deviceIds",
                        "is only for a downgrade; an upgrade keeps every bound device");
            }
            return upgrade(target, targetPrice, now);
        }
        scheduleDowngrade(target, keep, now);
        return Money.zero(price.currency());
    }

    /** Cancels the pending downgrade (rule 9). */
    public void cancelPendingChange(Instant now) {
        requireLive(now, "changed");
        if (pendingType == null) {
            throw new ProblemException(ErrorCode.NO_PENDING_CHANGE,
                    "Package " + id + " has no pending tier change to cancel.");
        }
        pendingType = null;
        pendingDevices = null;
    }

    /** Changes what happens at the end of the current cycle (rule 8); only while live. */
    public void changeAutoRenew(boolean enabled, Instant now) {
        requireLive(now, "changed");
        autoRenew = enabled;
    }

    /**
     * Ends the package now (rule 11): devices released, auto-renewal off, pending change
     * dropped. Refunds what was paid for the cycle × unused traffic ÷ capacity, rounded
     * down.
     * @return the refund
     */
    public Money unsubscribe(Instant now) {
        requireLive(now, "unsubscribed");
        Money refund = refundAmount();
        status = TrafficPackageStatus.UNSUBSCRIBED;
        endedAt = now;
        autoRenew = false;
        pendingType = null;
        pendingDevices = null;
        devices.clear();
        return refund;
    }

    Money refundAmount() {
        return paid.times(BigDecimal.valueOf(remainingBytes()), BigDecimal.valueOf(capacityBytes),
                Money.Rounding.REFUND);
    }

    /**
     * Marks an active package whose validity has run out as expired; false when there was
     * nothing to do.
     */
    public boolean expireIfDue(Instant now) {
        if (status == TrafficPackageStatus.ACTIVE && !now.isBefore(validUntil)) {
            status = TrafficPackageStatus.EXPIRED;
            endedAt = validUntil;
            events.register(EventType.TRAFFIC_PACKAGE_EXPIRED);
            return true;
        }
        return false;
    }

    /** A live package cannot be deleted (rule 12). */
    public void requireDeletable(Instant now) {
        if (isLive(now)) {
            throw new ProblemException(ErrorCode.PACKAGE_STILL_ACTIVE,
                    "Package " + id + " is still active until " + validUntil + "; unsubscribe it first.");
        }
    }

    /** Manual renewal needs a spent package without a successor (rule 10). */
    public void requireRenewable(Instant now) {
        if (isLive(now)) {
            throw new ProblemException(ErrorCode.PACKAGE_STILL_ACTIVE, "Package " + id + " is still active until "
                    + validUntil + "; packages do not stack, renew it once it is spent.");
        }
        if (status == TrafficPackageStatus.UNSUBSCRIBED) {
            throw new ProblemException(ErrorCode.PACKAGE_NOT_RENEWABLE,
                    "Package " + id + " was unsubscribed; buy a new package instead.");
        }
        if (successorId != null) {
            throw new ProblemException(ErrorCode.ALREADY_RENEWED,
                    "Package " + id + " was already renewed by package " + successorId + ".");
        }
    }

    /** Whether the end of this cycle should order a successor by itself. */
    public boolean wantsAutoRenewal() {
        return autoRenew && successorId == null && status != TrafficPackageStatus.UNSUBSCRIBED;
    }

    /**
     * What the next cycle costs: the price of {@link #nextType()} in this package's
     * region, as the list stands now.
     */
    public Money renewalPrice(TrafficPrices prices, BillingSettings settings) {
        return prices.price(nextType(), region, settings);
    }

    /** The type of the next cycle: the pending downgrade's, or the same. */
    public TrafficPackageType nextType() {
        return pendingType != null ? pendingType : type;
    }

    /**
     * The devices of the next cycle: those named to keep by a pending downgrade, or all
     * bound ones.
     */
    public List<UUID> nextDevices() {
        return pendingDevices != null ? pendingDevices : devices.ids();
    }

    /**
     * The next cycle, starting at {@code from}: the next type, same region and
     * auto-renewal, bound to {@code nextDevices}, paid {@code nextPrice}. Marks this
     * package as renewed.
     */
    public TrafficPackage renew(UUID successor, List<UUID> nextDevices, Money nextPrice, Instant from, ZoneId zone,
            Instant now) {
        if (successorId != null) {
            throw new IllegalStateException("Package " + id + " already has a successor");
        }
        TrafficPackageType next = nextType();
        TrafficPackage renewed = new TrafficPackage(successor, accountId, next, region, TrafficPackageStatus.ACTIVE,
                next.capacityBytes(), 0, next.maxDevices(), autoRenew, nextPrice, nextPrice, from,
                validUntil(from, zone), null, null, null, null, id, null, BoundDevices.inBindingOrder(nextDevices), now,
                List.of());
        renewed.events.register(EventType.TRAFFIC_PACKAGE_RENEWED);
        successorId = successor;
        renewalFailure = null;
        return renewed;
    }

    /** Records why the auto-renewal at the end of this cycle did not happen (rule 8). */
    public void failRenewal(String reason) {
        if (!reason.equals(renewalFailure)) {
            events.register(EventType.TRAFFIC_PACKAGE_RENEWAL_FAILED);
        }
        renewalFailure = reason;
    }

    private void requireLive(Instant now, String verb) {
        if (!isLive(now)) {
            throw new ProblemException(ErrorCode.PACKAGE_NOT_ACTIVE,
                    "Package " + id + " is " + statusAt(now) + " and can no longer be " + verb + ".");
        }
    }

    /** What happened to the package since it was last written. */
    RegisteredEvents events() {
        return events;
    }

    public long remainingBytes() {
        return capacityBytes - usedBytes;
    }

    public UUID id() {
        return id;
    }

    public UUID accountId() {
        return accountId;
    }

    public TrafficPackageType type() {
        return type;
    }

    public TrafficRegion region() {
        return region;
    }

    public TrafficPackageStatus status() {
        return status;
    }

    public long capacityBytes() {
        return capacityBytes;
    }

    public long usedBytes() {
        return usedBytes;
    }

    public int maxDevices() {
        return maxDevices;
    }

    public boolean autoRenew() {
        return autoRenew;
    }

    public Money price() {
        return price;
    }

    public Money paid() {
        return paid;
    }

    public Instant validFrom() {
        return validFrom;
    }

    public Instant validUntil() {
        return validUntil;
    }

    public @Nullable Instant endedAt() {
        return endedAt;
    }

    public @Nullable TrafficPackageType pendingType() {
        return pendingType;
    }

    public @Nullable List<UUID> pendingDevices() {
        return pendingDevices;
    }

    public @Nullable String renewalFailure() {
        return renewalFailure;
    }

    public @Nullable UUID predecessorId() {
        return predecessorId;
    }

    public @Nullable UUID successorId() {
        return successorId;
    }

    public List<UUID> deviceIds() {
        return devices.ids();
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** The usage thresholds (percent) reached in this cycle, ascending. */
    public List<Integer> thresholdsReached() {
        return List.copyOf(thresholdsReached);
    }

}
