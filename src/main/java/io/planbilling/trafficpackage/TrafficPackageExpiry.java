package io.planbilling.trafficpackage;

import io.planbilling.shared.SkipLockedChunks;
import io.planbilling.shared.SqlArrays;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The lifecycle step ({@link TrafficPackageLifecycleSteps}) that expires packages whose
 * validity has run out and auto-renews them (docs/traffic-packages.md), set-based: a
 * chunk is the due packages of up to {@code billing.lifecycle.chunk-size} accounts,
 * claimed with {@code FOR UPDATE SKIP LOCKED} ({@link SkipLockedChunks}) and expired and
 * renewed in a handful of statements ({@link AutoRenewals}) in one short transaction.
 * Several instances run it at once on disjoint accounts, a crash loses at most its
 * uncommitted chunk, and nothing is renewed twice (docs/operations.md): a package is
 * claimed only while active and due, under its row lock, and leaves that state in the
 * transaction that renews it; the unique {@code predecessor_id} refuses a second
 * successor whatever happens.
 */
@Component
class TrafficPackageExpiry {

    private final JdbcClient jdbc;

    private final TrafficPackageRepository packages;

    private final AutoRenewals renewals;

    private final SkipLockedChunks chunks;

    TrafficPackageExpiry(JdbcClient jdbc, TrafficPackageRepository packages, AutoRenewals renewals,
            SkipLockedChunks chunks) {
        this.jdbc = jdbc;
        this.packages = packages;
        this.renewals = renewals;
        this.chunks = chunks;
    }

    Map<String, Long> run(Instant now) {
        return chunks.<Due>run((limit, after) -> claim(now, limit, after == null ? null : after.accountId()),
                due -> expire(due.stream().map(Due::id).toList(), now), "expired", "renewed", "renewalFailures");
    }

    /** A claimed package and its account (the claims' cursor). */
    record Due(UUID id, UUID accountId) {
    }

    /**
     * The due packages of up to {@code limit} accounts after {@code after}, locked, in
     * (account, id) order. An account is claimed by locking its first due package with
     * {@code SKIP LOCKED}: an account another runner holds is passed over whole, so
     * runners at once take disjoint accounts and renew each account's packages in id
     * order, as one runner would. Then the account's other due packages are locked (any
     * that another transaction holds are left for a later run). Neither statement waits
     * for a lock. Due means active and no longer live (docs/traffic-packages.md); the
     * {@code valid_until} bound is the range of the index, for an active package exactly
     * "not live". "First due package" is asked per candidate, as a subquery the planner
     * keeps (an index probe by account and id), so that the claim stays cheap even when
     * the table's statistics predate the storm.
     */
    private List<Due> claim(Instant now, int limit, @Nullable UUID after) {
        List<UUID> accounts = jdbc.sql("""
                SELECT p.account_id FROM traffic_packages p
                WHERE p.status = 'ACTIVE' AND NOT traffic_package_live(p.status, p.valid_until, :now)
                  AND p.valid_until <= :now
                  AND (CAST(:after AS uuid) IS NULL OR p.account_id > CAST(:after AS uuid))
                  AND NOT (SELECT EXISTS (SELECT 1 FROM traffic_packages q
                                          WHERE q.account_id = p.account_id AND q.id < p.id AND q.status = 'ACTIVE'
                                            AND NOT traffic_package_live(q.status, q.valid_until, :now)
                                            AND q.valid_until <= :now))
                ORDER BY p.account_id LIMIT :limit FOR UPDATE OF p SKIP LOCKED
                """)
            .param("now", Timestamp.from(now))
            .param("after", after)
            .param("limit", limit)
            .query(UUID.class)
            .list();
        if (accounts.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT p.id, p.account_id FROM traffic_packages p
                WHERE p.account_id IN (SELECT unnest(CAST(:accounts AS uuid[]))) AND p.status = 'ACTIVE'
                  AND NOT traffic_package_live(p.status, p.valid_until, :now) AND p.valid_until <= :now
                ORDER BY p.account_id, p.id FOR UPDATE OF p SKIP LOCKED
                """)
            .param("accounts", SqlArrays.uuids(accounts))
            .param("now", Timestamp.from(now))
            .query((rs, row) -> new Due(rs.getObject("id", UUID.class), rs.getObject("account_id", UUID.class)))
            .list();
    }

    /**
     * Expires the chunk and auto-renews those of its packages that want it, set-based
     * ({@link AutoRenewals}), each account's in id order.
     */
    private Map<String, Long> expire(List<UUID> due, Instant now) {
        List<TrafficPackage> ended = new ArrayList<>();
        List<AutoRenewals.Ended> renewing = new ArrayList<>();
        for (TrafficPackage pkg : packages.read(due)) {
            if (!pkg.expireIfDue(now)) {
                continue;
            }
            if (pkg.wantsAutoRenewal()) {
                renewing.add(new AutoRenewals.Ended(pkg, pkg.validUntil()));
            }
            else {
                ended.add(pkg);
            }
        }
        packages.updateAll(ended);
        long renewed = renewals.renew(renewing, now).size();
        return Map.of("expired", (long) ended.size() + renewing.size(), "renewed", renewed, "renewalFailures",
                renewing.size() - renewed);
    }

}
