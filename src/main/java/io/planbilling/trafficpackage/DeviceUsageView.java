package io.planbilling.trafficpackage;

import java.time.Instant;
import java.util.UUID;

/**
 * A device's metered traffic that occurred in {@code [from, to)}, in bytes.
 *
 * @param packageBytes offset by packages
 * @param paygBytes billed pay-as-you-go
 * @param blockedBytes stopped because the device's overage policy is {@code CUT_OFF}
 */
record DeviceUsageView(UUID deviceId, Instant from, Instant to, long packageBytes, long paygBytes, long blockedBytes) {
}
