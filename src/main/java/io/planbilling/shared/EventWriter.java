package io.planbilling.shared;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Where the {@link EventOutbox} writes a transaction's events, implemented by the module
 * that owns the event table (the events module, which also reads it for the feed and the
 * webhooks). Called once per transaction, just before it commits, on that transaction's
 * connection.
 */
public interface EventWriter {

    /**
     * One event as stored.
     *
     * @param payload the event's {@code data}, as JSON
     */
    record Row(String type, int version, UUID accountId, String resourceType, UUID resourceId, Instant occurredAt,
            String payload) {
    }

    /** Writes the rows in order, set-based (one statement for the batch). */
    void write(List<Row> rows);

}
