package io.planbilling.trafficpackage;

import io.planbilling.shared.RecordSource;
import java.time.Instant;
import java.util.UUID;

/**
 * A usage record ready to apply: its fields read, its device known (whose account pays
 * and whose overage policy applies), and where it came from.
 */
record MeteredUsage(UsageRecord record, UUID accountId, OveragePolicy policy, RecordSource source) {

    int index() {
        return record.index();
    }

    String id() {
        return record.id();
    }

    UUID deviceId() {
        return record.deviceId();
    }

    TrafficRegion region() {
        return record.region();
    }

    long bytes() {
        return record.bytes();
    }

    Instant occurredAt() {
        return record.occurredAt();
    }

}
