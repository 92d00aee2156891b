package io.planbilling.trafficpackage;

import io.planbilling.shared.SqlArrays;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The set-based writes of {@link TrafficPackageRepository}: any number of packages (or
 * bindings) in one statement each, their columns passed as arrays and joined with
 * {@code unnest}. Writing one package is writing a list of one, so a single purchase and
 * a lifecycle chunk of a thousand renewals run the same SQL.
 */
final class TrafficPackageStatements {

    private final JdbcClient jdbc;

    TrafficPackageStatements(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the packages, then their bindings (bound from each one's start). */
    void insert(Collection<TrafficPackage> packages) {
        if (packages.isEmpty()) {
            return;
        }
        Columns c = new Columns(packages);
        jdbc.sql("""
                INSERT INTO traffic_packages (id, account_id, type, region, status, capacity_bytes, used_bytes,
                    max_devices, auto_renew, price, paid, valid_from, valid_until, predecessor_id, created_at)
                SELECT u.id, u.account_id, u.type, u.region, u.status, u.capacity, u.used, u.max_devices,
                       u.auto_renew, u.price, u.paid, u.valid_from, u.valid_until, u.predecessor_id, u.created_at
                FROM unnest(CAST(:ids AS uuid[]), CAST(:accounts AS uuid[]), CAST(:types AS varchar[]),
                            CAST(:regions AS varchar[]), CAST(:statuses AS varchar[]), CAST(:capacity AS bigint[]),
                            CAST(:used AS bigint[]), CAST(:maxDevices AS int[]), CAST(:autoRenew AS boolean[]),
                            CAST(:prices AS numeric[]), CAST(:paid AS numeric[]), CAST(:validFrom AS timestamptz[]),
                            CAST(:validUntil AS timestamptz[]), CAST(:predecessors AS uuid[]),
                            CAST(:createdAt AS timestamptz[]))
                     WITH ORDINALITY AS u(id, account_id, type, region, status, capacity, used, max_devices,
                                          auto_renew, price, paid, valid_from, valid_until, predecessor_id,
                                          created_at, n)
                ORDER BY u.n
                """)
            .param("ids", c.ids)
            .param("accounts", c.accounts)
            .param("types", c.types)
            .param("regions", c.regions)
            .param("statuses", c.statuses)
            .param("capacity", c.capacity)
            .param("used", c.used)
            .param("maxDevices", c.maxDevices)
            .param("autoRenew", c.autoRenew)
            .param("prices", c.prices)
            .param("paid", c.paid)
            .param("validFrom", c.validFrom)
            .param("validUntil", c.validUntil)
            .param("predecessors", c.predecessors)
            .param("createdAt", c.createdAt)
            .update();
        List<UUID> bindingPackages = new ArrayList<>();
        List<UUID> bindingDevices = new ArrayList<>();
        List<Instant> boundAt = new ArrayList<>();
        for (TrafficPackage pkg : packages) {
            for (UUID device : pkg.deviceIds()) {
                bindingPackages.add(pkg.id());
                bindingDevices.add(device);
                boundAt.add(pkg.validFrom());
            }
        }
        bind(bindingPackages, bindingDevices, boundAt);
    }

    /** Writes every field a rule can change, of every package. */
    void update(Collection<TrafficPackage> packages) {
        if (packages.isEmpty()) {
            return;
        }
        Columns c = new Columns(packages);
        jdbc.sql("""
                UPDATE traffic_packages p SET type = u.type, status = u.status, capacity_bytes = u.capacity,
                    used_bytes = u.used, max_devices = u.max_devices, auto_renew = u.auto_renew, price = u.price,
                    paid = u.paid, ended_at = u.ended_at, pending_type = u.pending_type,
                    pending_devices = CAST(u.pending_devices AS uuid[]), renewal_failure = u.renewal_failure
                FROM unnest(CAST(:ids AS uuid[]), CAST(:types AS varchar[]), CAST(:statuses AS varchar[]),
                            CAST(:capacity AS bigint[]), CAST(:used AS bigint[]), CAST(:maxDevices AS int[]),
                            CAST(:autoRenew AS boolean[]), CAST(:prices AS numeric[]), CAST(:paid AS numeric[]),
                            CAST(:endedAt AS timestamptz[]), CAST(:pendingTypes AS varchar[]),
                            CAST(:pendingDevices AS text[]), CAST(:renewalFailures AS varchar[]))
                     AS u(id, type, status, capacity, used, max_devices, auto_renew, price, paid, ended_at,
                          pending_type, pending_devices, renewal_failure)
                WHERE p.id = u.id
                """)
            .param("ids", c.ids)
            .param("types", c.types)
            .param("statuses", c.statuses)
            .param("capacity", c.capacity)
            .param("used", c.used)
            .param("maxDevices", c.maxDevices)
            .param("autoRenew", c.autoRenew)
            .param("prices", c.prices)
            .param("paid", c.paid)
            .param("endedAt", c.endedAt)
            .param("pendingTypes", c.pendingTypes)
            .param("pendingDevices", c.pendingDevices)
            .param("renewalFailures", c.renewalFailures)
            .update();
    }

    /** Usage and status of many packages (what ingestion changes). */
    void updateUsage(Collection<TrafficPackage> packages) {
        if (packages.isEmpty()) {
            return;
        }
        Columns c = new Columns(packages);
        jdbc.sql("""
                UPDATE traffic_packages p SET used_bytes = u.used, status = u.status, ended_at = u.ended
                FROM unnest(CAST(:ids AS uuid[]), CAST(:used AS bigint[]), CAST(:statuses AS varchar[]),
                            CAST(:ended AS timestamptz[])) AS u(id, used, status, ended)
                WHERE p.id = u.id
                """)
            .param("ids", c.ids)
            .param("used", c.used)
            .param("statuses", c.statuses)
            .param("ended", c.endedAt)
            .update();
    }

    /** Binds device {@code i} to package {@code i} from {@code at i} on. */
    void bind(List<UUID> packageIds, List<UUID> deviceIds, List<Instant> at) {
        if (packageIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                INSERT INTO traffic_bindings (package_id, device_id, bound_at)
                SELECT b.package_id, b.device_id, b.bound_at
                FROM unnest(CAST(:packages AS uuid[]), CAST(:devices AS uuid[]), CAST(:at AS timestamptz[]))
                     AS b(package_id, device_id, bound_at)
                """)
            .param("packages", SqlArrays.uuids(packageIds))
            .param("devices", SqlArrays.uuids(deviceIds))
            .param("at", at.stream().map(Instant::toString).toArray(String[]::new))
            .update();
    }

    /** The packages' fields as arrays, in the packages' order (PostgreSQL literals). */
    private static final class Columns {

        final String[] ids;

        final String[] accounts;

        final String[] types;

        final String[] regions;

        final String[] statuses;

        final long[] capacity;

        final long[] used;

        final int[] maxDevices;

        final Boolean[] autoRenew;

        final String[] prices;

        final String[] paid;

        final String[] validFrom;

        final String[] validUntil;

        final @Nullable String[] endedAt;

        final @Nullable String[] predecessors;

        final String[] createdAt;

        final @Nullable String[] pendingTypes;

        final @Nullable String[] pendingDevices;

        final @Nullable String[] renewalFailures;

        Columns(Collection<TrafficPackage> packages) {
            int n = packages.size();
            ids = new String[n];
            accounts = new String[n];
            types = new String[n];
            regions = new String[n];
            statuses = new String[n];
            capacity = new long[n];
            used = new long[n];
            maxDevices = new int[n];
            autoRenew = new Boolean[n];
            prices = new String[n];
            paid = new String[n];
            validFrom = new String[n];
            validUntil = new String[n];
            endedAt = new String[n];
            predecessors = new String[n];
            createdAt = new String[n];
            pendingTypes = new String[n];
            pendingDevices = new String[n];
            renewalFailures = new String[n];
            int i = 0;
            for (TrafficPackage pkg : packages) {
                ids[i] = pkg.id().toString();
                accounts[i] = pkg.accountId().toString();
                types[i] = pkg.type().name();
                regions[i] = pkg.region().name();
                statuses[i] = pkg.status().name();
                capacity[i] = pkg.capacityBytes();
                used[i] = pkg.usedBytes();
                maxDevices[i] = pkg.maxDevices();
                autoRenew[i] = pkg.autoRenew();
                prices[i] = pkg.price().amount().toPlainString();
                paid[i] = pkg.paid().amount().toPlainString();
                validFrom[i] = pkg.validFrom().toString();
                validUntil[i] = pkg.validUntil().toString();
                endedAt[i] = pkg.endedAt() == null ? null : pkg.endedAt().toString();
                predecessors[i] = pkg.predecessorId() == null ? null : pkg.predecessorId().toString();
                createdAt[i] = pkg.createdAt().toString();
                pendingTypes[i] = pkg.pendingType() == null ? null : pkg.pendingType().name();
                List<UUID> pending = pkg.pendingDevices();
                pendingDevices[i] = pending == null ? null : "{" + String.join(",", SqlArrays.uuids(pending)) + "}";
                renewalFailures[i] = pkg.renewalFailure();
                i++;
            }
        }

    }

}
