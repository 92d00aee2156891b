package io.planbilling.trafficpackage;

import io.planbilling.shared.ProblemException;
import java.util.List;
import java.util.UUID;

/**
 * Devices to bind to a live package: at least one, each named once, or 400
 * {@code VALIDATION_FAILED} on {@code deviceIds}. The limit of the package's type is the
 * package's check ({@link TrafficPackage#bind}), since it counts what is already bound.
 */
record BindCommand(List<UUID> deviceIds) {

    BindCommand {
        deviceIds = BoundDevices.distinct(deviceIds);
        if (deviceIds.isEmpty()) {
            throw ProblemException.invalid("deviceIds", "must name at least one device");
        }
    }

}
