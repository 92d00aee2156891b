package io.planbilling.trafficpackage;

import io.planbilling.shared.PageQuery;
import io.planbilling.shared.SqlArrays;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Devices in PostgreSQL; a device's live package is found through the bindings. */
@Component
class DeviceRepository {

    /** A device row with its live package as of {@code :now}. */
    private static final String SELECT = """
            SELECT d.id, d.name, d.overage_policy, d.created_at,
                   (SELECT b.package_id FROM traffic_bindings b JOIN traffic_packages p ON p.id = b.package_id
                    WHERE b.device_id = d.id AND b.unbound_at IS NULL AND traffic_package_live(p.status, p.valid_until, :now)
                    LIMIT 1) AS package_id
            FROM traffic_devices d
            """;

    private final JdbcClient jdbc;

    DeviceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Device(UUID id, UUID accountId, OveragePolicy overagePolicy) {
    }

    void insert(UUID id, UUID accountId, String name, OveragePolicy policy, Instant at) {
        jdbc.sql(
                "INSERT INTO traffic_devices (id, account_id, name, overage_policy, created_at) VALUES (:id, :accountId, :name, :policy, :at)")
            .param("id", id)
            .param("accountId", accountId)
            .param("name", name)
            .param("policy", policy.name())
            .param("at", Timestamp.from(at))
            .update();
    }

    boolean update(UUID accountId, UUID id, @Nullable String name, @Nullable OveragePolicy policy) {
        return jdbc
            .sql("""
                    UPDATE traffic_devices SET name = coalesce(:name, name), overage_policy = coalesce(:policy, overage_policy)
                    WHERE id = :id AND account_id = :accountId
                    """)
            .param("id", id)
            .param("accountId", accountId)
            .param("name", name)
            .param("policy", policy == null ? null : policy.name())
            .update() == 1;
    }

    Optional<DeviceView> find(UUID accountId, UUID id, Instant now) {
        return jdbc.sql(SELECT + " WHERE d.id = :id AND d.account_id = :accountId")
            .param("id", id)
            .param("accountId", accountId)
            .param("now", Timestamp.from(now))
            .query(this::view)
            .optional();
    }

    List<DeviceView> page(UUID accountId, @Nullable Boolean bound, Instant now, PageQuery page) {
        return jdbc
            .sql("SELECT * FROM (" + SELECT + " WHERE d.account_id = :accountId ORDER BY d.seq DESC) v"
                    + boundFilter(bound) + " LIMIT :limit OFFSET :offset")
            .param("accountId", accountId)
            .param("now", Timestamp.from(now))
            .param("limit", page.size())
            .param("offset", page.offset())
            .query(this::view)
            .list();
    }

    long count(UUID accountId, @Nullable Boolean bound, Instant now) {
        return jdbc.sql("SELECT count(*) FROM (" + SELECT + " WHERE d.account_id = :accountId) v" + boundFilter(bound))
            .param("accountId", accountId)
            .param("now", Timestamp.from(now))
            .query(Long.class)
            .single();
    }

    private static String boundFilter(@Nullable Boolean bound) {
        if (bound == null) {
            return "";
        }
        return bound ? " WHERE v.package_id IS NOT NULL" : " WHERE v.package_id IS NULL";
    }

    /**
     * Locks the account's devices among {@code ids} in id order (the one order every
     * locker uses), so that bindings of one device serialise across instances; returns
     * those found.
     */
    List<UUID> lock(UUID accountId, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT id FROM traffic_devices WHERE id = ANY(CAST(:ids AS uuid[])) AND account_id = :accountId
                ORDER BY id FOR UPDATE
                """).param("ids", SqlArrays.uuids(ids)).param("accountId", accountId).query(UUID.class).list();
    }

    /**
     * Locks devices of any account in id order: a job that renews many packages takes all
     * their devices' locks before it charges any account, keeping the one lock order
     * (packages, devices, accounts) across a whole chunk.
     */
    void lockAll(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql(
                "SELECT id FROM traffic_devices WHERE id IN (SELECT unnest(CAST(:ids AS uuid[]))) ORDER BY id FOR UPDATE")
            .param("ids", SqlArrays.uuids(ids))
            .query(UUID.class)
            .list();
    }

    /**
     * The devices among {@code ids} that exist, with their owners and policies (one
     * statement for a whole batch).
     */
    List<Device> findAll(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc
            .sql("SELECT id, account_id, overage_policy FROM traffic_devices WHERE id = ANY(CAST(:ids AS uuid[]))")
            .param("ids", SqlArrays.uuids(ids))
            .query((rs, row) -> new Device(rs.getObject("id", UUID.class), rs.getObject("account_id", UUID.class),
                    OveragePolicy.valueOf(rs.getString("overage_policy"))))
            .list();
    }

    DeviceUsageView usage(UUID deviceId, Instant from, Instant to) {
        return jdbc.sql("""
                SELECT coalesce(sum(package_bytes), 0) AS package_bytes, coalesce(sum(payg_bytes), 0) AS payg_bytes,
                       coalesce(sum(blocked_bytes), 0) AS blocked_bytes
                FROM traffic_usage_records WHERE device_id = :id AND occurred_at >= :from AND occurred_at < :to
                """)
            .param("id", deviceId)
            .param("from", Timestamp.from(from))
            .param("to", Timestamp.from(to))
            .query((rs, row) -> new DeviceUsageView(deviceId, from, to, rs.getLong("package_bytes"),
                    rs.getLong("payg_bytes"), rs.getLong("blocked_bytes")))
            .single();
    }

    private DeviceView view(ResultSet rs, int row) throws SQLException {
        UUID packageId = rs.getObject("package_id", UUID.class);
        return new DeviceView(rs.getObject("id", UUID.class), rs.getString("name"),
                OveragePolicy.valueOf(rs.getString("overage_policy")),
                packageId == null ? DeviceView.PayMode.PAY_AS_YOU_GO : DeviceView.PayMode.PACKAGE, packageId,
                rs.getTimestamp("created_at").toInstant());
    }

}
