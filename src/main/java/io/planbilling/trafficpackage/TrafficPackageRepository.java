package io.planbilling.trafficpackage;

import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.EventOutbox;
import io.planbilling.shared.PageQuery;
import io.planbilling.shared.SqlArrays;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Traffic packages and their bindings in PostgreSQL, with plain JDBC. Locking reads
 * ({@link #lock}) take the rows' locks in one statement in id order and read them in the
 * next, so what is read is the latest committed state. Writing a package publishes what
 * its methods registered to the {@link EventOutbox}, in the writing transaction, with the
 * package's API view as that transaction leaves it (docs/events.md).
 */
@Component
class TrafficPackageRepository {

    private final JdbcClient jdbc;

    private final BillingSettings settings;

    private final EventOutbox events;

    private final TrafficPackageStatements statements;

    TrafficPackageRepository(JdbcClient jdbc, BillingSettings settings, EventOutbox events) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.events = events;
        this.statements = new TrafficPackageStatements(jdbc);
    }

    /**
     * Hands what the package registered to the outbox without writing the package (a
     * reminder changes none of its columns); the writing methods call it themselves.
     */
    void publish(TrafficPackage pkg) {
        if (!pkg.events().isEmpty()) {
            events.record(pkg.events().drain(), pkg.accountId(), Renewals.RESOURCE_TYPE, pkg.id(),
                    at -> TrafficPackageView.of(pkg, at));
        }
    }

    void insert(TrafficPackage pkg) {
        insertAll(List.of(pkg));
    }

    /**
     * Inserts packages with their bindings (bound from each one's start), set-based, and
     * publishes what each registered.
     */
    void insertAll(Collection<TrafficPackage> packages) {
        statements.insert(packages);
        packages.forEach(this::publish);
    }

    /** Writes every field a rule can change (bindings are added with {@link #bind}). */
    void update(TrafficPackage pkg) {
        updateAll(List.of(pkg));
    }

    /** {@link #update} of many packages in one statement. */
    void updateAll(Collection<TrafficPackage> packages) {
        statements.update(packages);
        packages.forEach(this::publish);
    }

    /** Usage and status of many packages in one statement (what ingestion changes). */
    void updateUsage(Collection<TrafficPackage> packages) {
        statements.updateUsage(packages);
        packages.forEach(this::publish);
    }

    /**
     * Binds more devices to {@code pkg} from {@code at} on (its
     * {@link TrafficPackage#bind} has accepted them).
     */
    void bind(TrafficPackage pkg, List<UUID> devices, Instant at) {
        insertBindings(pkg.id(), devices, at);
        publish(pkg);
    }

    private void insertBindings(UUID packageId, List<UUID> devices, Instant at) {
        statements.bind(devices.stream().map(device -> packageId).toList(), devices,
                devices.stream().map(device -> at).toList());
    }

    void unbindAll(UUID packageId, Instant at) {
        jdbc.sql("UPDATE traffic_bindings SET unbound_at = :at WHERE package_id = :id AND unbound_at IS NULL")
            .param("id", packageId)
            .param("at", Timestamp.from(at))
            .update();
    }

    void markDeleted(UUID packageId, Instant at) {
        jdbc.sql("UPDATE traffic_packages SET deleted_at = :at WHERE id = :id")
            .param("id", packageId)
            .param("at", Timestamp.from(at))
            .update();
    }

    Optional<TrafficPackage> find(UUID accountId, UUID id) {
        return jdbc
            .sql(TrafficPackageRows.SELECT + " WHERE p.id = :id AND p.account_id = :accountId AND p.deleted_at IS NULL")
            .param("id", id)
            .param("accountId", accountId)
            .query(this::row)
            .optional();
    }

    /** Locks the account's package (row lock until commit) and reads it. */
    Optional<TrafficPackage> lock(UUID accountId, UUID id) {
        boolean locked = jdbc.sql("""
                SELECT id FROM traffic_packages WHERE id = :id AND account_id = :accountId AND deleted_at IS NULL
                FOR UPDATE
                """).param("id", id).param("accountId", accountId).query(UUID.class).optional().isPresent();
        return locked ? find(accountId, id) : Optional.empty();
    }

    /** Locks packages in id order (the one order every locker uses) and reads them. */
    List<TrafficPackage> lock(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<UUID> locked = jdbc
            .sql("SELECT id FROM traffic_packages WHERE id = ANY(CAST(:ids AS uuid[])) ORDER BY id FOR UPDATE")
            .param("ids", SqlArrays.uuids(ids))
            .query(UUID.class)
            .list();
        return read(locked);
    }

    List<TrafficPackage> read(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc
            .sql(TrafficPackageRows.SELECT + " WHERE p.id IN (SELECT unnest(CAST(:ids AS uuid[]))) ORDER BY p.id")
            .param("ids", SqlArrays.uuids(ids))
            .query(this::row)
            .list();
    }

    /**
     * The account's packages newest first, without deleted ones. {@code status} is the
     * status as read at {@code now} (an active package past its expiry is expired).
     */
    List<TrafficPackage> page(UUID accountId, @Nullable TrafficPackageStatus status, @Nullable UUID deviceId,
            Instant now, PageQuery page) {
        return jdbc
            .sql(TrafficPackageRows.SELECT + " WHERE " + filter(status, deviceId)
                    + " ORDER BY p.seq DESC LIMIT :limit OFFSET :offset")
            .param("accountId", accountId)
            .param("status", status == null ? null : status.name())
            .param("deviceId", deviceId)
            .param("now", Timestamp.from(now))
            .param("limit", page.size())
            .param("offset", page.offset())
            .query(this::row)
            .list();
    }

    long count(UUID accountId, @Nullable TrafficPackageStatus status, @Nullable UUID deviceId, Instant now) {
        return jdbc.sql("SELECT count(*) FROM traffic_packages p WHERE " + filter(status, deviceId))
            .param("accountId", accountId)
            .param("status", status == null ? null : status.name())
            .param("deviceId", deviceId)
            .param("now", Timestamp.from(now))
            .query(Long.class)
            .single();
    }

    private static String filter(@Nullable TrafficPackageStatus status, @Nullable UUID deviceId) {
        StringBuilder where = new StringBuilder("p.account_id = :accountId AND p.deleted_at IS NULL");
        if (status == TrafficPackageStatus.ACTIVE) {
            where.append(" AND traffic_package_live(p.status, p.valid_until, :now)");
        }
        else if (status == TrafficPackageStatus.EXPIRED) {
            where.append(
                    " AND (p.status = 'EXPIRED' OR (p.status = 'ACTIVE' AND NOT traffic_package_live(p.status, p.valid_until, :now)))");
        }
        else if (status != null) {
            where.append(" AND p.status = :status");
        }
        if (deviceId != null) {
            where.append(
                    " AND EXISTS (SELECT 1 FROM traffic_bindings b WHERE b.package_id = p.id AND b.device_id = :deviceId)");
        }
        return where.toString();
    }

    /**
     * The live package (if any) of each device among {@code devices}, other than
     * {@code except}: what makes a device unavailable for binding (no stacking).
     */
    List<DeviceBinding> liveBindings(Collection<UUID> devices, Instant now, @Nullable UUID except) {
        return liveBindings(devices, now, except == null ? List.of() : List.of(except));
    }

    /**
     * {@link #liveBindings} other than those of the packages {@code except} (packages
     * spent in memory, whose rows may still read live). The devices drive the query (an
     * index probe each, the package by its key), so that a lifecycle chunk's thousands of
     * devices stay cheap even when the statistics predate a storm.
     */
    List<DeviceBinding> liveBindings(Collection<UUID> devices, Instant now, Collection<UUID> except) {
        if (devices.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT b.device_id, b.package_id
                FROM unnest(CAST(:devices AS uuid[])) AS d(id) JOIN traffic_bindings b ON b.device_id = d.id
                WHERE b.unbound_at IS NULL
                  AND (SELECT traffic_package_live(p.status, p.valid_until, :now) FROM traffic_packages p
                       WHERE p.id = b.package_id)
                  AND b.package_id NOT IN (SELECT unnest(CAST(:except AS uuid[])))
                ORDER BY b.device_id
                """)
            .param("devices", SqlArrays.uuids(devices))
            .param("now", Timestamp.from(now))
            .param("except", SqlArrays.uuids(except))
            .query((rs, row) -> new DeviceBinding(rs.getObject("device_id", UUID.class),
                    rs.getObject("package_id", UUID.class)))
            .list();
    }

    record DeviceBinding(UUID deviceId, UUID packageId) {
    }

    private TrafficPackage row(ResultSet rs, int row) throws SQLException {
        return TrafficPackageRows.read(rs, settings.currency());
    }

}
