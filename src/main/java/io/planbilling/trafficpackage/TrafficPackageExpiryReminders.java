package io.planbilling.trafficpackage;

import io.planbilling.account.Accounts;
import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.ExpiryReminders;
import io.planbilling.shared.Money;
import io.planbilling.shared.SkipLockedChunks;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The lifecycle step ({@link TrafficPackageLifecycleSteps}) that reminds customers that a
 * traffic package's cycle is about to end ({@code traffic_package.expiring},
 * docs/alerts.md). It runs after the expiry step, so the cycles it looks at are still
 * live; it skips cycles that have ended or were already renewed (those with a successor).
 *
 * <p>
 * A chunk at a time, in id order and each in its own transaction
 * ({@link SkipLockedChunks}), it claims the packages that have a reminder due
 * ({@link ExpiryReminders}) with {@code FOR UPDATE SKIP LOCKED} — so a renewal or tier
 * change in progress is not reminded about half-way, and another instance's run takes the
 * other packages — and claims each reminder by the primary key (package, days left) of
 * its table with {@code ON CONFLICT DO NOTHING}: whichever instance, rerun or concurrent
 * transaction gets there second sends nothing.
 */
@Component
class TrafficPackageExpiryReminders {

    static final int CHUNK = 100;

    private final JdbcClient jdbc;

    private final TrafficPackageRepository packages;

    private final Accounts accounts;

    private final TrafficPrices prices;

    private final BillingSettings settings;

    private final SkipLockedChunks chunks;

    TrafficPackageExpiryReminders(JdbcClient jdbc, TrafficPackageRepository packages, Accounts accounts,
            TrafficPrices prices, BillingSettings settings, SkipLockedChunks chunks) {
        this.jdbc = jdbc;
        this.packages = packages;
        this.accounts = accounts;
        this.prices = prices;
        this.settings = settings;
        this.chunks = chunks;
    }

    private record Candidate(UUID id, Instant endsAt, List<Integer> days, @Nullable Integer fewestSent) {
    }

    Map<String, Long> run(Instant now) {
        return chunks.<Candidate>run(CHUNK, (limit, after) -> claim(now, limit, after == null ? null : after.id()),
                due -> Map.of("remindersSent", remind(due, now)), "remindersSent");
    }

    /**
     * The next chunk of live, not yet renewed packages after {@code after} (in id order)
     * with a reminder due now, locked; packages another transaction holds are skipped
     * (that run reminds them, or the next one does).
     */
    private List<Candidate> claim(Instant now, int limit, @Nullable UUID after) {
        return jdbc.sql("""
                SELECT p.id, p.valid_until, s.expiry_reminder_days,
                       (SELECT min(r.days_left) FROM traffic_package_expiry_reminders r WHERE r.package_id = p.id)
                           AS fewest_sent
                FROM traffic_packages p
                JOIN alert_settings_in_force s ON s.account_id = p.account_id
                CROSS JOIN LATERAL (SELECT min(d) AS day FROM unnest(s.expiry_reminder_days) AS d
                                    WHERE p.valid_until - make_interval(hours => 24 * d) <= :now) AS due
                WHERE traffic_package_live(p.status, p.valid_until, :now) AND p.deleted_at IS NULL
                  AND (CAST(:after AS uuid) IS NULL OR p.id > CAST(:after AS uuid))
                  AND NOT EXISTS (SELECT 1 FROM traffic_packages n WHERE n.predecessor_id = p.id)
                  AND due.day IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM traffic_package_expiry_reminders r
                                  WHERE r.package_id = p.id AND r.days_left <= due.day)
                ORDER BY p.id
                LIMIT :chunk
                FOR UPDATE OF p SKIP LOCKED
                """).param("now", Timestamp.from(now)).param("after", after).param("chunk", limit).query((rs, row) -> {
            int fewest = rs.getInt("fewest_sent");
            Integer fewestSent = rs.wasNull() ? null : fewest;
            return new Candidate(rs.getObject("id", UUID.class), rs.getTimestamp("valid_until").toInstant(),
                    ExpiryReminders.days(rs.getArray("expiry_reminder_days")), fewestSent);
        }).list();
    }

    /**
     * Claims the due reminder of each candidate and records the event of each one
     * claimed; answers how many.
     */
    private long remind(List<Candidate> candidates, Instant now) {
        List<String> ids = new ArrayList<>();
        List<Integer> days = new ArrayList<>();
        for (Candidate candidate : candidates) {
            OptionalInt day = ExpiryReminders.due(candidate.days(), candidate.endsAt(), now, candidate.fewestSent());
            if (day.isPresent()) {
                ids.add(candidate.id().toString());
                days.add(day.getAsInt());
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        Map<UUID, Integer> claimed = new HashMap<>();
        jdbc.sql("""
                INSERT INTO traffic_package_expiry_reminders (package_id, days_left, sent_at)
                SELECT c.id, c.days_left, :now
                FROM unnest(CAST(:ids AS uuid[]), CAST(:days AS int[])) AS c(id, days_left)
                WHERE NOT EXISTS (SELECT 1 FROM traffic_package_expiry_reminders r
                                  WHERE r.package_id = c.id AND r.days_left <= c.days_left)
                ORDER BY c.id
                ON CONFLICT (package_id, days_left) DO NOTHING
                RETURNING package_id, days_left
                """)
            .param("ids", ids.toArray(String[]::new))
            .param("days", days.stream().mapToInt(Integer::intValue).toArray())
            .param("now", Timestamp.from(now))
            .query(rs -> {
                claimed.put(rs.getObject("package_id", UUID.class), rs.getInt("days_left"));
            });
        if (claimed.isEmpty()) {
            return 0;
        }
        List<TrafficPackage> reminded = packages.read(claimed.keySet());
        Map<UUID, Money> balances = accounts
            .balances(reminded.stream().map(TrafficPackage::accountId).distinct().toList());
        for (TrafficPackage pkg : reminded) {
            Money renewalPrice = pkg.renewalPrice(prices, settings);
            // read back by the claimed ids: each package has its claimed day
            pkg.remindOfExpiry(Objects.requireNonNull(claimed.get(pkg.id())), renewalPrice,
                    balances.getOrDefault(pkg.accountId(), settings.zero()));
            packages.publish(pkg);
        }
        return claimed.size();
    }

}
