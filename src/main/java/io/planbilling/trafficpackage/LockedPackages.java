package io.planbilling.trafficpackage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The packages a usage batch holds the row locks of ({@link UsageLocks}), and the device
 * bindings of each, as the allocation needs them. Successors ordered during the batch
 * join it ({@link #adopt}).
 */
final class LockedPackages {

    /**
     * A binding as the allocation needs it: from when, and until when (an unsubscribe
     * releases devices).
     */
    record Binding(UUID packageId, Instant boundAt, @Nullable Instant unboundAt) {

        boolean heldAt(Instant at) {
            return !boundAt.isAfter(at) && (unboundAt == null || unboundAt.isAfter(at));
        }

    }

    private final Map<UUID, TrafficPackage> packages = new HashMap<>();

    private final Map<UUID, List<Binding>> bindings = new HashMap<>();

    LockedPackages(Collection<TrafficPackage> packages, Map<UUID, List<Binding>> bindingsByDevice) {
        packages.forEach(pkg -> this.packages.put(pkg.id(), pkg));
        bindingsByDevice.forEach((device, held) -> this.bindings.put(device, new ArrayList<>(held)));
    }

    @Nullable TrafficPackage get(@Nullable UUID id) {
        return id == null ? null : packages.get(id);
    }

    /** Every locked package (a copy: renewals add to the set while it is walked). */
    List<TrafficPackage> all() {
        return List.copyOf(packages.values());
    }

    List<Binding> bindingsOf(UUID deviceId) {
        return bindings.getOrDefault(deviceId, List.of());
    }

    /**
     * A successor this batch ordered: locked (it was just inserted) and bound to its
     * devices from its start.
     */
    void adopt(TrafficPackage successor) {
        packages.put(successor.id(), successor);
        for (UUID device : successor.deviceIds()) {
            bindings.computeIfAbsent(device, k -> new ArrayList<>())
                .add(new Binding(successor.id(), successor.validFrom(), null));
        }
    }

}
