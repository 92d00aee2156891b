package io.planbilling.trafficpackage;

import io.planbilling.account.Accounts;
import io.planbilling.account.LedgerKind;
import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.Money;
import io.planbilling.shared.PageQuery;
import io.planbilling.shared.PageView;
import io.planbilling.shared.ProblemException;
import io.planbilling.shared.Quote;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The traffic package module's public face (docs/traffic-packages.md): catalog, purchase,
 * binding, auto-renewal settings, tier changes, renewal, unsubscribe and delete. Every
 * operation that moves money answers a {@link Quote}, so the same code serves the real
 * call and {@code ?preview=true} (run inside a rolled-back transaction).
 *
 * <p>
 * Lock order, the same everywhere: packages (by id), then devices (by id), then the
 * account (the ledger).
 */
@Service
class TrafficPackages {

    private final TrafficPackageRepository packages;

    private final DeviceRepository devices;

    private final Renewals renewals;

    private final Accounts accounts;

    private final TrafficPrices prices;

    private final BillingSettings settings;

    private final Clock clock;

    TrafficPackages(TrafficPackageRepository packages, DeviceRepository devices, Renewals renewals, Accounts accounts,
            TrafficPrices prices, BillingSettings settings, Clock clock) {
        this.packages = packages;
        this.devices = devices;
        this.renewals = renewals;
        this.accounts = accounts;
        this.prices = prices;
        this.settings = settings;
        this.clock = clock;
    }

    public TrafficCatalogView catalog() {
        List<TrafficCatalogView.Type> types = Arrays.stream(TrafficPackageType.values())
            .map(type -> new TrafficCatalogView.Type(type, type.capacityBytes(), type.maxDevices(),
                    Arrays.stream(TrafficRegion.values())
                        .map(region -> new TrafficCatalogView.RegionPrice(region, prices.price(type, region, settings)))
                        .toList()))
            .toList();
        List<TrafficCatalogView.Region> regions = Arrays.stream(TrafficRegion.values())
            .map(region -> new TrafficCatalogView.Region(region, region.description(),
                    prices.paygPerGb(region, settings)))
            .toList();
        return new TrafficCatalogView(types, regions);
    }

    /**
     * Buys a package now, paid {@code PURCHASE} from the balance (402 and nothing created
     * when it is short), with the command's devices bound, each one existing (422
     * {@code UNKNOWN_DEVICE}) and free (409 {@code DEVICE_ALREADY_BOUND}).
     */
    @Transactional
    public Quote<TrafficPackageView> purchase(UUID accountId, PurchaseCommand command) {
        Instant now = clock.instant();
        requireFree(accountId, command.deviceIds(), now, null);
        Money price = prices.price(command.type(), command.region(), settings);
        TrafficPackage pkg = TrafficPackage.purchase(UUID.randomUUID(), accountId, command, price, now,
                settings.zone());
        accounts.charge(accountId, price, LedgerKind.PURCHASE, Renewals.RESOURCE_TYPE, pkg.id(),
                "Purchase of " + command.type() + " " + command.region() + " package " + pkg.id());
        packages.insert(pkg);
        return quote(accountId, price, null, read(accountId, pkg.id(), now));
    }

    @Transactional(readOnly = true)
    public TrafficPackageView get(UUID accountId, UUID id) {
        return read(accountId, id, clock.instant());
    }

    /**
     * Newest first, without deleted packages; {@code status} as read now,
     * {@code deviceId}: packages it was bound to.
     */
    @Transactional(readOnly = true)
    public PageView<TrafficPackageView> list(UUID accountId, @Nullable TrafficPackageStatus status,
            @Nullable UUID deviceId, PageQuery page) {
        Instant now = clock.instant();
        List<TrafficPackageView> content = packages.page(accountId, status, deviceId, now, page)
            .stream()
            .map(pkg -> TrafficPackageView.of(pkg, now))
            .toList();
        return PageView.of(content, page, packages.count(accountId, status, deviceId, now));
    }

    /**
     * Binds more devices to a live package, up to its limit (rule 4); bindings last for
     * the cycle.
     */
    @Transactional
    public TrafficPackageView bind(UUID accountId, UUID id, BindCommand command) {
        List<UUID> wanted = command.deviceIds();
        Instant now = clock.instant();
        TrafficPackage pkg = lock(accountId, id);
        pkg.bind(wanted, now);
        requireFree(accountId, wanted, now, pkg.id());
        packages.bind(pkg, wanted, now);
        return read(accountId, id, now);
    }

    /**
     * Auto-renewal for the end of the current cycle (rule 8); only while the package is
     * live.
     */
    @Transactional
    public TrafficPackageView changeAutoRenew(UUID accountId, UUID id, boolean autoRenew) {
        return change(accountId, id, (pkg, now) -> pkg.changeAutoRenew(autoRenew, now));
    }

