package io.planbilling.trafficpackage;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * One metered record as posted. Fields are read loosely (strings, any JSON value for
 * {@code bytes}) and checked by the service, so that one response can name every bad
 * record of a batch instead of stopping at the first unreadable value: {@code @Nullable}
 * in Java for that reason only, every field is required by the API (so the document
 * says).
 */
public record UsageRecordInput(@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
        description = "the metering pipeline's own id of the record, 1–64 characters", minLength = 1,
        maxLength = UsageRecordParser.MAX_ID_LENGTH, example = "gw-sh-01:2026-11-22T08:30:00Z:42") @Nullable String id,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "the device that generated the traffic",
                format = "uuid", maxLength = 36,
                example = "6f1c1c0e-4a53-4b51-9d0e-1b7cc0f3e5a1") @Nullable String deviceId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                description = "region of the acceleration gateway that carried it", allowableValues = {
                        "GUANGZHOU", "SILICON_VALLEY" },
                example = "GUANGZHOU") @Nullable String region,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "bytes, a whole number greater than 0",
                type = "integer", types = "integer", format = "int64", minimum = "1",
                example = "1073741824") @Nullable Object bytes,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                description = "when the traffic occurred (not in the future)", format = "date-time",
                example = "2026-11-22T08:30:00Z") @Nullable String occurredAt){
}
