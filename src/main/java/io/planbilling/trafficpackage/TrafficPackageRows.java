package io.planbilling.trafficpackage;

import io.planbilling.shared.Money;
import io.planbilling.shared.SqlArrays;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How a traffic package is read from its row, its bindings, its successor and its usage
 * alerts ({@link TrafficPackageRepository} reads every package through it).
 */
final class TrafficPackageRows {

    /** The package columns and what hangs off the package; append a {@code WHERE}. */
    static final String SELECT = """
            SELECT p.id, p.account_id, p.type, p.region, p.status, p.capacity_bytes, p.used_bytes, p.max_devices,
                   p.auto_renew, p.price, p.paid, p.valid_from, p.valid_until, p.ended_at, p.pending_type,
                   p.pending_devices, p.renewal_failure, p.predecessor_id, p.created_at,
                   (SELECT s.id FROM traffic_packages s WHERE s.predecessor_id = p.id) AS successor_id,
                   ARRAY(SELECT b.device_id FROM traffic_bindings b WHERE b.package_id = p.id AND b.unbound_at IS NULL
                         ORDER BY b.bound_at, b.device_id) AS device_ids,
                   ARRAY(SELECT u.threshold FROM traffic_package_usage_alerts u WHERE u.package_id = p.id
                         ORDER BY u.threshold) AS thresholds_reached
            FROM traffic_packages p
            """;

    private TrafficPackageRows() {
    }

    static TrafficPackage read(ResultSet rs, Currency currency) throws SQLException {
        String pendingType = rs.getString("pending_type");
        Timestamp ended = rs.getTimestamp("ended_at");
        return new TrafficPackage(rs.getObject("id", UUID.class), rs.getObject("account_id", UUID.class),
                TrafficPackageType.valueOf(rs.getString("type")), TrafficRegion.valueOf(rs.getString("region")),
                TrafficPackageStatus.valueOf(rs.getString("status")), rs.getLong("capacity_bytes"),
                rs.getLong("used_bytes"), rs.getInt("max_devices"), rs.getBoolean("auto_renew"),
                Money.of(rs.getBigDecimal("price"), currency), Money.of(rs.getBigDecimal("paid"), currency),
                rs.getTimestamp("valid_from").toInstant(), rs.getTimestamp("valid_until").toInstant(),
                ended == null ? null : ended.toInstant(),
                pendingType == null ? null : TrafficPackageType.valueOf(pendingType),
                uuids(rs.getArray("pending_devices")), rs.getString("renewal_failure"),
                rs.getObject("predecessor_id", UUID.class), rs.getObject("successor_id", UUID.class),
                uuidList(rs.getArray("device_ids")), rs.getTimestamp("created_at").toInstant(),
                SqlArrays.integers(rs.getArray("thresholds_reached")));
    }

    private static @Nullable List<UUID> uuids(@Nullable Array array) throws SQLException {
        return array == null ? null : uuidList(array);
    }

    private static List<UUID> uuidList(Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        List<UUID> ids = new ArrayList<>(values.length);
        for (Object value : values) {
            ids.add(value instanceof UUID uuid ? uuid : UUID.fromString(value.toString()));
        }
        return ids;
    }

}
