package io.planbilling.trafficpackage;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The usage records table (docs/traffic-packages.md, usage ingestion): which record ids
 * were applied, each record's split and source, and the split of a record that drew on
 * several packages. Set-based: each method is one statement whatever the batch's size.
 */
@Repository
class UsageRecordRepository {

    private final JdbcClient jdbc;

    UsageRecordRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The ids among {@code ids} that an earlier batch applied. */
    Set<String> existing(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("SELECT id FROM traffic_usage_records WHERE id = ANY(CAST(:ids AS varchar[]))")
            .param("ids", ids.toArray(String[]::new))
            .query(String.class)
            .list());
    }

    /**
     * Stores the records with their split and source in one statement and answers the ids
     * it stored. {@code ON CONFLICT (id) DO NOTHING} on the primary key is what makes a
     * record count once: a concurrent batch carrying the same id waits on the key and,
     * once the first commits, stores nothing for it. Rows go in id order so that two such
     * batches cannot deadlock on each other's keys. A row posted over HTTP carries its
     * own request's id, whatever transaction stores it.
     */
    Set<String> claim(List<MeteredUsage> fresh, Map<String, UsageSplit> splits, Instant now) {
        if (fresh.isEmpty()) {
            return Set.of();
        }
        List<MeteredUsage> sorted = fresh.stream().sorted(Comparator.comparing(MeteredUsage::id)).toList();
        int n = sorted.size();
        String[] ids = new String[n];
        String[] accounts = new String[n];
        String[] deviceIds = new String[n];
        String[] regions = new String[n];
        long[] bytes = new long[n];
        String[] occurred = new String[n];
        String[] packageIds = new String[n];
        long[] packageBytes = new long[n];
        long[] paygBytes = new long[n];
        long[] blockedBytes = new long[n];
        String[] unitPrices = new String[n];
        String[] reasons = new String[n];
        String[] sources = new String[n];
        String[] requestIds = new String[n];
        for (int i = 0; i < n; i++) {
            MeteredUsage usage = sorted.get(i);
            UsageSplit split = UsageSplit.of(splits, usage);
            ids[i] = usage.id();
            accounts[i] = usage.accountId().toString();
            deviceIds[i] = usage.deviceId().toString();
            regions[i] = usage.region().name();
            bytes[i] = usage.bytes();
            occurred[i] = usage.occurredAt().toString();
            packageIds[i] = split.packageId == null ? null : split.packageId.toString();
            packageBytes[i] = split.packageBytes;
            paygBytes[i] = split.paygBytes;
            blockedBytes[i] = split.blockedBytes;
            unitPrices[i] = split.paygBytes > 0 ? split.paygUnitPrice.toPlainString() : null;
            reasons[i] = split.reason == null ? null : split.reason.name();
            sources[i] = usage.source().render();
            requestIds[i] = usage.source().requestId();
        }
        return new HashSet<>(jdbc
            .sql("""
                    INSERT INTO traffic_usage_records (id, account_id, device_id, region, bytes, occurred_at, received_at,
                                                       package_id, package_bytes, payg_bytes, blocked_bytes, payg_unit_price,
                                                       unoffset_reason, source, request_id)
                    SELECT u.id, u.account_id, u.device_id, u.region, u.bytes, u.occurred_at, :now,
                           u.package_id, u.package_bytes, u.payg_bytes, u.blocked_bytes, u.unit_price, u.reason,
                           u.source, coalesce(u.request_id, audit_request_id())
                    FROM unnest(CAST(:ids AS varchar[]), CAST(:accounts AS uuid[]), CAST(:devices AS uuid[]),
                                CAST(:regions AS varchar[]), CAST(:bytes AS bigint[]), CAST(:occurred AS timestamptz[]),
                                CAST(:packageIds AS uuid[]), CAST(:packageBytes AS bigint[]), CAST(:paygBytes AS bigint[]),
                                CAST(:blockedBytes AS bigint[]), CAST(:unitPrices AS numeric[]), CAST(:reasons AS varchar[]),
                                CAST(:sources AS text[]), CAST(:requestIds AS varchar[]))
                         AS u(id, account_id, device_id, region, bytes, occurred_at, package_id, package_bytes, payg_bytes,
                              blocked_bytes, unit_price, reason, source, request_id)
                    ORDER BY u.id
                    ON CONFLICT (id) DO NOTHING
                    RETURNING id
                    """)
            .param("ids", ids)
            .param("accounts", accounts)
            .param("devices", deviceIds)
            .param("regions", regions)
            .param("bytes", bytes)
            .param("occurred", occurred)
            .param("packageIds", packageIds)
            .param("packageBytes", packageBytes)
            .param("paygBytes", paygBytes)
            .param("blockedBytes", blockedBytes)
            .param("unitPrices", unitPrices)
            .param("reasons", reasons)
            .param("sources", sources)
            .param("requestIds", requestIds)
            .param("now", Timestamp.from(now))
            .query(String.class)
            .list());
    }

    /**
     * Records how the records that drew on more than one package (an exhausted one and
     * its successors) were split; a record offset by one package is fully described by
     * its own row.
     */
    void writeAllocations(List<MeteredUsage> applied, Map<String, UsageSplit> splits) {
        List<String> allocationRecords = new ArrayList<>();
        List<String> allocationPackages = new ArrayList<>();
        List<Long> allocationBytes = new ArrayList<>();
        for (MeteredUsage usage : applied) {
            UsageSplit split = UsageSplit.of(splits, usage);
            if (split.allocations.size() > 1) {
                split.allocations.forEach((packageId, bytes) -> {
                    allocationRecords.add(usage.id());
                    allocationPackages.add(packageId.toString());
                    allocationBytes.add(bytes);
                });
            }
        }
        if (allocationRecords.isEmpty()) {
            return;
        }
        jdbc.sql("""
                INSERT INTO traffic_usage_allocations (record_id, package_id, bytes)
                SELECT * FROM unnest(CAST(:records AS varchar[]), CAST(:packages AS uuid[]), CAST(:bytes AS bigint[]))
                """)
            .param("records", allocationRecords.toArray(String[]::new))
            .param("packages", allocationPackages.toArray(String[]::new))
            .param("bytes", allocationBytes.stream().mapToLong(Long::longValue).toArray())
            .update();
    }

    /** The recorded split of records applied before, by id. */
    Map<String, UsageBatchResult.RecordResult> originals(Collection<String> ids) {
        Map<String, UsageBatchResult.RecordResult> originals = new HashMap<>();
        if (ids.isEmpty()) {
            return originals;
        }
        jdbc.sql("""
                SELECT id, package_id, package_bytes, payg_bytes, blocked_bytes, unoffset_reason
                FROM traffic_usage_records WHERE id = ANY(CAST(:ids AS varchar[]))
                """).param("ids", ids.toArray(String[]::new)).query(rs -> {
            String id = rs.getString("id");
            String reason = rs.getString("unoffset_reason");
            originals.put(id,
                    new UsageBatchResult.RecordResult(id, rs.getObject("package_id", UUID.class),
                            rs.getLong("package_bytes"), rs.getLong("payg_bytes"), rs.getLong("blocked_bytes"), true,
                            reason == null ? null : UnoffsetReason.valueOf(reason)));
        });
        return originals;
    }

}
