package io.planbilling.bandwidthplan;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One minute of one network's traffic as posted; checked record by record so that every bad one is listed. */
public record SampleInput(@Nullable UUID officeNetworkId,
        @Schema(example = "2026-11-22T08:30:00Z", description = "the minute's start, whole minutes only")
        @Nullable Instant minute,
        @Schema(example = "75000000") @Nullable Long inboundBytes,
        @Schema(example = "12000000") @Nullable Long outboundBytes) {
}
