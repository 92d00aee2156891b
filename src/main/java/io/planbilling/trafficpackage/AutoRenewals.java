package io.planbilling.trafficpackage;

import io.planbilling.account.Accounts;
import io.planbilling.account.LedgerKind;
import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The automatic renewal at the end of a cycle (docs/traffic-packages.md), of any number
 * of packages at once and set-based: a lifecycle chunk of a thousand expiring packages
 * takes the same handful of statements as one package exhausted by a usage batch. The
 * outcome is that of renewing the packages one by one in the order given:
 * <ul>
 * <li>each successor is paid {@code AUTO_RENEWAL} from its account's balance when the
 * balance covers it at its turn ({@link Accounts#tryChargeAll}); otherwise nothing is
 * created and the package records {@code renewalFailure};</li>
 * <li>its devices are the next cycle's ({@link TrafficPackage#nextDevices}: a pending
 * downgrade's kept devices, or all bound ones) less those bound to another live package —
 * whether bound before the chunk or to a successor given them earlier in it;</li>
 * <li>it starts when its predecessor's cycle ended, or now when a cycle starting then
 * would already be over.</li>
 * </ul>
 * Callers hold the packages' row locks. Locks are then taken in the one order (packages,
 * devices, accounts): every device a successor may bind first, then the accounts. The
 * unique {@code predecessor_id} makes a second successor of a package impossible,
 * whatever runs concurrently.
 */
@Component
class AutoRenewals {

    /** A package whose cycle ended at {@code endedAt} (expiry or exhaustion). */
    record Ended(TrafficPackage pkg, Instant endedAt) {
    }

    private final TrafficPackageRepository packages;

    private final DeviceRepository devices;

    private final Accounts accounts;

    private final TrafficPrices prices;

    private final BillingSettings settings;

    AutoRenewals(TrafficPackageRepository packages, DeviceRepository devices, Accounts accounts, TrafficPrices prices,
            BillingSettings settings) {
        this.packages = packages;
        this.devices = devices;
        this.accounts = accounts;
        this.prices = prices;
        this.settings = settings;
    }

    /**
     * Renews every package of {@code ended} (each wants its auto-renewal), writes them
     * and their successors, and answers the successors by predecessor id; a package
     * absent from the answer recorded its {@code renewalFailure}.
     */
    Map<UUID, TrafficPackage> renew(List<Ended> ended, Instant now) {
        if (ended.isEmpty()) {
            return Map.of();
        }
        List<UUID> wanted = ended.stream().flatMap(e -> e.pkg().nextDevices().stream()).distinct().toList();
        devices.lockAll(wanted);
        Set<UUID> taken = new HashSet<>();
        // the renewed packages are spent, though a row may still read live (an exhaustion
        // not yet written): their own bindings never take a device
        packages.liveBindings(wanted, now, ended.stream().map(e -> e.pkg().id()).toList())
            .forEach(binding -> taken.add(binding.deviceId()));
        List<Accounts.Debit> debits = new ArrayList<>();
        List<UUID> successorIds = new ArrayList<>();
        for (Ended e : ended) {
            TrafficPackage pkg = e.pkg();
            UUID successorId = UUID.randomUUID();
            successorIds.add(successorId);
            debits.add(new Accounts.Debit(pkg.accountId(), pkg.renewalPrice(prices, settings), LedgerKind.AUTO_RENEWAL,
                    Renewals.RESOURCE_TYPE, successorId,
                    "Auto-renewal of " + pkg.nextType() + " " + pkg.region() + " package " + pkg.id()));
        }
        List<Boolean> paid = accounts.tryChargeAll(debits);
        Map<UUID, TrafficPackage> successors = new LinkedHashMap<>();
        for (int i = 0; i < ended.size(); i++) {
            TrafficPackage pkg = ended.get(i).pkg();
            if (!paid.get(i)) {
                pkg.failRenewal(ErrorCode.INSUFFICIENT_BALANCE.name());
                continue;
            }
            Instant endedAt = ended.get(i).endedAt();
            Instant from = TrafficPackage.validUntil(endedAt, settings.zone()).isAfter(now) ? endedAt : now;
            List<UUID> free = new ArrayList<>(pkg.nextDevices());
            free.removeAll(taken);
            // a successor is live now: the devices it binds are taken for the packages
            // after it
            taken.addAll(free);
            successors.put(pkg.id(),
                    pkg.renew(successorIds.get(i), free, debits.get(i).amount(), from, settings.zone(), now));
        }
        packages.updateAll(ended.stream().map(Ended::pkg).toList());
        packages.insertAll(successors.values());
        return successors;
    }

}
