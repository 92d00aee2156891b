package io.planbilling.bandwidthplan;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An office network as the API shows it.
 *
 * @param bandwidthMode {@code PREMIUM} once an associated plan is applied
 * ({@code IN_USE}), else {@code BASIC}
 * @param effectivePeakMbps 5 on basic bandwidth, the plan's peak on premium
 * @param bandwidthPlanId the associated plan (also while the association is
 * {@code CHANGING}), or null
 */
record OfficeNetworkView(UUID id, @Schema(example = "Shanghai office") String name,
        @Schema(example = "cn-shanghai") String region, BandwidthMode bandwidthMode,
        @Schema(example = "5") int effectivePeakMbps, @Nullable UUID bandwidthPlanId, Instant createdAt) {
}
