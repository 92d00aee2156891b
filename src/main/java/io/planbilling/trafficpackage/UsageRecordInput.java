package io.planbilling.trafficpackage;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * One metered record as posted. Fields are read loosely (strings) and checked by the service, so that one response
 * can name every bad record of a batch instead of stopping at the first unreadable value.
 */
public record UsageRecordInput(
        @Schema(description = "the metering pipeline's own id of the record, 1–64 characters", example = "gw-sh-01:2026-11-22T08:30:00Z:42")
        @Nullable String id,
        @Schema(description = "the device that generated the traffic", example = "6f1c1c0e-4a53-4b51-9d0e-1b7cc0f3e5a1")
        @Nullable String deviceId,
        @Schema(description = "region of the acceleration gateway that carried it", allowableValues = { "GUANGZHOU", "SILICON_VALLEY" }, example = "GUANGZHOU")
        @Nullable String region,
        @Schema(description = "bytes, greater than 0", example = "1073741824") @Nullable Long bytes,
        @Schema(description = "when the traffic occurred (not in the future)", example = "2026-11-22T08:30:00Z")
        @Nullable String occurredAt) {
}
