package io.planbilling.bandwidthplan;

import static io.planbilling.testing.SeedRows.column;

import io.planbilling.shared.BillingSettings;
import io.planbilling.testing.SeedRows;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A storm of bandwidth subscriptions written straight into the database: accounts with a
 * balance that covers all, some or none of their auto-renewals (some with a low-balance
 * threshold the renewals cross), subscriptions whose expiry passed at or before
 * {@code now} (some several terms ago, so that they renew more than once), some
 * associated with a network (with the association open and sometimes a speed-limit rule),
 * some not renewing.
 *
 * <p>
 * The same seed and a different {@code world} give the same storm with other ids and
 * addresses in the same relative order, so two worlds can be expired by two paths and
 * their outcomes compared ({@link #outcome}, ids and addresses replaced by indexes).
 */
final class SubscriptionStorm {

    private static final int ACCOUNT = 1;

    private static final int PLAN = 2;

    private static final int NETWORK = 3;

    private static final int RULE = 4;

    private static final Pattern UUID_TEXT = Pattern
        .compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private static final Pattern ADDRESS = Pattern.compile("10\\.\\d+\\.\\d+\\.\\d+");

    private final JdbcClient jdbc;

    private final BandwidthPrices prices;

    private final BillingSettings settings;

    final int world;

    final Instant now;

    final List<UUID> accounts = new ArrayList<>();

    final List<UUID> plans = new ArrayList<>();

    private final Map<String, String> addresses = new HashMap<>();

    SubscriptionStorm(JdbcClient jdbc, BandwidthPrices prices, BillingSettings settings, int world, Instant now) {
        this.jdbc = jdbc;
        this.prices = prices;
        this.settings = settings;
        this.world = world;
        this.now = now;
    }

    private UUID id(int kind, int index) {
        return new UUID(((long) kind << 48) | index, 2000 + world);
    }

    /** The kind and index of an id of a storm, such as {@code plan 17}. */
    static String index(@Nullable UUID id) {
        if (id == null) {
            return "none";
        }
        int kind = (int) (id.getMostSignificantBits() >>> 48);
        String name = switch (kind) {
            case ACCOUNT -> "account";
            case PLAN -> "plan";
            case NETWORK -> "network";
            case RULE -> "rule";
            default -> "other";
        };
        return kind == 0 ? id.toString() : name + " " + (id.getMostSignificantBits() & 0xFFFF_FFFFFFFFL);
    }

    SubscriptionStorm seed(long seed, int accountCount) {
        Random random = new Random(seed);
        Timestamp accountsCreated = Timestamp.from(now.minus(Duration.ofDays(800)));
        List<Object[]> accountRows = new ArrayList<>();
        for (int a = 0; a < accountCount; a++) {
            UUID account = id(ACCOUNT, accounts.size());
            accounts.add(account);
            BigDecimal renewals = BigDecimal.ZERO;
            for (int p = 1 + random.nextInt(6); p > 0; p--) {
                int index = plans.size();
                UUID plan = id(PLAN, index);
                plans.add(plan);
                boolean autoRenew = random.nextInt(10) > 1;
                PlanDuration duration = autoRenew
                        ? new PlanDuration(random.nextInt(4) == 0 ? PlanDuration.Unit.YEAR : PlanDuration.Unit.MONTH,
                                1 + random.nextInt(2))
                        : new PlanDuration(random.nextBoolean() ? PlanDuration.Unit.WEEK : PlanDuration.Unit.MONTH, 1);
                int peak = 2 + random.nextInt(30);
                // most expired within the last day; some months ago (several terms to
                // renew), some exactly now
                Instant expiresAt = switch (random.nextInt(10)) {
                    case 0 -> now.minus(Duration.ofDays(40 + random.nextInt(80)));
                    case 1 -> now;
                    default -> now.minusSeconds(1 + random.nextInt(86_400));
                };
                Instant createdAt = expiresAt.minus(Duration.ofDays(400));
                String address = "10." + world + "." + index / 250 + "." + (index % 250 + 1);
                addresses.put(address, "address of plan " + index);
                UUID network = null;
                if (random.nextInt(5) < 2) {
                    network = id(NETWORK, index);
                    networkRows.add(new Object[] { network, account, "storm network " + index, createdAt.toString() });
                }
                rows.add(new Object[] { plan, account, duration.unit().name(), duration.count(), autoRenew, peak,
                        network == null ? "NOT_ASSOCIATED" : "IN_USE", network, address, createdAt.toString(),
                        expiresAt.toString(), prices.term(createdAt, expiresAt, duration).pricePerMbps() });
                if (network != null && random.nextBoolean()) {
                    ruleRows.add(new Object[] { id(RULE, index), plan, createdAt.toString() });
                }
                if (autoRenew) {
                    BigDecimal term = prices.termPrice(duration, peak, settings.currency()).amount();
                    for (Instant expiry = expiresAt; !expiry.isAfter(now); expiry = duration.after(expiry,
                            settings.zone())) {
                        renewals = renewals.add(term);
                    }
                }
            }
            BigDecimal factor = new BigDecimal[] { BigDecimal.ZERO, new BigDecimal("0.3"), new BigDecimal("0.6"),
                    BigDecimal.ONE, new BigDecimal("1.5") }[random.nextInt(5)];
            BigDecimal balance = renewals.multiply(factor).setScale(2, RoundingMode.DOWN);
            BigDecimal threshold = balance.signum() > 0 && random.nextInt(3) == 0
                    ? balance.divide(BigDecimal.valueOf(2), 2, RoundingMode.DOWN).max(new BigDecimal("0.01")) : null;
            accountRows.add(new Object[] { account, balance, threshold });
        }
        SeedRows.fundedAccounts(jdbc, accountsCreated, accountRows);
        writePlans();
        return this;
    }

    private final List<Object[]> rows = new ArrayList<>();

    private final List<Object[]> ruleRows = new ArrayList<>();

    private final List<Object[]> networkRows = new ArrayList<>();

    private void writePlans() {
        jdbc.sql("""
                INSERT INTO office_networks (id, account_id, name, region, created_at)
                SELECT n.id, n.account_id, n.name, 'cn-shanghai', n.created_at
                FROM unnest(CAST(:ids AS uuid[]), CAST(:accounts AS uuid[]), CAST(:names AS text[]),
                            CAST(:createdAt AS timestamptz[])) AS n(id, account_id, name, created_at)
                """)
            .param("ids", column(networkRows, 0))
            .param("accounts", column(networkRows, 1))
            .param("names", column(networkRows, 2))
            .param("createdAt", column(networkRows, 3))
            .update();
        jdbc.sql("""
                INSERT INTO bandwidth_plans (id, account_id, region, payment_type, duration_unit, duration_count,
                    auto_renew, peak_mbps, status, office_network_id, ip_address, created_at, expires_at)
                SELECT p.id, p.account_id, 'cn-shanghai', 'SUBSCRIPTION', p.unit, p.count, p.auto_renew, p.peak,
                       p.status, p.network, CAST(p.address AS inet), p.created_at, p.expires_at
                FROM unnest(CAST(:ids AS uuid[]), CAST(:accounts AS uuid[]), CAST(:units AS varchar[]),
                            CAST(:counts AS int[]), CAST(:autoRenew AS boolean[]), CAST(:peaks AS int[]),
                            CAST(:statuses AS varchar[]), CAST(:networks AS uuid[]), CAST(:addresses AS text[]),
                            CAST(:createdAt AS timestamptz[]), CAST(:expiresAt AS timestamptz[]))
                     AS p(id, account_id, unit, count, auto_renew, peak, status, network, address, created_at,
                          expires_at)
                """)
            .param("ids", column(rows, 0))
            .param("accounts", column(rows, 1))
            .param("units", column(rows, 2))
            .param("counts", column(rows, 3))
            .param("autoRenew", column(rows, 4))
            .param("peaks", column(rows, 5))
            .param("statuses", column(rows, 6))
            .param("networks", column(rows, 7))
            .param("addresses", column(rows, 8))
            .param("createdAt", column(rows, 9))
            .param("expiresAt", column(rows, 10))
            .update();
        jdbc.sql("""
                INSERT INTO bandwidth_ip_pool (address, plan_id) SELECT CAST(a.address AS inet), a.plan
                FROM unnest(CAST(:addresses AS text[]), CAST(:ids AS uuid[])) AS a(address, plan)
                """).param("addresses", column(rows, 8)).param("ids", column(rows, 0)).update();
        jdbc.sql("""
                INSERT INTO bandwidth_plan_terms (plan_id, starts_at, ends_at, price_per_mbps)
                SELECT t.plan, t.starts_at, t.ends_at, t.price
                FROM unnest(CAST(:ids AS uuid[]), CAST(:createdAt AS timestamptz[]), CAST(:expiresAt AS timestamptz[]),
                            CAST(:prices AS numeric[])) AS t(plan, starts_at, ends_at, price)
                """)
            .param("ids", column(rows, 0))
            .param("createdAt", column(rows, 9))
            .param("expiresAt", column(rows, 10))
            .param("prices", column(rows, 11))
            .update();
        jdbc.sql("""
                INSERT INTO bandwidth_plan_peaks (plan_id, effective_from, peak_mbps)
                SELECT k.plan, k.created_at, k.peak
                FROM unnest(CAST(:ids AS uuid[]), CAST(:createdAt AS timestamptz[]), CAST(:peaks AS int[]))
                     AS k(plan, created_at, peak)
                """)
            .param("ids", column(rows, 0))
            .param("createdAt", column(rows, 9))
            .param("peaks", column(rows, 5))
            .update();
        jdbc.sql("""
                INSERT INTO bandwidth_plan_associations (plan_id, office_network_id, associated_from)
                SELECT a.plan, a.network, a.created_at
                FROM unnest(CAST(:ids AS uuid[]), CAST(:networks AS uuid[]), CAST(:createdAt AS timestamptz[]))
                     AS a(plan, network, created_at)
                WHERE a.network IS NOT NULL
                """)
            .param("ids", column(rows, 0))
            .param("networks", column(rows, 7))
            .param("createdAt", column(rows, 9))
            .update();
        jdbc.sql("""
                INSERT INTO speed_limit_rules (id, plan_id, name, upstream_mbps, downstream_mbps, created_at)
                SELECT r.id, r.plan, 'storm rule', 1, 1, r.created_at
                FROM unnest(CAST(:ids AS uuid[]), CAST(:plans AS uuid[]), CAST(:createdAt AS timestamptz[]))
                     AS r(id, plan, created_at)
                """)
            .param("ids", column(ruleRows, 0))
            .param("plans", column(ruleRows, 1))
            .param("createdAt", column(ruleRows, 2))
            .update();
    }

    /**
     * Ids and addresses of the storm in {@code text} replaced by their index, so that two
     * worlds read alike.
     */
    private String indexed(String text) {
        Matcher ids = UUID_TEXT.matcher(text);
        String replaced = ids.replaceAll(match -> Matcher.quoteReplacement(index(UUID.fromString(match.group()))));
        return ADDRESS.matcher(replaced)
            .replaceAll(match -> Matcher.quoteReplacement(addresses.getOrDefault(match.group(), match.group())));
    }

    /**
     * What expiring the storm did, ids and addresses replaced by their index: each plan
     * (status, expiry, end, network, terms, peaks, associations, rules, address), each
     * account's balance, state and ledger, and the events of the storm's accounts with
     * their data.
     */
    List<String> outcome() {
        List<String> lines = new ArrayList<>();
        jdbc.sql("""
                SELECT p.id, p.status, p.expires_at, p.ended_at, p.office_network_id, host(p.ip_address) AS ip,
                       ARRAY(SELECT t.starts_at || ' .. ' || t.ends_at || ' at ' || t.price_per_mbps
                             FROM bandwidth_plan_terms t WHERE t.plan_id = p.id ORDER BY t.starts_at) AS terms,
                       ARRAY(SELECT k.effective_from || ' .. ' || coalesce(k.effective_to::text, 'open') || ': '
                                    || k.peak_mbps
                             FROM bandwidth_plan_peaks k WHERE k.plan_id = p.id ORDER BY k.effective_from) AS peaks,
                       ARRAY(SELECT a.associated_from || ' .. ' || coalesce(a.associated_to::text, 'open')
                             FROM bandwidth_plan_associations a WHERE a.plan_id = p.id
                             ORDER BY a.associated_from) AS associations,
                       (SELECT count(*) FROM speed_limit_rules r WHERE r.plan_id = p.id) AS rules,
                       (SELECT count(*) FROM bandwidth_ip_pool i WHERE i.plan_id = p.id) AS addresses
                FROM bandwidth_plans p WHERE p.id = ANY(:ids) ORDER BY p.id
                """).param("ids", plans.toArray(UUID[]::new)).query(rs -> {
            lines.add(indexed(index(rs.getObject("id", UUID.class)) + ": " + rs.getString("status") + " expires "
                    + rs.getTimestamp("expires_at").toInstant() + " ended " + rs.getTimestamp("ended_at") + " network "
                    + index(rs.getObject("office_network_id", UUID.class)) + " " + rs.getString("ip") + " terms "
                    + List.of((Object[]) rs.getArray("terms").getArray()) + " peaks "
                    + List.of((Object[]) rs.getArray("peaks").getArray()) + " associations "
                    + List.of((Object[]) rs.getArray("associations").getArray()) + " rules " + rs.getLong("rules")
                    + " pooled " + rs.getLong("addresses")));
        });
        jdbc.sql("""
                SELECT a.id, a.balance, a.balance_low,
                       (SELECT coalesce(sum(e.amount), 0) FROM ledger_entries e WHERE e.account_id = a.id) AS ledger
                FROM accounts a WHERE a.id = ANY(:ids) ORDER BY a.id
                """).param("ids", accounts.toArray(UUID[]::new)).query(rs -> {
            lines.add(index(rs.getObject("id", UUID.class)) + ": balance " + rs.getBigDecimal("balance") + " low "
                    + rs.getBoolean("balance_low") + " ledger sum " + rs.getBigDecimal("ledger"));
        });
        jdbc.sql("""
                SELECT account_id, kind, amount, balance_after, resource_type, resource_id, description
                FROM ledger_entries WHERE account_id = ANY(:ids) ORDER BY account_id, seq
                """).param("ids", accounts.toArray(UUID[]::new)).query(rs -> {
            lines.add(indexed(index(rs.getObject("account_id", UUID.class)) + " ledger: " + rs.getString("kind") + " "
                    + rs.getBigDecimal("amount") + " -> " + rs.getBigDecimal("balance_after") + " "
                    + rs.getString("resource_type") + " " + index(rs.getObject("resource_id", UUID.class)) + " "
                    + rs.getString("description")));
        });
        List<String> events = new ArrayList<>();
        jdbc.sql("""
                SELECT account_id, type, resource_type, resource_id, payload::text AS payload FROM events
                WHERE account_id = ANY(:ids)
                """).param("ids", accounts.toArray(UUID[]::new)).query(rs -> {
            events.add(indexed(index(rs.getObject("account_id", UUID.class)) + " event: " + rs.getString("type") + " "
                    + rs.getString("resource_type") + " " + index(rs.getObject("resource_id", UUID.class)) + " "
                    + rs.getString("payload")));
        });
        events.sort(null);
        lines.addAll(events);
        return lines;
    }

}
