package io.planbilling.bandwidthplan;

import java.time.Instant;
import java.util.UUID;

/**
 * A bandwidth sample whose fields read: what {@link SampleParser} makes of a
 * {@link SampleInput}. Whether its network exists is the next check.
 *
 * @param index its position in the batch
 */
record Sample(int index, UUID officeNetworkId, Instant minute, long inboundBytes, long outboundBytes) {

    /** The same sample at another position (in a group of batches). */
    Sample at(int position) {
        return new Sample(position, officeNetworkId, minute, inboundBytes, outboundBytes);
    }

    /** The row it writes: one per network and minute. */
    String key() {
        return officeNetworkId + "@" + minute;
    }

}
