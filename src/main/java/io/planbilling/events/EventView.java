package io.planbilling.events;

import java.time.Instant;
import java.util.UUID;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One event, as the feed and webhooks deliver it.
 *
 * @param id unique: a consumer's key for de-duplicating at-least-once deliveries
 * @param type e.g. {@code traffic_package.exhausted}
 * @param version the version of the {@code data} shape: 2 for events written now, 1 for
 * those written before (docs/events.md, "Versions")
 * @param occurredAt the service clock at the change
 * @param data the resource's API view as the change's transaction left it, plus a few
 * fields of the change
 * @param cursor the feed position of this event: pass it as {@code after} to read what
 * follows
 * @param actor who caused it (the audit trail's actor)
 * @param requestId the request (or job run) that caused it
 */
record EventView(UUID id, String type, int version, UUID accountId, String resourceType, UUID resourceId,
        Instant occurredAt,
        @Schema(type = "object", types = "object",
                description = "the payload of the type (see the webhooks section)") JsonNode data,
        String cursor, String actor, @Nullable String requestId) {
}
