package io.planbilling.trafficpackage;

import io.planbilling.shared.LifecycleStep;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The lifecycle step that expires packages whose validity has run out and auto-renews
 * them (docs/traffic-packages.md). It claims due packages a chunk at a time with
 * {@code FOR UPDATE SKIP LOCKED}, each chunk in its own transaction, so several instances
 * can run it at once and a crash loses at most one uncommitted chunk; the status re-check
 * under the lock and the unique {@code predecessor_id} make a second renewal of one
 * package impossible.
 */
@Component
class TrafficPackageExpiry implements LifecycleStep {

    static final int CHUNK = 100;

    private final JdbcClient jdbc;

    private final TrafficPackageRepository packages;

    private final DeviceRepository devices;

    private final Renewals renewals;

    private final TransactionTemplate transactions;

    TrafficPackageExpiry(JdbcClient jdbc, TrafficPackageRepository packages, DeviceRepository devices,
            Renewals renewals, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.packages = packages;
        this.devices = devices;
        this.renewals = renewals;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    @Override
    public String name() {
        return "traffic-package-expiry";
    }

    @Override
    public int order() {
        return 110;
    }

    @Override
    public Map<String, Long> run(Instant now) {
        long[] counts = new long[3];
        while (true) {
            Integer done = transactions.execute(status -> {
                List<UUID> due = jdbc.sql("""
                        SELECT id FROM traffic_packages WHERE status = 'ACTIVE' AND valid_until <= :now
                        ORDER BY id LIMIT :chunk FOR UPDATE SKIP LOCKED
                        """).param("now", java.sql.Timestamp.from(now)).param("chunk", CHUNK).query(UUID.class).list();
                List<TrafficPackage> expiring = packages.read(due);
                // every device a renewal of this chunk may bind, locked before any
                // account is charged (lock order)
                devices.lockAll(expiring.stream()
                    .filter(TrafficPackage::wantsAutoRenewal)
                    .flatMap(pkg -> pkg.nextDevices().stream())
                    .distinct()
                    .toList());
                for (TrafficPackage pkg : expiring) {
                    if (!pkg.expireIfDue(now)) {
                        continue;
                    }
                    counts[0]++;
                    packages.update(pkg);
                    if (pkg.wantsAutoRenewal()) {
                        if (renewals.renewAutomatically(pkg, pkg.validUntil(), now).isPresent()) {
                            counts[1]++;
                        }
                        else {
                            counts[2]++;
                        }
                    }
                }
                return due.size();
            });
            if (done == null || done < CHUNK) {
                break;
            }
        }
        return Map.of("expired", counts[0], "renewed", counts[1], "renewalFailures", counts[2]);
    }

}
