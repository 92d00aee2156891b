package io.planbilling.trafficpackage;

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
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A renewal storm written straight into the database: accounts with a balance that covers
 * all, some or none of their renewals (some with a low-balance threshold the renewals
 * cross), auto-renewing packages whose cycle ended at or before {@code now} (a few long
 * enough ago that their successor starts now), pending downgrades with kept devices,
 * devices bound meanwhile to another live package or shared with an earlier expiring
 * package of the account, and packages that do not renew.
 *
 * <p>
 * The same seed and a different {@code world} give the same storm with other ids in the
 * same relative order ({@link #index} maps an id back), so two worlds can be renewed by
 * two paths and their outcomes compared (see {@link #outcome}).
 */
final class RenewalStorm {

    private static final int ACCOUNT = 1;

    private static final int DEVICE = 2;

    private static final int PACKAGE = 3;

    private static final int LIVE = 4;

    private final JdbcClient jdbc;

    private final TrafficPrices prices;

    private final BillingSettings settings;

    final int world;

    final Instant now;

    final List<UUID> accounts = new ArrayList<>();

    final List<UUID> packages = new ArrayList<>();

    private final Rows rows = new Rows();

    private int devices;

    private int lives;

    RenewalStorm(JdbcClient jdbc, TrafficPrices prices, BillingSettings settings, int world, Instant now) {
        this.jdbc = jdbc;
        this.prices = prices;
        this.settings = settings;
        this.world = world;
        this.now = now;
    }

    static UUID id(int kind, int index, int world) {
        return new UUID(((long) kind << 48) | index, 1000 + world);
    }

    /** The kind and index of an id of a storm, such as {@code package 17}. */
    static String index(@Nullable UUID id) {
        if (id == null) {
            return "none";
        }
        int kind = (int) (id.getMostSignificantBits() >>> 48);
        String name = switch (kind) {
            case ACCOUNT -> "account";
            case DEVICE -> "device";
            case PACKAGE -> "package";
            case LIVE -> "live";
            default -> "?";
        };
        return name + " " + (id.getMostSignificantBits() & 0xFFFF_FFFF_FFFFL);
    }

    /** Seeds {@code accountCount} accounts with 1 to 8 expiring packages each. */
    RenewalStorm seed(long seed, int accountCount) {
        Random random = new Random(seed);
        TrafficPackageType[] types = TrafficPackageType.values();
        for (int a = 0; a < accountCount; a++) {
            UUID account = id(ACCOUNT, accounts.size(), world);
            accounts.add(account);
            BigDecimal renewals = BigDecimal.ZERO;
            List<UUID> earlierDevices = new ArrayList<>();
            int count = 1 + random.nextInt(8);
            for (int p = 0; p < count; p++) {
                TrafficPackageType type = types[random.nextInt(types.length)];
                TrafficRegion region = random.nextBoolean() ? TrafficRegion.GUANGZHOU : TrafficRegion.SILICON_VALLEY;
                List<UUID> bound = new ArrayList<>();
                for (int d = random.nextInt(type.maxDevices() + 1); d > 0; d--) {
                    bound.add(device(account));
                }
                if (!earlierDevices.isEmpty() && bound.size() < type.maxDevices() && random.nextInt(10) == 0) {
                    // also bound to an earlier expiring package of the account
                    bound.add(earlierDevices.get(random.nextInt(earlierDevices.size())));
                }
                if (!bound.isEmpty() && random.nextInt(7) == 0) {
                    // meanwhile also bound to another package, still live
                    live(account, bound.get(random.nextInt(bound.size())));
                }
                TrafficPackageType pendingType = null;
                List<UUID> pendingDevices = null;
                if (type.ordinal() > 0 && random.nextInt(5) == 0) {
                    pendingType = types[random.nextInt(type.ordinal())];
                    if (bound.size() > pendingType.maxDevices() || (!bound.isEmpty() && random.nextBoolean())) {
                        pendingDevices = bound.subList(0, Math.min(bound.size(), pendingType.maxDevices()));
                    }
                }
                boolean autoRenew = random.nextInt(10) > 0;
                // most cycles ended within the last day; some over a month ago (the
                // successor then starts now), some exactly now
                Instant validUntil = switch (random.nextInt(10)) {
                    case 0 -> now.minus(Duration.ofDays(40 + random.nextInt(30)));
                    case 1 -> now;
                    default -> now.minusSeconds(1 + random.nextInt(86_400));
                };
                UUID id = id(PACKAGE, packages.size(), world);
                packages.add(id);
                rows.pkg(id, account, type, region, bound, autoRenew, price(type, region), validUntil, pendingType,
                        pendingDevices);
                earlierDevices.addAll(bound);
                if (autoRenew) {
                    renewals = renewals.add(price(pendingType != null ? pendingType : type, region));
                }
            }
            BigDecimal factor = new BigDecimal[] { BigDecimal.ZERO, new BigDecimal("0.3"), new BigDecimal("0.6"),
                    BigDecimal.ONE, new BigDecimal("1.5") }[random.nextInt(5)];
            BigDecimal balance = renewals.multiply(factor).setScale(2, RoundingMode.DOWN);
            BigDecimal threshold = balance.signum() > 0 && random.nextInt(3) == 0
                    ? balance.divide(BigDecimal.valueOf(2), 2, RoundingMode.DOWN).max(new BigDecimal("0.01")) : null;
            rows.account(account, balance, threshold);
        }
        rows.write(jdbc, now);
        return this;
    }

    private BigDecimal price(TrafficPackageType type, TrafficRegion region) {
        return prices.price(type, region, settings).amount();
    }

    private UUID device(UUID account) {
        UUID id = id(DEVICE, devices++, world);
        rows.device(id, account);
        return id;
    }

    private void live(UUID account, UUID device) {
        TrafficPackageType type = TrafficPackageType.DEVICE_5_FLOW_500G;
        rows.pkg(id(LIVE, lives++, world), account, type, TrafficRegion.GUANGZHOU, List.of(device), false,
                price(type, TrafficRegion.GUANGZHOU), now.plus(Duration.ofDays(10)), null, null);
    }

    /**
     * What renewing the storm did, with ids replaced by their index (successors by their
     * predecessor's): each package and its successor, each account's balance, state and
     * ledger, and the events of the storm's accounts.
     */
    List<String> outcome() {
        List<String> lines = new ArrayList<>();
        jdbc.sql("""
                SELECT p.id, p.status, p.ended_at, p.renewal_failure, s.type, s.region, s.status AS s_status,
                       s.capacity_bytes, s.used_bytes, s.max_devices, s.auto_renew, s.price, s.paid, s.valid_from,
                       s.valid_until, s.renewal_failure AS s_failure, s.pending_type AS s_pending,
                       ARRAY(SELECT b.device_id FROM traffic_bindings b WHERE b.package_id = s.id
                             ORDER BY b.device_id) AS devices,
                       ARRAY(SELECT DISTINCT b.bound_at FROM traffic_bindings b WHERE b.package_id = s.id) AS bound_at,
                       (SELECT count(*) FROM traffic_packages x WHERE x.predecessor_id = p.id) AS successors
                FROM traffic_packages p LEFT JOIN traffic_packages s ON s.predecessor_id = p.id
                WHERE p.id = ANY(:ids) ORDER BY p.id
                """).param("ids", packages.toArray(UUID[]::new)).query(rs -> {
            StringBuilder line = new StringBuilder(index(rs.getObject("id", UUID.class)));
            line.append(": ")
                .append(rs.getString("status"))
                .append(" ended ")
                .append(rs.getTimestamp("ended_at").toInstant())
                .append(" failure ")
                .append(rs.getString("renewal_failure"))
                .append(" successors ")
                .append(rs.getLong("successors"));
            if (rs.getString("type") != null) {
                line.append(" -> ")
                    .append(rs.getString("type"))
                    .append(' ')
                    .append(rs.getString("region"))
                    .append(' ')
                    .append(rs.getString("s_status"))
                    .append(" capacity ")
                    .append(rs.getLong("capacity_bytes"))
                    .append(" used ")
                    .append(rs.getLong("used_bytes"))
                    .append(" max ")
                    .append(rs.getInt("max_devices"))
                    .append(" autoRenew ")
                    .append(rs.getBoolean("auto_renew"))
                    .append(" price ")
                    .append(rs.getBigDecimal("price"))
                    .append(" paid ")
                    .append(rs.getBigDecimal("paid"))
                    .append(" valid ")
                    .append(rs.getTimestamp("valid_from").toInstant())
                    .append(" .. ")
                    .append(rs.getTimestamp("valid_until").toInstant())
                    .append(" failure ")
                    .append(rs.getString("s_failure"))
                    .append(" pending ")
                    .append(rs.getString("s_pending"))
                    .append(" devices ");
                for (Object device : (Object[]) rs.getArray("devices").getArray()) {
                    line.append(index((UUID) device)).append(", ");
                }
                line.append(" bound at ");
                for (Object at : (Object[]) rs.getArray("bound_at").getArray()) {
                    line.append(((Timestamp) at).toInstant()).append(' ');
                }
            }
            lines.add(line.toString());
        });
        Map<UUID, String> successors = new HashMap<>();
        jdbc.sql("SELECT id, predecessor_id FROM traffic_packages WHERE predecessor_id = ANY(:ids)")
            .param("ids", packages.toArray(UUID[]::new))
            .query(rs -> {
                successors.put(rs.getObject("id", UUID.class),
                        "successor of " + index(rs.getObject("predecessor_id", UUID.class)));
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
            String description = rs.getString("description");
            for (UUID id : packages) {
                description = description.replace(id.toString(), index(id));
            }
            lines.add(index(rs.getObject("account_id", UUID.class)) + " ledger: " + rs.getString("kind") + " "
                    + rs.getBigDecimal("amount") + " -> " + rs.getBigDecimal("balance_after") + " "
                    + rs.getString("resource_type") + " "
                    + successors.getOrDefault(rs.getObject("resource_id", UUID.class),
                            index(rs.getObject("resource_id", UUID.class)))
                    + " " + description);
        });
        List<String> events = new ArrayList<>();
        jdbc.sql("""
                SELECT account_id, type, resource_type, resource_id FROM events WHERE account_id = ANY(:ids)
                """).param("ids", accounts.toArray(UUID[]::new)).query(rs -> {
            UUID resource = rs.getObject("resource_id", UUID.class);
            events.add(index(rs.getObject("account_id", UUID.class)) + " event: " + rs.getString("type") + " "
                    + rs.getString("resource_type") + " " + successors.getOrDefault(resource, index(resource)));
        });
        events.sort(null);
        lines.addAll(events);
        return lines;
    }

    /** The rows of a storm, written with one statement per table. */
    private static final class Rows {

        final List<Object[]> accounts = new ArrayList<>();

        final List<Object[]> devices = new ArrayList<>();

        final List<Object[]> packages = new ArrayList<>();

        final List<Object[]> bindings = new ArrayList<>();

        void account(UUID id, BigDecimal balance, @Nullable BigDecimal threshold) {
            accounts.add(new Object[] { id, balance, threshold });
        }

        void device(UUID id, UUID account) {
            devices.add(new Object[] { id, account });
        }

        void pkg(UUID id, UUID account, TrafficPackageType type, TrafficRegion region, List<UUID> bound,
                boolean autoRenew, BigDecimal price, Instant validUntil, @Nullable TrafficPackageType pendingType,
                @Nullable List<UUID> pendingDevices) {
            packages.add(new Object[] { id, account, type.name(), region.name(), type.capacityBytes(),
                    type.maxDevices(), autoRenew, price, validUntil.minus(Duration.ofDays(30)), validUntil,
                    pendingType == null ? null : pendingType.name(), pendingDevices == null ? null
                            : "{" + String.join(",", pendingDevices.stream().map(UUID::toString).toList()) + "}" });
            for (UUID device : bound) {
                bindings.add(new Object[] { id, device, validUntil.minus(Duration.ofDays(30)) });
            }
        }

        void write(JdbcClient jdbc, Instant now) {
            Timestamp created = Timestamp.from(now.minus(Duration.ofDays(400)));
            SeedRows.fundedAccounts(jdbc, created, accounts);
            jdbc.sql("""
                    INSERT INTO traffic_devices (id, account_id, name, overage_policy, created_at)
                    SELECT d.id, d.account_id, 'storm device', 'PAY_AS_YOU_GO', :created
                    FROM unnest(CAST(:ids AS uuid[]), CAST(:accounts AS uuid[])) AS d(id, account_id)
                    """)
                .param("created", created)
                .param("ids", column(devices, 0))
                .param("accounts", column(devices, 1))
                .update();
            jdbc.sql("""
                    INSERT INTO traffic_packages (id, account_id, type, region, status, capacity_bytes, used_bytes,
                        max_devices, auto_renew, price, paid, valid_from, valid_until, pending_type, pending_devices,
                        created_at)
                    SELECT p.id, p.account_id, p.type, p.region, 'ACTIVE', p.capacity, 0, p.max_devices, p.auto_renew,
                           p.price, p.price, p.valid_from, p.valid_until, p.pending_type,
                           CAST(p.pending_devices AS uuid[]), p.valid_from
                    FROM unnest(CAST(:ids AS uuid[]), CAST(:accounts AS uuid[]), CAST(:types AS varchar[]),
                                CAST(:regions AS varchar[]), CAST(:capacity AS bigint[]), CAST(:maxDevices AS int[]),
                                CAST(:autoRenew AS boolean[]), CAST(:prices AS numeric[]),
                                CAST(:validFrom AS timestamptz[]), CAST(:validUntil AS timestamptz[]),
                                CAST(:pendingTypes AS varchar[]), CAST(:pendingDevices AS text[]))
                         AS p(id, account_id, type, region, capacity, max_devices, auto_renew, price, valid_from,
                              valid_until, pending_type, pending_devices)
                    """)
                .param("ids", column(packages, 0))
                .param("accounts", column(packages, 1))
                .param("types", column(packages, 2))
                .param("regions", column(packages, 3))
                .param("capacity", column(packages, 4))
                .param("maxDevices", column(packages, 5))
                .param("autoRenew", column(packages, 6))
                .param("prices", column(packages, 7))
                .param("validFrom", column(packages, 8))
                .param("validUntil", column(packages, 9))
                .param("pendingTypes", column(packages, 10))
                .param("pendingDevices", column(packages, 11))
                .update();
            jdbc.sql("""
                    INSERT INTO traffic_bindings (package_id, device_id, bound_at)
                    SELECT b.package_id, b.device_id, b.bound_at
                    FROM unnest(CAST(:packages AS uuid[]), CAST(:devices AS uuid[]), CAST(:at AS timestamptz[]))
                         AS b(package_id, device_id, bound_at)
                    """)
                .param("packages", column(bindings, 0))
                .param("devices", column(bindings, 1))
                .param("at", column(bindings, 2))
                .update();
        }

    }

}
