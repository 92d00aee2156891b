package io.planbilling.trafficpackage;

import io.planbilling.shared.SkipLockedChunks;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
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

    private final JdbcClient jdbc;

    private final TrafficPackageRepository packages;

    private final AutoRenewals renewals;

    private final SkipLockedChunks chunks;

    TrafficPackageExpiry(JdbcClient jdbc, TrafficPackageRepository packages, AutoRenewals renewals,
            SkipLockedChunks chunks) {
        this.jdbc = jdbc;
        this.packages = packages;
        this.renewals = renewals;
        this.chunks = chunks;
    }

    Map<String, Long> run(Instant now) {
        return chunks.<UUID>run((limit, after) -> claim(now, limit, after), due -> expire(due, now), "expired",
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

    /**
     * Expires the chunk and auto-renews those of its packages that want it, set-based
     * ({@link AutoRenewals}), in id order.
     */
    private Map<String, Long> expire(List<UUID> due, Instant now) {
        List<TrafficPackage> ended = new ArrayList<>();
        List<AutoRenewals.Ended> renewing = new ArrayList<>();
        for (TrafficPackage pkg : packages.read(due)) {
            if (!pkg.expireIfDue(now)) {
                continue;
            }
            if (pkg.wantsAutoRenewal()) {
                renewing.add(new AutoRenewals.Ended(pkg, pkg.validUntil()));
            }
            else {
                ended.add(pkg);
            }
        }
        packages.updateAll(ended);
        long renewed = renewals.renew(renewing, now).size();
        return Map.of("expired", (long) ended.size() + renewing.size(), "renewed", renewed, "renewalFailures",
                renewing.size() - renewed);
    }

}
