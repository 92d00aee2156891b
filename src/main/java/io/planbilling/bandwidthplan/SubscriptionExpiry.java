package io.planbilling.bandwidthplan;

import io.planbilling.account.Accounts;
import io.planbilling.account.LedgerKind;
import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.Money;
import io.planbilling.shared.SkipLockedChunks;
import io.planbilling.shared.SqlArrays;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The lifecycle step {@code bandwidth-plan-expiry}: auto-renews (paying from the balance)
 * or expires every subscription whose expiry has passed (docs/bandwidth-plans.md),
 * set-based, as {@code traffic-package-expiry} does (docs/operations.md, renewal storms):
 * a chunk is the due subscriptions of up to {@code billing.lifecycle.chunk-size}
 * accounts, claimed with {@code FOR UPDATE SKIP LOCKED} ({@link SkipLockedChunks}), and
 * renewed and expired in a handful of statements in one short transaction. The outcome is
 * that of taking the subscriptions one by one, each account's in order of expiry:
 * <ul>
 * <li>a subscription with auto-renewal pays {@code AUTO_RENEWAL} one term of its own
 * duration at its current peak, and again while its expiry is still in the past (a clock
 * that jumped several terms renews each), each when the balance covers it at its turn
 * ({@link Accounts#tryChargeAll});</li>
 * <li>one whose expiry is then still in the past expires at its expiry instant: it is
 * dissociated (its rules purged, its association closed), its peak history closed, its
 * address released.</li>
 * </ul>
 * A subscription is claimed only while live and due, under its row lock, and leaves that
 * state in the transaction that renews or expires it, so nothing is done twice whatever
 * runs at once.
 */
@Component
class SubscriptionExpiry {

    private final JdbcClient jdbc;

    private final SkipLockedChunks chunks;

    private final BandwidthPlanRepository plans;

    private final BandwidthPlans facade;

    private final Accounts accounts;

    private final BandwidthPrices prices;

    private final BillingSettings settings;

    SubscriptionExpiry(JdbcClient jdbc, SkipLockedChunks chunks, BandwidthPlanRepository plans, BandwidthPlans facade,
            Accounts accounts, BandwidthPrices prices, BillingSettings settings) {
        this.jdbc = jdbc;
        this.chunks = chunks;
        this.plans = plans;
        this.facade = facade;
        this.accounts = accounts;
        this.prices = prices;
        this.settings = settings;
    }

    /** A claimed subscription and the name of its network, if it has one. */
    record Due(BandwidthPlan plan, @Nullable String networkName) {
    }

    Map<String, Long> run(Instant now) {
        return chunks.<Due>run((limit, after) -> claim(now, limit, after == null ? null : after.plan().accountId()),
                due -> expireOrRenew(due, now), BandwidthLifecycle.AUTO_RENEWED, BandwidthLifecycle.EXPIRED);
    }

    /**
     * The due subscriptions of up to {@code limit} accounts after {@code after}, locked,
     * in (account, expiry, id) order. An account is claimed by locking its first due
     * subscription (by id) with {@code SKIP LOCKED}: an account another runner holds is
     * passed over whole, so runners at once take disjoint accounts and renew each
     * account's subscriptions in order of expiry, as one runner would. Then the account's
     * other due subscriptions are locked (any that another transaction holds are left for
     * a later run). Neither statement waits for a lock.
     */
    private List<Due> claim(Instant now, int limit, @Nullable UUID after) {
        List<UUID> claimed = jdbc.sql("""
                SELECT p.account_id FROM bandwidth_plans p
                WHERE p.payment_type = 'SUBSCRIPTION' AND p.status IN %1$s AND p.expires_at <= :now
                  AND (CAST(:after AS uuid) IS NULL OR p.account_id > CAST(:after AS uuid))
                  AND NOT (SELECT EXISTS (SELECT 1 FROM bandwidth_plans q
                                          WHERE q.account_id = p.account_id AND q.id < p.id
                                            AND q.payment_type = 'SUBSCRIPTION' AND q.status IN %1$s
                                            AND q.expires_at <= :now))
                ORDER BY p.account_id LIMIT :limit FOR UPDATE OF p SKIP LOCKED
                """.formatted(BandwidthPlanRepository.LIVE))
            .param("now", Timestamp.from(now))
            .param("after", after)
            .param("limit", limit)
            .query(UUID.class)
            .list();
        if (claimed.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT %s, n.name AS network_name
                FROM bandwidth_plans p LEFT JOIN office_networks n ON n.id = p.office_network_id
                WHERE p.account_id IN (SELECT unnest(CAST(:accounts AS uuid[])))
                  AND p.payment_type = 'SUBSCRIPTION' AND p.status IN %s AND p.expires_at <= :now
                ORDER BY p.account_id, p.expires_at, p.id FOR UPDATE OF p SKIP LOCKED
                """.formatted(BandwidthPlanRepository.COLUMNS, BandwidthPlanRepository.LIVE))
            .param("accounts", SqlArrays.uuids(claimed))
            .param("now", Timestamp.from(now))
            .query((rs, row) -> new Due(BandwidthPlanRepository.plan(rs, row), rs.getString("network_name")))
            .list();
    }

    /**
     * Renews and expires a chunk: every term each subscription may need is asked of the
     * balance at once, in order ({@link Accounts#tryChargeAll}); the terms paid are
     * inserted, what expired is dissociated and released, and the plans written, each
     * with one statement.
     */
    private Map<String, Long> expireOrRenew(List<Due> due, Instant now) {
        List<Accounts.Debit> debits = new ArrayList<>();
        int[] wanted = new int[due.size()];
        for (int i = 0; i < due.size(); i++) {
            BandwidthPlan plan = due.get(i).plan();
            if (!plan.autoRenewEnabled()) {
                continue;
            }
            PlanDuration own = Objects.requireNonNull(plan.duration());
            Money price = plan.termPrice(prices, settings.currency());
            String description = "Bandwidth plan " + plan.ipAddress() + ": auto-renewed " + plan.peakMbps()
                    + " Mbps for " + own;
            for (Instant expiry = Objects.requireNonNull(plan.expiresAt()); !expiry.isAfter(now); expiry = own
                .after(expiry, settings.zone())) {
                debits.add(new Accounts.Debit(plan.accountId(), price, LedgerKind.AUTO_RENEWAL,
                        HourlyCharges.RESOURCE_TYPE, plan.id(), description));
                wanted[i]++;
            }
        }
        // A subscription's debits are consecutive and of one amount: once one is not
        // covered, the balance does not move before the next, which is not covered
        // either, so the paid ones are the leading ones, as renewing term by term stops
        // at the first the balance does not cover.
        Iterator<Boolean> paid = accounts.tryChargeAll(debits).iterator();
        List<BandwidthPlanStatements.PlanTerm> terms = new ArrayList<>();
        List<BandwidthPlanStatements.PlanAt> dissociated = new ArrayList<>();
        List<BandwidthPlanStatements.PlanAt> ended = new ArrayList<>();
        List<BandwidthPlan> changed = new ArrayList<>(due.size());
        Map<UUID, String> networkNames = new HashMap<>();
        for (int i = 0; i < due.size(); i++) {
            BandwidthPlan plan = due.get(i).plan();
            boolean paying = true;
            for (int term = 0; term < wanted[i]; term++) {
                boolean covered = paid.next();
                if (covered && !paying) {
                    throw new IllegalStateException(
                            "A later term of bandwidth plan " + plan.id() + " was paid after an earlier one was not");
                }
                paying = covered;
                if (covered) {
                    terms.add(new BandwidthPlanStatements.PlanTerm(plan.id(), plan.autoRenew(prices, settings.zone())));
                }
            }
            Instant expiry = Objects.requireNonNull(plan.expiresAt());
            if (!expiry.isAfter(now)) {
                if (plan.officeNetworkId() != null) {
                    plan.dissociate();
                    dissociated.add(new BandwidthPlanStatements.PlanAt(plan.id(), expiry));
                }
                plan.end(PlanStatus.EXPIRED, expiry);
                ended.add(new BandwidthPlanStatements.PlanAt(plan.id(), expiry));
            }
            else if (plan.officeNetworkId() != null && due.get(i).networkName() != null) {
                networkNames.put(plan.officeNetworkId(), due.get(i).networkName());
            }
            changed.add(plan);
        }
        plans.insertTerms(terms);
        facade.afterDissociation(dissociated);
        facade.released(ended);
        plans.updateAll(changed, networkNames);
        return Map.of(BandwidthLifecycle.AUTO_RENEWED, (long) terms.size(), BandwidthLifecycle.EXPIRED,
                (long) ended.size());
    }

}
