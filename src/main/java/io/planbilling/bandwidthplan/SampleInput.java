package io.planbilling.bandwidthplan;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * One minute of one network's traffic as posted. Fields are read loosely (strings, any
 * JSON value for the byte counts) and checked by the service, as every ingested record is
 * (docs/api-guide.md, batches), so that one response can name every bad sample of a batch
 * instead of stopping at the first unreadable value: {@code @Nullable} in Java for that
 * reason only, every field is required by the API (so the document says).
 */
public record SampleInput(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "uuid", maxLength = 36,
                example = "3f2a9c1e-7b6d-4e8f-9a0b-1c2d3e4f5a6b") @Nullable String officeNetworkId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "date-time", example = "2026-11-22T08:30:00Z",
                description = "the minute's start, whole minutes only") @Nullable String minute,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "bytes received, a whole number ≥ 0",
                type = "integer", types = "integer", format = "int64", minimum = "0",
                example = "75000000") @Nullable Object inboundBytes,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "bytes sent, a whole number ≥ 0",
                type = "integer", types = "integer", format = "int64", minimum = "0",
                example = "12000000") @Nullable Object outboundBytes) {
}
