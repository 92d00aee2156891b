package io.planbilling.bandwidthplan;

import io.planbilling.shared.SqlArrays;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Speed-limit rules and the phones they limit. Callers hold the plan's row lock. */
@Repository
class SpeedLimitRuleRepository {

    /** A rule without its phones. */
    record Rule(UUID id, String name, int upstreamMbps, int downstreamMbps, Instant createdAt) {
    }

    private static final String RULES = "SELECT id, name, upstream_mbps, downstream_mbps, created_at FROM speed_limit_rules";

    private final JdbcClient jdbc;

    SpeedLimitRuleRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID planId, Rule rule) {
        jdbc.sql("INSERT INTO speed_limit_rules (id, plan_id, name, upstream_mbps, downstream_mbps, created_at)"
                + " VALUES (:id, :plan, :name, :up, :down, :at)")
            .param("id", rule.id())
            .param("plan", planId)
            .param("name", rule.name())
            .param("up", rule.upstreamMbps())
            .param("down", rule.downstreamMbps())
            .param("at", Timestamp.from(rule.createdAt()))
            .update();
    }

    void update(Rule rule) {
        jdbc.sql("UPDATE speed_limit_rules SET name = :name, upstream_mbps = :up, downstream_mbps = :down"
                + " WHERE id = :id")
            .param("id", rule.id())
            .param("name", rule.name())
            .param("up", rule.upstreamMbps())
            .param("down", rule.downstreamMbps())
            .update();
    }

    Optional<Rule> find(UUID planId, UUID ruleId) {
        return jdbc.sql(RULES + " WHERE plan_id = :plan AND id = :id")
            .param("plan", planId)
            .param("id", ruleId)
            .query(this::rule)
            .optional();
    }

    List<Rule> rules(UUID planId) {
        return jdbc.sql(RULES + " WHERE plan_id = :plan ORDER BY created_at DESC, id DESC")
            .param("plan", planId)
            .query(this::rule)
            .list();
    }

    /** Whether another rule of the plan has the name. */
    boolean nameTaken(UUID planId, String name, UUID exceptRuleId) {
        return jdbc
            .sql("SELECT count(*) FROM speed_limit_rules WHERE plan_id = :plan AND name = :name" + " AND id <> :except")
            .param("plan", planId)
            .param("name", name)
            .param("except", exceptRuleId)
            .query(Long.class)
            .single() > 0;
    }

    /** Rules whose upstream or downstream limit is above {@code mbps}. */
    List<Rule> above(UUID planId, int mbps) {
        return jdbc
            .sql(RULES + " WHERE plan_id = :plan AND (upstream_mbps > :mbps OR downstream_mbps > :mbps) ORDER BY name")
            .param("plan", planId)
            .param("mbps", mbps)
            .query(this::rule)
            .list();
    }

    /**
     * Of {@code phoneIds}, those already in a rule of the plan other than
     * {@code exceptRuleId}, with that rule's name.
     */
    Map<UUID, String> limitedElsewhere(UUID planId, Collection<UUID> phoneIds, UUID exceptRuleId) {
        Map<UUID, String> limited = new LinkedHashMap<>();
        if (phoneIds.isEmpty()) {
            return limited;
        }
        jdbc.sql("SELECT p.cloud_phone_id, r.name FROM speed_limit_rule_phones p JOIN speed_limit_rules r"
                + " ON r.id = p.rule_id WHERE p.plan_id = :plan AND p.cloud_phone_id IN (:phones)"
                + " AND p.rule_id <> :except")
            .param("plan", planId)
            .param("phones", phoneIds)
            .param("except", exceptRuleId)
            .query(rs -> {
                limited.put(rs.getObject(1, UUID.class), rs.getString(2));
            });
        return limited;
    }

    void replacePhones(UUID planId, UUID ruleId, Collection<UUID> phoneIds) {
        jdbc.sql("DELETE FROM speed_limit_rule_phones WHERE rule_id = :rule").param("rule", ruleId).update();
        for (UUID phone : phoneIds) {
            jdbc.sql("INSERT INTO speed_limit_rule_phones (plan_id, cloud_phone_id, rule_id)"
                    + " VALUES (:plan, :phone, :rule)")
                .param("plan", planId)
                .param("phone", phone)
                .param("rule", ruleId)
                .update();
        }
    }

    Map<UUID, List<UUID>> phonesByRule(UUID planId) {
        Map<UUID, List<UUID>> phones = new LinkedHashMap<>();
        jdbc.sql("SELECT rule_id, cloud_phone_id FROM speed_limit_rule_phones WHERE plan_id = :plan"
                + " ORDER BY cloud_phone_id")
            .param("plan", planId)
            .query(rs -> {
                phones.computeIfAbsent(rs.getObject(1, UUID.class), id -> new ArrayList<>())
                    .add(rs.getObject(2, UUID.class));
            });
        return phones;
    }

    void delete(UUID ruleId) {
        jdbc.sql("DELETE FROM speed_limit_rules WHERE id = :id").param("id", ruleId).update();
    }

    /** Removes every rule of the plan (dissociation). */
    int purge(UUID planId) {
        return purgeAll(List.of(planId));
    }

    /** Removes every rule of every plan, in one statement per table. */
    int purgeAll(Collection<UUID> planIds) {
        if (planIds.isEmpty()) {
            return 0;
        }
        String[] plans = SqlArrays.uuids(planIds);
        jdbc.sql("DELETE FROM speed_limit_rule_phones WHERE plan_id IN (SELECT unnest(CAST(:plans AS uuid[])))")
            .param("plans", plans)
            .update();
        return jdbc.sql("DELETE FROM speed_limit_rules WHERE plan_id IN (SELECT unnest(CAST(:plans AS uuid[])))")
            .param("plans", plans)
            .update();
    }

    private Rule rule(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Rule(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3), rs.getInt(4),
                rs.getTimestamp(5).toInstant());
    }

}
