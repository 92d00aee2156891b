package io.planbilling.bandwidthplan;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One minute of one network's traffic as posted; checked record by record so that every
 * bad one is listed (hence {@code @Nullable} in Java; every field is required by the
 * API).
 */
record SampleInput(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) @Nullable UUID officeNetworkId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "2026-11-22T08:30:00Z",
                description = "the minute's start, whole minutes only") @Nullable Instant minute,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "75000000") @Nullable Long inboundBytes,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "12000000") @Nullable Long outboundBytes) {
}
