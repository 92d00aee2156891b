package io.planbilling.trafficpackage;

import io.planbilling.account.Accounts;
import io.planbilling.account.LedgerKind;
import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.Money;
import io.planbilling.shared.ProblemException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Orders a package's successor (docs/traffic-packages.md): at exhaustion, at expiry and
 * on the customer's request. Callers hold the predecessor's row lock; the unique
 * {@code predecessor_id} makes a second successor impossible whatever runs concurrently.
 */
@Component
class Renewals {

    static final String RESOURCE_TYPE = "TRAFFIC_PACKAGE";

    private final TrafficPackageRepository packages;

    private final DeviceRepository devices;

    private final Accounts accounts;

    private final TrafficPrices prices;

    private final BillingSettings settings;

    private final AutoRenewals autoRenewals;

    Renewals(TrafficPackageRepository packages, DeviceRepository devices, Accounts accounts, TrafficPrices prices,
            BillingSettings settings, AutoRenewals autoRenewals) {
        this.packages = packages;
        this.devices = devices;
        this.accounts = accounts;
        this.prices = prices;
        this.settings = settings;
        this.autoRenewals = autoRenewals;
    }

    /**
     * The automatic renewal at the end of {@code pkg}'s cycle ({@link AutoRenewals} of
     * one package), paid {@code AUTO_RENEWAL} from the balance. When the balance does not
     * cover it, nothing is created and {@code pkg} records {@code renewalFailure}.
     * Devices bound to another live package in the meantime are left out of the
     * successor.
     * @param endedAt when the cycle ended (exhaustion or expiry); the successor starts
     * then, or now when a cycle starting then would already be over
     */
    Optional<TrafficPackage> renewAutomatically(TrafficPackage pkg, Instant endedAt, Instant now) {
        return Optional
            .ofNullable(autoRenewals.renew(List.of(new AutoRenewals.Ended(pkg, endedAt)), now).get(pkg.id()));
    }

    /**
     * The customer's renewal of a spent package, starting now and paid {@code RENEWAL}
     * (402 when the balance is short). A device of the next cycle that is bound to
     * another live package → 409 {@code DEVICE_ALREADY_BOUND}.
     */
    TrafficPackage renewNow(TrafficPackage pkg, Instant now) {
        pkg.requireRenewable(now);
        pkg.expireIfDue(now);
        List<UUID> next = pkg.nextDevices();
        devices.lock(pkg.accountId(), next);
        for (TrafficPackageRepository.DeviceBinding bound : packages.liveBindings(next, now, pkg.id())) {
            throw ProblemException.of(ErrorCode.DEVICE_ALREADY_BOUND, "deviceIds",
                    "device " + bound.deviceId() + " is bound to live package " + bound.packageId(),
                    "Device " + bound.deviceId() + " is already bound to live package " + bound.packageId()
                            + "; packages do not stack.");
        }
        Money price = pkg.renewalPrice(prices, settings);
        UUID successorId = UUID.randomUUID();
        accounts.charge(pkg.accountId(), price, LedgerKind.RENEWAL, RESOURCE_TYPE, successorId,
                "Renewal of " + pkg.nextType() + " " + pkg.region() + " package " + pkg.id());
        TrafficPackage successor = pkg.renew(successorId, next, price, now, settings.zone(), now);
        packages.update(pkg);
        packages.insert(successor);
        return successor;
    }

}
