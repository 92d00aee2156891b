package io.planbilling.trafficpackage;

import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A tier change: the target type and, for a downgrade, the bound devices to keep, each
 * named once (400 {@code VALIDATION_FAILED} on {@code deviceIds} otherwise). Whether the
 * change is an upgrade or a downgrade, and whether the devices are bound, depends on the
 * package: {@link TrafficPackage#changeTier}.
 *
 * @param keep null when the request names no devices
 */
record TierChangeCommand(TrafficPackageType type, @Nullable List<UUID> keep) {

    TierChangeCommand {
        keep = keep == null ? null : BoundDevices.distinct(keep);
    }

}
