package io.planbilling.bandwidthplan;

import io.planbilling.shared.PageQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Office networks and cloud phones. */
@Repository
class OfficeNetworkRepository {

    /** A network's identity as rules need it. */
    record Network(UUID id, UUID accountId, String name, BandwidthRegion region) {
    }

    private static final String VIEW = """
            SELECT n.id, n.name, n.region, n.created_at, p.id AS plan_id, p.status AS plan_status,
                   p.peak_mbps AS plan_peak
            FROM office_networks n LEFT JOIN bandwidth_plans p ON p.office_network_id = n.id
            """;

    private final JdbcClient jdbc;

    OfficeNetworkRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID id, UUID accountId, String name, BandwidthRegion region, Instant at) {
        jdbc.sql("INSERT INTO office_networks (id, account_id, name, region, created_at)"
                + " VALUES (:id, :account, :name, :region, :at)")
            .param("id", id)
            .param("account", accountId)
            .param("name", name)
            .param("region", region.name())
            .param("at", Timestamp.from(at))
            .update();
    }

    Optional<OfficeNetworkView> view(UUID accountId, UUID id) {
        return jdbc.sql(VIEW + " WHERE n.account_id = :account AND n.id = :id")
            .param("account", accountId)
            .param("id", id)
            .query(OfficeNetworkRepository::view)
            .optional();
    }

    List<OfficeNetworkView> page(UUID accountId, PageQuery page) {
        return jdbc
            .sql(VIEW + " WHERE n.account_id = :account ORDER BY n.created_at DESC, n.id DESC"
                    + " LIMIT :limit OFFSET :offset")
            .param("account", accountId)
            .param("limit", page.size())
            .param("offset", page.offset())
            .query(OfficeNetworkRepository::view)
            .list();
    }

    long count(UUID accountId) {
        return jdbc.sql("SELECT count(*) FROM office_networks WHERE account_id = :account")
            .param("account", accountId)
            .query(Long.class)
            .single();
    }

    /** The account's network, row-locked: associations of one network serialise on it. */
    Optional<Network> lock(UUID accountId, UUID id) {
        return network(accountId, id, " FOR UPDATE");
    }

    Optional<Network> find(UUID accountId, UUID id) {
        return network(accountId, id, "");
    }

    private Optional<Network> network(UUID accountId, UUID id, String lock) {
        return jdbc
            .sql("SELECT id, account_id, name, region FROM office_networks WHERE id = :id"
                    + " AND account_id = :account" + lock)
            .param("id", id)
            .param("account", accountId)
            .query(OfficeNetworkRepository::network)
            .optional();
    }

    Optional<String> name(UUID id) {
        return jdbc.sql("SELECT name FROM office_networks WHERE id = :id")
            .param("id", id)
            .query(String.class)
            .optional();
    }

    /**
     * Which of {@code ids} exist at all (any account): samples are posted by the
     * operator.
     */
    Set<UUID> existing(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("SELECT id FROM office_networks WHERE id IN (:ids)")
            .param("ids", ids)
            .query(UUID.class)
            .list());
    }

    void insertPhone(UUID id, UUID accountId, UUID networkId, String name, Instant at) {
        jdbc.sql("INSERT INTO cloud_phones (id, account_id, office_network_id, name, created_at)"
                + " VALUES (:id, :account, :network, :name, :at)")
            .param("id", id)
            .param("account", accountId)
            .param("network", networkId)
            .param("name", name)
            .param("at", Timestamp.from(at))
            .update();
    }

    Optional<CloudPhoneView> phone(UUID accountId, UUID id) {
        return jdbc
            .sql("SELECT id, name, office_network_id, created_at FROM cloud_phones"
                    + " WHERE account_id = :account AND id = :id")
            .param("account", accountId)
            .param("id", id)
            .query(OfficeNetworkRepository::phone)
            .optional();
    }

    List<CloudPhoneView> phones(UUID accountId, @Nullable UUID networkId, PageQuery page) {
        return jdbc
            .sql("SELECT id, name, office_network_id, created_at FROM cloud_phones WHERE account_id = :account"
                    + " AND (CAST(:network AS uuid) IS NULL OR office_network_id = :network)"
                    + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
            .param("account", accountId)
            .param("network", networkId)
            .param("limit", page.size())
            .param("offset", page.offset())
            .query(OfficeNetworkRepository::phone)
            .list();
    }

    long countPhones(UUID accountId, @Nullable UUID networkId) {
        return jdbc
            .sql("SELECT count(*) FROM cloud_phones WHERE account_id = :account"
                    + " AND (CAST(:network AS uuid) IS NULL OR office_network_id = :network)")
            .param("account", accountId)
            .param("network", networkId)
            .query(Long.class)
            .single();
    }

    /** Which of {@code phoneIds} are the account's phones in {@code networkId}. */
    Set<UUID> phonesInNetwork(UUID accountId, UUID networkId, Collection<UUID> phoneIds) {
        if (phoneIds.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc
            .sql("SELECT id FROM cloud_phones WHERE account_id = :account"
                    + " AND office_network_id = :network AND id IN (:ids)")
            .param("account", accountId)
            .param("network", networkId)
            .param("ids", phoneIds)
            .query(UUID.class)
            .list());
    }

    private static OfficeNetworkView view(ResultSet rs, int row) throws SQLException {
        UUID planId = rs.getObject("plan_id", UUID.class);
        boolean premium = planId != null && "IN_USE".equals(rs.getString("plan_status"));
        return new OfficeNetworkView(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("region"),
                premium ? BandwidthMode.PREMIUM : BandwidthMode.BASIC,
                premium ? rs.getInt("plan_peak") : BandwidthSettings.BASIC_PEAK_MBPS, planId,
                rs.getTimestamp("created_at").toInstant());
    }

    private static Network network(ResultSet rs, int row) throws SQLException {
        return new Network(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                new BandwidthRegion(rs.getString(4)));
    }

    private static CloudPhoneView phone(ResultSet rs, int row) throws SQLException {
        return new CloudPhoneView(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                rs.getTimestamp(4).toInstant());
    }

}
