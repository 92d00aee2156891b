package io.planbilling.trafficpackage;

import java.time.Instant;
import java.util.UUID;

/**
 * A usage record whose fields read: what {@link UsageRecordParser} makes of a
 * {@link UsageRecordInput}. Whether its device exists is the next check.
 *
 * @param index its position in the batch
 */
record UsageRecord(int index, String id, UUID deviceId, TrafficRegion region, long bytes, Instant occurredAt) {

    /** The same record at another position (in a group of batches). */
    UsageRecord at(int position) {
        return new UsageRecord(position, id, deviceId, region, bytes, occurredAt);
    }

}
