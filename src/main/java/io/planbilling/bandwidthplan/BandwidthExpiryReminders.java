package io.planbilling.bandwidthplan;

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
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reminds customers that a subscription's paid time is about to end
 * ({@code bandwidth_plan.expiring}, docs/alerts.md): the end is {@code expiresAt},
 * renewals already bought included, so a renewal starts a new cycle with reminders of its
 * own. Pay-as-you-go plans have no end and ended plans nothing left to remind of.
 *
 * <p>
 * A chunk at a time, in id order and each in its own transaction
 * ({@link SkipLockedChunks}), it claims the live subscriptions with a reminder due
 * ({@link ExpiryReminders}) with {@code FOR UPDATE SKIP LOCKED}, and each reminder by the
 * primary key (plan, term end, days left) of its table with
 * {@code ON CONFLICT DO NOTHING}: once per plan, cycle and day, whichever instance, rerun
 * or concurrent transaction tries again.
 */
@Component
class BandwidthExpiryReminders {

    private static final int CHUNK = 100;

    private static final String SENT = "remindersSent";

    private final JdbcClient jdbc;

    private final BandwidthPlanRepository plans;

    private final Accounts accounts;

    private final BandwidthPrices prices;

    private final BillingSettings settings;

    private final SkipLockedChunks chunks;

    BandwidthExpiryReminders(JdbcClient jdbc, BandwidthPlanRepository plans, Accounts accounts, BandwidthPrices prices,
            BillingSettings settings, SkipLockedChunks chunks) {
        this.jdbc = jdbc;
        this.plans = plans;
        this.accounts = accounts;
        this.prices = prices;
        this.settings = settings;
        this.chunks = chunks;
    }

    private record Candidate(BandwidthPlan plan, List<Integer> days, @Nullable Integer fewestSent) {
    }

    /** Sends every reminder due at {@code now}; counts them. */
    Map<String, Long> remind(Instant now) {
        return chunks.<Candidate>run(CHUNK,
                (limit, after) -> claim(now, limit, after == null ? null : after.plan().id()),
                due -> Map.of(SENT, remind(due, now)), SENT);
    }

    /**
     * The next chunk of live subscriptions after {@code after} (in id order) with a
     * reminder due now, locked.
     */
    private List<Candidate> claim(Instant now, int limit, @Nullable UUID after) {
        return jdbc.sql("SELECT " + BandwidthPlanRepository.COLUMNS + """
                , s.expiry_reminder_days,
                       (SELECT min(r.days_left) FROM bandwidth_plan_expiry_reminders r
                        WHERE r.plan_id = p.id AND r.ends_at = p.expires_at) AS fewest_sent
                FROM bandwidth_plans p
                JOIN alert_settings_in_force s ON s.account_id = p.account_id
                CROSS JOIN LATERAL (SELECT min(d) AS day FROM unnest(s.expiry_reminder_days) AS d
                                    WHERE p.expires_at - make_interval(hours => 24 * d) <= :now) AS due
                WHERE p.payment_type = 'SUBSCRIPTION' AND p.status IN\s""" + BandwidthPlanRepository.LIVE + """
                  AND p.expires_at > :now
                  AND (CAST(:after AS uuid) IS NULL OR p.id > CAST(:after AS uuid))
                  AND due.day IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM bandwidth_plan_expiry_reminders r
                                  WHERE r.plan_id = p.id AND r.ends_at = p.expires_at AND r.days_left <= due.day)
                ORDER BY p.id
                LIMIT :chunk
                FOR UPDATE OF p SKIP LOCKED
                """).param("now", Timestamp.from(now)).param("after", after).param("chunk", limit).query((rs, row) -> {
            int fewest = rs.getInt("fewest_sent");
            Integer fewestSent = rs.wasNull() ? null : fewest;
            return new Candidate(BandwidthPlanRepository.plan(rs, row),
                    ExpiryReminders.days(rs.getArray("expiry_reminder_days")), fewestSent);
        }).list();
    }

    /**
     * Claims the due reminder of each candidate and records the event of each one
     * claimed; answers how many.
     */
    private long remind(List<Candidate> candidates, Instant now) {
        List<String> ids = new ArrayList<>();
        List<String> ends = new ArrayList<>();
        List<Integer> days = new ArrayList<>();
        Map<UUID, BandwidthPlan> byId = new HashMap<>();
        for (Candidate candidate : candidates) {
            Instant endsAt = Objects.requireNonNull(candidate.plan().expiresAt());
            OptionalInt day = ExpiryReminders.due(candidate.days(), endsAt, now, candidate.fewestSent());
            if (day.isPresent()) {
                ids.add(candidate.plan().id().toString());
                ends.add(endsAt.toString());
                days.add(day.getAsInt());
                byId.put(candidate.plan().id(), candidate.plan());
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        Map<UUID, Integer> claimed = new TreeMap<>(); // reminded in id order
        jdbc.sql("""
                INSERT INTO bandwidth_plan_expiry_reminders (plan_id, ends_at, days_left, sent_at)
                SELECT c.id, c.ends_at, c.days_left, :now
                FROM unnest(CAST(:ids AS uuid[]), CAST(:ends AS timestamptz[]), CAST(:days AS int[]))
                     AS c(id, ends_at, days_left)
                WHERE NOT EXISTS (SELECT 1 FROM bandwidth_plan_expiry_reminders r
                                  WHERE r.plan_id = c.id AND r.ends_at = c.ends_at AND r.days_left <= c.days_left)
                ORDER BY c.id
                ON CONFLICT (plan_id, ends_at, days_left) DO NOTHING
                RETURNING plan_id, days_left
                """)
            .param("ids", ids.toArray(String[]::new))
            .param("ends", ends.toArray(String[]::new))
            .param("days", days.stream().mapToInt(Integer::intValue).toArray())
            .param("now", Timestamp.from(now))
            .query(rs -> {
                claimed.put(rs.getObject("plan_id", UUID.class), rs.getInt("days_left"));
            });
        if (claimed.isEmpty()) {
            return 0;
        }
        // the statement claims only the ids it was given: each one is a candidate in byId
        Map<UUID, Money> balances = accounts.balances(claimed.keySet()
            .stream()
            .map(id -> Objects.requireNonNull(byId.get(id)).accountId())
            .distinct()
            .toList());
        claimed.keySet().stream().sorted().forEach(id -> {
            BandwidthPlan plan = Objects.requireNonNull(byId.get(id));
            Money renewalPrice = plan.termPrice(prices, settings.currency());
            plan.remindOfExpiry(Objects.requireNonNull(claimed.get(id)), renewalPrice,
                    balances.getOrDefault(plan.accountId(), settings.zero()));
            plans.publish(plan);
        });
        return claimed.size();
    }

}
