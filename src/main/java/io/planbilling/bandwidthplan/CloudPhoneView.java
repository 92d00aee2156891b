package io.planbilling.bandwidthplan;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

/** A cloud phone instance in an office network. */
record CloudPhoneView(UUID id, @Schema(example = "phone-01") String name, UUID officeNetworkId, Instant createdAt) {
}
