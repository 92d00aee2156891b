package io.planbilling.bandwidthplan;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A speed-limit rule: upstream and downstream limits for a set of the plan's network's
 * cloud phones.
 */
record SpeedLimitRuleView(UUID id, @Schema(example = "design team") String name,
        @Schema(example = "5") int upstreamMbps, @Schema(example = "10") int downstreamMbps, List<UUID> cloudPhoneIds,
        Instant createdAt) {
}