    /**
     * Upgrades now (charged {@code UPGRADE}: the price difference prorated by the time
     * left) or schedules a downgrade for the next cycle, keeping {@code deviceIds} when
     * more are bound than the smaller type allows (rule 9).
     */
    @Transactional
    public Quote<TrafficPackageView> changeTier(UUID accountId, UUID id, TierChangeCommand command) {
        TrafficPackageType type = command.type();
        Instant now = clock.instant();
        TrafficPackage pkg = lock(accountId, id);
        TrafficPackageType from = pkg.type();
        Money charge = pkg.changeTier(type, prices.price(type, pkg.region(), settings), command.keep(), now);
        accounts.charge(accountId, charge, LedgerKind.UPGRADE, Renewals.RESOURCE_TYPE, pkg.id(),
                "Upgrade of package " + pkg.id() + " from " + from + " to " + type);
        packages.update(pkg);
        return quote(accountId, charge, null, read(accountId, id, now));
    }

    /** Cancels a pending downgrade (rule 9). */
    @Transactional
    public TrafficPackageView cancelTierChange(UUID accountId, UUID id) {
        return change(accountId, id, TrafficPackage::cancelPendingChange);
    }

    /**
     * Renews a spent package now (rule 10): 409 {@code PACKAGE_STILL_ACTIVE} while it is
     * live.
     */
    @Transactional
    public Quote<TrafficPackageView> renew(UUID accountId, UUID id) {
        Instant now = clock.instant();
        TrafficPackage pkg = lock(accountId, id);
        TrafficPackage successor = renewals.renewNow(pkg, now);
        return quote(accountId, successor.price(), null, read(accountId, successor.id(), now));
    }

    /**
     * Ends a live package now and refunds the unused share of what was paid for it,
     * rounded down (rule 11).
     */
    @Transactional
    public Quote<TrafficPackageView> unsubscribe(UUID accountId, UUID id) {
        Instant now = clock.instant();
        TrafficPackage pkg = lock(accountId, id);
        Money refund = pkg.unsubscribe(now);
        packages.update(pkg);
        packages.unbindAll(pkg.id(), now);
        accounts.refund(accountId, refund, LedgerKind.REFUND, Renewals.RESOURCE_TYPE, pkg.id(),
                "Refund of unused traffic of unsubscribed package " + pkg.id());
        return quote(accountId, null, refund, read(accountId, id, now));
    }

    /**
     * Removes a spent or unsubscribed package from listings (rule 12); its ledger and
     * usage stay.
     */
    @Transactional
    public void delete(UUID accountId, UUID id) {
        Instant now = clock.instant();
        TrafficPackage pkg = lock(accountId, id);
        pkg.requireDeletable(now);
        packages.markDeleted(id, now);
    }

    private void requireFree(UUID accountId, List<UUID> wanted, Instant now, @Nullable UUID except) {
        if (wanted.isEmpty()) {
            return;
        }
        Set<UUID> found = new HashSet<>(devices.lock(accountId, wanted));
        for (UUID device : wanted) {
            if (!found.contains(device)) {
                throw ProblemException.of(ErrorCode.UNKNOWN_DEVICE, "deviceIds", "device " + device + " does not exist",
                        "Device " + device + " does not exist.");
            }
        }
        List<TrafficPackageRepository.DeviceBinding> bound = packages.liveBindings(wanted, now, except);
        if (!bound.isEmpty()) {
            TrafficPackageRepository.DeviceBinding first = bound.get(0);
            throw ProblemException.of(ErrorCode.DEVICE_ALREADY_BOUND, "deviceIds",
                    "device " + first.deviceId() + " is bound to live package " + first.packageId(),
                    "Device " + first.deviceId() + " is already bound to live package " + first.packageId()
                            + "; packages do not stack.");
        }
    }

    /** Applies a change that only the package's own row records, under its lock. */
    private TrafficPackageView change(UUID accountId, UUID id, BiConsumer<TrafficPackage, Instant> change) {
        Instant now = clock.instant();
        TrafficPackage pkg = lock(accountId, id);
        change.accept(pkg, now);
        packages.update(pkg);
        return read(accountId, id, now);
    }

    private TrafficPackage lock(UUID accountId, UUID id) {
        return packages.lock(accountId, id).orElseThrow(() -> ProblemException.notFound("Traffic package", id));
    }

    private TrafficPackageView read(UUID accountId, UUID id, Instant now) {
        return packages.find(accountId, id)
            .map(pkg -> TrafficPackageView.of(pkg, now))
            .orElseThrow(() -> ProblemException.notFound("Traffic package", id));
    }

    private Quote<TrafficPackageView> quote(UUID accountId, @Nullable Money charge, @Nullable Money refund,
            TrafficPackageView result) {
        return new Quote<>(charge == null ? settings.zero() : charge, refund == null ? settings.zero() : refund,
                accounts.balance(accountId), result);
    }

}
