package io.planbilling.trafficpackage;

import io.planbilling.shared.SqlArrays;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The lock protocol of a usage batch (docs/traffic-packages.md, usage ingestion): the
 * packages its records could draw on, in id order, then the devices their auto-renewals
 * would bind. The lock order is packages → devices → account, the one every other path
 * takes (a purchase locks devices → account), so a batch cannot deadlock with them;
 * concurrent batches touching the same package serialise on its row lock.
 */
@Component
class UsageLocks {

    /**
     * Rounds of locking a batch's packages in id order before a successor found late is
     * locked out of order.
     */
    static final int MAX_LOCK_ATTEMPTS = 5;

    private final JdbcClient jdbc;

    private final TrafficPackageRepository packages;

    private final DeviceRepository devices;

    UsageLocks(JdbcClient jdbc, TrafficPackageRepository packages, DeviceRepository devices) {
        this.jdbc = jdbc;
        this.packages = packages;
        this.devices = devices;
    }

    /**
     * Locks everything {@code records} may change: their candidate packages with their
     * successors, then the devices the auto-renewing ones would bind.
     */
    LockedPackages lock(Collection<UsageRecord> records) {
        Map<UUID, TrafficPackage> locked = lockCandidates(records);
        LockedPackages held = new LockedPackages(locked.values(), bindings(locked.keySet()));
        lockRenewalDevices(locked.values());
        return held;
    }

    /**
     * Locks, in id order and in one statement, every package the batch's devices were
     * bound to in the batch's time span, with their successors; then reads them. A
     * successor created while this waited for a lock is locked next. Packages whose
     * validity ran out before the batch's latest record but whose end the lifecycle job
     * has not recorded yet are locked too: the batch records their expiry first (with its
     * auto-renewal), so traffic after the expiry finds the successor instead of falling
     * to pay-as-you-go until the job runs.
     *
     * <p>
     * The savepoint the locks are taken under is not released: the rest of the batch runs
     * in it, so the subtransaction that locked a package row is the one that updates it.
     * Released, the lock would stay with the subtransaction and the update come from its
     * parent: two transaction ids on one row, which PostgreSQL records as a multixact
     * that every later scan of that row version has to look up (it was the dearest part
     * of a small batch's locking).
     */
    private Map<UUID, TrafficPackage> lockCandidates(Collection<UsageRecord> records) {
        Set<UUID> deviceIds = new HashSet<>();
        Instant min = Instant.MAX;
        Instant max = Instant.MIN;
        for (UsageRecord record : records) {
            deviceIds.add(record.deviceId());
            min = record.occurredAt().isBefore(min) ? record.occurredAt() : min;
            max = record.occurredAt().isAfter(max) ? record.occurredAt() : max;
        }
        for (int attempt = 1;; attempt++) {
            jdbc.sql("SAVEPOINT traffic_usage_locks").update();
            List<UUID> ids = jdbc.sql("""
                    WITH RECURSIVE candidates(id) AS (
                        SELECT b.package_id
                        FROM unnest(CAST(:devices AS uuid[])) AS d(id)
                             JOIN traffic_bindings b ON b.device_id = d.id
                             JOIN traffic_packages p ON p.id = b.package_id
                        WHERE ((p.valid_from <= :max AND p.valid_until > :min AND p.status <> 'UNSUBSCRIBED')
                               OR (p.status = 'ACTIVE' AND p.valid_until <= :max))
                          AND p.deleted_at IS NULL
                        UNION
                        SELECT s.id FROM traffic_packages s JOIN candidates c ON s.predecessor_id = c.id)
                    SELECT id FROM traffic_packages WHERE id IN (SELECT id FROM candidates) ORDER BY id FOR UPDATE
                    """)
                .param("devices", SqlArrays.uuids(deviceIds))
                .param("min", Timestamp.from(min))
                .param("max", Timestamp.from(max))
                .query(UUID.class)
                .list();
            Map<UUID, TrafficPackage> locked = new HashMap<>();
            packages.read(ids).forEach(pkg -> locked.put(pkg.id(), pkg));
            Set<UUID> missing = missingSuccessors(locked);
            if (missing.isEmpty()) {
                return locked;
            }
            if (attempt == MAX_LOCK_ATTEMPTS) {
                // out of id order, but only after several rounds of fresh successors:
                // PostgreSQL would break a deadlock
                while (!missing.isEmpty()) {
                    packages.lock(missing).forEach(pkg -> locked.put(pkg.id(), pkg));
                    missing = missingSuccessors(locked);
                }
                return locked;
            }
            // a concurrent batch renewed a package while this one waited for its lock:
            // release every lock taken here and take them again, successor included, in
            // id order (locking it now, out of order, could deadlock)
            jdbc.sql("ROLLBACK TO SAVEPOINT traffic_usage_locks").update();
        }
    }

    private static Set<UUID> missingSuccessors(Map<UUID, TrafficPackage> locked) {
        Set<UUID> missing = new HashSet<>();
        for (TrafficPackage pkg : locked.values()) {
            if (pkg.successorId() != null && !locked.containsKey(pkg.successorId())) {
                missing.add(pkg.successorId());
            }
        }
        return missing;
    }

    /**
     * Locks, in one statement and in id order, the devices every auto-renewing package
     * would bind to its successor, before the first renewal charges an account: the lock
     * order stays packages → devices → account, the one every other path takes, so a
     * concurrent purchase (devices → account) cannot deadlock with a batch that renews
     * several packages. Successors ordered during the batch bind a subset of these
     * devices.
     */
    private void lockRenewalDevices(Collection<TrafficPackage> locked) {
        Set<UUID> renewing = new HashSet<>();
        for (TrafficPackage pkg : locked) {
            if (pkg.status() == TrafficPackageStatus.ACTIVE && pkg.wantsAutoRenewal()) {
                renewing.addAll(pkg.nextDevices());
            }
        }
        devices.lockAll(renewing);
    }

    private Map<UUID, List<LockedPackages.Binding>> bindings(Collection<UUID> packageIds) {
        Map<UUID, List<LockedPackages.Binding>> byDevice = new HashMap<>();
        if (packageIds.isEmpty()) {
            return byDevice;
        }
        jdbc.sql(
                "SELECT package_id, device_id, bound_at, unbound_at FROM traffic_bindings WHERE package_id = ANY(CAST(:ids AS uuid[]))")
            .param("ids", SqlArrays.uuids(packageIds))
            .query(rs -> {
                Timestamp unbound = rs.getTimestamp("unbound_at");
                byDevice.computeIfAbsent(rs.getObject("device_id", UUID.class), k -> new ArrayList<>())
                    .add(new LockedPackages.Binding(rs.getObject("package_id", UUID.class),
                            rs.getTimestamp("bound_at").toInstant(), unbound == null ? null : unbound.toInstant()));
            });
        return byDevice;
    }

}
