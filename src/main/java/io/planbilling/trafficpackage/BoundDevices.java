package io.planbilling.trafficpackage;

import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.ProblemException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The devices bound to one package cycle and the rules of binding them
 * (docs/traffic-packages.md): a device is bound once, a type binds at most its device
 * limit, and a downgrade keeps only devices that are bound. Part of
 * {@link TrafficPackage}, which decides when these rules apply (a live package, a
 * downgrade); whether a device is bound to another package is the caller's check, since
 * it needs the database.
 */
final class BoundDevices {

    private static final String FIELD = "deviceIds";

    private final List<UUID> ids;

    BoundDevices(List<UUID> ids) {
        this.ids = new ArrayList<>(ids);
    }

    /**
     * Binds {@code more} up to {@code type}'s limit; answers them in binding order.
     */
    List<UUID> bind(List<UUID> more, TrafficPackageType type, UUID packageId) {
        for (UUID device : more) {
            if (ids.contains(device)) {
                throw ProblemException.of(ErrorCode.DEVICE_ALREADY_BOUND, FIELD,
                        "device " + device + " is already bound to this package",
                        "Device " + device + " is already bound to package " + packageId + ".");
            }
        }
        requireWithinLimit(type, ids.size() + more.size());
        List<UUID> bound = inBindingOrder(more);
        ids.addAll(bound);
        return bound;
    }

    /**
     * The devices a downgrade to {@code smaller} keeps: {@code keep}, which must be bound
     * and within the smaller limit; or null (all of them) when {@code keep} names none,
     * which needs all bound devices to fit.
     */
    @Nullable List<UUID> toKeep(TrafficPackageType smaller, @Nullable List<UUID> keep, UUID packageId) {
        if (keep != null && !keep.isEmpty()) {
            for (UUID device : keep) {
                if (!ids.contains(device)) {
                    throw ProblemException.of(ErrorCode.DEVICE_NOT_BOUND, FIELD,
                            "device " + device + " is not bound to this package",
                            "Only devices bound to package " + packageId + " can be kept; " + device + " is not.");
                }
            }
            requireWithinLimit(smaller, keep.size());
            return List.copyOf(keep);
        }
        if (ids.size() > smaller.maxDevices()) {
            throw ProblemException.of(ErrorCode.DEVICE_LIMIT_EXCEEDED, FIELD,
                    "name at most " + smaller.maxDevices() + " of the " + ids.size() + " bound devices to keep",
                    "Package type " + smaller + " binds at most " + devices(smaller.maxDevices()) + "; " + ids.size()
                            + " are bound, so deviceIds must name the ones to keep.");
        }
        return null;
    }

    void clear() {
        ids.clear();
    }

    List<UUID> ids() {
        return List.copyOf(ids);
    }

    /** At most {@code type}'s device limit: 422 {@code DEVICE_LIMIT_EXCEEDED} beyond. */
    static void requireWithinLimit(TrafficPackageType type, int devices) {
        if (devices > type.maxDevices()) {
            throw ProblemException.of(ErrorCode.DEVICE_LIMIT_EXCEEDED, FIELD, "at most " + devices(type.maxDevices()),
                    "Package type " + type + " binds at most " + devices(type.maxDevices()) + "; " + devices
                            + " would be bound.");
        }
    }

    /**
     * Devices bound at one moment in the order the store reads bindings back (by when
     * they were bound, then by id as PostgreSQL compares uuids: their text), so the
     * package in memory reads as the API will show it.
     */
    static List<UUID> inBindingOrder(List<UUID> devices) {
        return devices.stream().sorted(Comparator.comparing(UUID::toString)).toList();
    }

    /**
     * The ids of a request's {@code deviceIds}, in order; a repeated id is 400
     * {@code VALIDATION_FAILED}.
     */
    static List<UUID> distinct(List<UUID> ids) {
        Set<UUID> seen = new LinkedHashSet<>();
        for (UUID id : ids) {
            if (!seen.add(Objects.requireNonNull(id))) {
                throw ProblemException.invalid(FIELD, "must not repeat device " + id);
            }
        }
        return List.copyOf(seen);
    }

    private static String devices(int count) {
        return count + " device" + (count == 1 ? "" : "s");
    }

}
