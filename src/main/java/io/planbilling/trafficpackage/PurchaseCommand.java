package io.planbilling.trafficpackage;

import java.util.List;
import java.util.UUID;

/**
 * What a package purchase asks for, valid by construction: the devices are distinct and
 * within the type's limit, or the constructor throws the problem the API answers (400
 * {@code VALIDATION_FAILED}, 422 {@code DEVICE_LIMIT_EXCEEDED}). Whether each device
 * exists and is free needs the database and is checked by {@link TrafficPackages}.
 */
record PurchaseCommand(TrafficPackageType type, TrafficRegion region, List<UUID> deviceIds, boolean autoRenew) {

    PurchaseCommand {
        deviceIds = BoundDevices.distinct(deviceIds);
        BoundDevices.requireWithinLimit(type, deviceIds.size());
    }

}
