package io.planbilling.trafficpackage;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The usage thresholds a usage batch made its packages reach (docs/alerts.md): one
 * statement for the whole batch, only when some package's percentage reached went up. It
 * claims each (package, threshold) that the change of usage reached and that the
 * account's settings name, by the table's primary key ({@code ON CONFLICT DO NOTHING}): a
 * threshold is alerted once per package cycle whatever runs concurrently, and one reached
 * before an upgrade stays reached. The packages then register the thresholds the
 * statement claimed, and their store publishes the events.
 */
@Component
class UsageAlerts {

    private final JdbcClient jdbc;

    UsageAlerts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param changed packages whose usage the batch changed, as the batch leaves them
     * (row-locked)
     * @param usedBefore each package's used bytes before the batch; a package not in it
     * (a successor the batch ordered) started from zero
     */
    void reached(Collection<TrafficPackage> changed, Map<UUID, Long> usedBefore, Instant at) {
        List<TrafficPackage> rising = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> accounts = new ArrayList<>();
        List<Integer> from = new ArrayList<>();
        List<Integer> to = new ArrayList<>();
        for (TrafficPackage pkg : changed) {
            int before = UsageThresholds.percentReached(usedBefore.getOrDefault(pkg.id(), 0L), pkg.capacityBytes());
            int after = UsageThresholds.percentReached(pkg.usedBytes(), pkg.capacityBytes());
            if (after > before) {
                rising.add(pkg);
                ids.add(pkg.id().toString());
                accounts.add(pkg.accountId().toString());
                from.add(before);
                to.add(after);
            }
        }
        if (rising.isEmpty()) {
            return;
        }
        Map<UUID, List<Integer>> claimed = new HashMap<>();
        jdbc.sql("""
                INSERT INTO traffic_package_usage_alerts (package_id, threshold, reached_at)
                SELECT c.id, t.threshold, :at
                FROM unnest(CAST(:ids AS uuid[]), CAST(:accounts AS uuid[]), CAST(:from AS int[]), CAST(:to AS int[]))
                     AS c(id, account_id, from_percent, to_percent)
                JOIN alert_settings_in_force s ON s.account_id = c.account_id
                CROSS JOIN LATERAL unnest(s.traffic_usage_thresholds) AS t(threshold)
                WHERE t.threshold > c.from_percent AND t.threshold <= c.to_percent
                ORDER BY c.id, t.threshold
                ON CONFLICT (package_id, threshold) DO NOTHING
                RETURNING package_id, threshold
                """)
            .param("ids", ids.toArray(String[]::new))
            .param("accounts", accounts.toArray(String[]::new))
            .param("from", from.stream().mapToInt(Integer::intValue).toArray())
            .param("to", to.stream().mapToInt(Integer::intValue).toArray())
            .param("at", Timestamp.from(at))
            .query(rs -> {
                claimed.computeIfAbsent(rs.getObject("package_id", UUID.class), k -> new ArrayList<>())
                    .add(rs.getInt("threshold"));
            });
        for (TrafficPackage pkg : rising) {
            claimed.getOrDefault(pkg.id(), List.of())
                .stream()
                .sorted(Comparator.naturalOrder())
                .forEach(pkg::reachUsageThreshold);
        }
    }

}
