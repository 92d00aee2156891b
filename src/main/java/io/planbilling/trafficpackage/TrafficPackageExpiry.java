package io.planbilling.trafficpackage;

import io.planbilling.shared.SkipLockedChunks;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The lifecycle step ({@link TrafficPackageLifecycleSteps}) that expires packages whose
 * validity has run out and auto-renews them (docs/traffic-packages.md). It claims due
 * packages a chunk at a time with {@code FOR UPDATE SKIP LOCKED}
 * ({@link SkipLockedChunks}), each chunk in its own transaction, so several instances can
 * run it at once and a crash loses at most one uncommitted chunk; the status re-check
 * under the lock and the unique {@code predecessor_id} make a second renewal of one
 * package impossible.
 */
@Component
class TrafficPackageExpiry {

    static final int CHUNK = 100;

    private final JdbcClient jdbc;

    private final TrafficPackageRepository packages;

    private final DeviceRepository devices;

    private final Renewals renewals;

    private final SkipLockedChunks chunks;

    TrafficPackageExpiry(JdbcClient jdbc, TrafficPackageRepository packages, DeviceRepository devices,
            Renewals renewals, SkipLockedChunks chunks) {
        this.jdbc = jdbc;
        this.packages = packages;
        this.devices = devices;
        this.renewals = renewals;
        this.chunks = chunks;
    }

    Map<String, Long> run(Instant now) {
        return chunks.<UUID>run(CHUNK, (limit, after) -> claim(now, limit, after), due -> expire(due, now), "expired",
                "renewed", "renewalFailures");
    }

    /**
     * Active packages past their validity (no longer live, docs/traffic-packages.md)
     * after {@code after} in id order, locked; packages another transaction holds are
     * skipped. The {@code valid_until} bound is the range of the
     * {@code traffic_packages_due} index: for an active package it is exactly "not live".
     */
    private List<UUID> claim(Instant now, int limit, @Nullable UUID after) {
        return jdbc.sql("""
                SELECT id FROM traffic_packages p
                WHERE p.status = 'ACTIVE' AND NOT traffic_package_live(p.status, p.valid_until, :now)
                  AND p.valid_until <= :now AND (CAST(:after AS uuid) IS NULL OR p.id > CAST(:after AS uuid))
                ORDER BY p.id LIMIT :limit FOR UPDATE SKIP LOCKED
                """)
            .param("now", Timestamp.from(now))
            .param("after", after)
            .param("limit", limit)
            .query(UUID.class)
            .list();
    }

    private Map<String, Long> expire(List<UUID> due, Instant now) {
        long expired = 0;
        long renewed = 0;
        long failures = 0;
        List<TrafficPackage> expiring = packages.read(due);
        // every device a renewal of this chunk may bind, locked before any account is
        // charged (lock order)
        devices.lockAll(expiring.stream()
            .filter(TrafficPackage::wantsAutoRenewal)
            .flatMap(pkg -> pkg.nextDevices().stream())
            .distinct()
            .toList());
        for (TrafficPackage pkg : expiring) {
            if (!pkg.expireIfDue(now)) {
                continue;
            }
            expired++;
            packages.update(pkg);
            if (pkg.wantsAutoRenewal()) {
                if (renewals.renewAutomatically(pkg, pkg.validUntil(), now).isPresent()) {
                    renewed++;
                }
                else {
                    failures++;
                }
            }
        }
        return Map.of("expired", expired, "renewed", renewed, "renewalFailures", failures);
    }

}
