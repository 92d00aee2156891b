package io.planbilling.trafficpackage;

import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a usage batch did (docs/traffic-packages.md, usage ingestion), one result per
 * posted record in the posted order.
 *
 * @param applied records applied by this batch
 * @param duplicates records whose id was seen before (in an earlier batch or earlier in
 * this one); their results are the original allocation
 */
public record UsageBatchResult(int applied, int duplicates, List<RecordResult> results) {

    /**
     * @param packageId the last package that offset part of the record (the successor
     * when it flowed into one)
     * @param packageBytes offset by packages
     * @param paygBytes billed pay-as-you-go
     * @param blockedBytes not billed because the device's overage policy is
     * {@code CUT_OFF}
     * @param duplicate whether the record had been applied before
     * @param reason why {@code paygBytes} or {@code blockedBytes} were not offset by a
     * package; null when packages offset every byte (and for records ingested before the
     * reason was kept)
     */
    public record RecordResult(String id, @Nullable UUID packageId, long packageBytes, long paygBytes,
            long blockedBytes, boolean duplicate, @Nullable UnoffsetReason reason) {
    }
}
