package io.planbilling.bandwidthplan;

import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.FieldViolation;
import io.planbilling.shared.PageQuery;
import io.planbilling.shared.PageView;
import io.planbilling.shared.ProblemException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Speed-limit rules of a plan (docs/bandwidth-plans.md). Every change holds the plan's
 * row lock, so the rules of one plan (unique names, one rule per phone, limits within the
 * peak) change one request at a time, on any instance; the unique keys on name and on
 * (plan, phone) back this up.
 */
@Service
class SpeedLimitRules {

    private final BandwidthPlanRepository plans;

    private final SpeedLimitRuleRepository rules;

    private final OfficeNetworkRepository networks;

    private final Clock clock;

    SpeedLimitRules(BandwidthPlanRepository plans, SpeedLimitRuleRepository rules, OfficeNetworkRepository networks,
            Clock clock) {
        this.plans = plans;
        this.rules = rules;
        this.networks = networks;
        this.clock = clock;
    }

    @Transactional
    public SpeedLimitRuleView create(UUID accountId, UUID planId, String name, int upstreamMbps, int downstreamMbps,
            List<UUID> cloudPhoneIds) {
        BandwidthPlan plan = lockAssociated(accountId, planId);
        UUID id = UUID.randomUUID();
        SpeedLimitRuleRepository.Rule rule = new SpeedLimitRuleRepository.Rule(id, name.strip(), upstreamMbps,
                downstreamMbps, clock.instant());
        requireWithinPeak(plan, rule);
        requireFreeName(planId, rule.name(), id);
        Set<UUID> phones = requirePhones(accountId, plan, cloudPhoneIds, id);
        rules.insert(planId, rule);
        rules.replacePhones(planId, id, phones);
        return view(planId, id);
    }

    @Transactional(readOnly = true)
    public PageView<SpeedLimitRuleView> list(UUID accountId, UUID planId, PageQuery page) {
        plans.findLive(accountId, planId).orElseThrow(() -> ProblemException.notFound("Bandwidth plan", planId));
        Map<UUID, List<UUID>> phones = rules.phonesByRule(planId);
        List<SpeedLimitRuleView> all = rules.rules(planId)
            .stream()
            .map(rule -> view(rule, phones.getOrDefault(rule.id(), List.of())))
            .toList();
        int from = (int) Math.min(all.size(), page.offset());
        int to = Math.min(all.size(), from + page.size());
        return PageView.of(all.subList(from, to), page, all.size());
    }

    @Transactional(readOnly = true)
    public SpeedLimitRuleView get(UUID accountId, UUID planId, UUID ruleId) {
        plans.findLive(accountId, planId).orElseThrow(() -> ProblemException.notFound("Bandwidth plan", planId));
        return view(planId, ruleId);
    }

    /** Changes the name and/or the limits; what is null stays. */
    @Transactional
    public SpeedLimitRuleView update(UUID accountId, UUID planId, UUID ruleId, @Nullable String name,
            @Nullable Integer upstreamMbps, @Nullable Integer downstreamMbps) {
        BandwidthPlan plan = lockAssociated(accountId, planId);
        SpeedLimitRuleRepository.Rule current = rules.find(planId, ruleId)
            .orElseThrow(() -> ProblemException.notFound("Speed-limit rule", ruleId));
        SpeedLimitRuleRepository.Rule changed = new SpeedLimitRuleRepository.Rule(ruleId,
                name == null ? current.name() : name.strip(),
                upstreamMbps == null ? current.upstreamMbps() : upstreamMbps,
                downstreamMbps == null ? current.downstreamMbps() : downstreamMbps, current.createdAt());
        requireWithinPeak(plan, changed);
        requireFreeName(planId, changed.name(), ruleId);
        rules.update(changed);
        return view(planId, ruleId);
    }

    @Transactional
    public SpeedLimitRuleView replacePhones(UUID accountId, UUID planId, UUID ruleId, List<UUID> cloudPhoneIds) {
        BandwidthPlan plan = lockAssociated(accountId, planId);
        rules.find(planId, ruleId).orElseThrow(() -> ProblemException.notFound("Speed-limit rule", ruleId));
        Set<UUID> phones = requirePhones(accountId, plan, cloudPhoneIds, ruleId);
        rules.replacePhones(planId, ruleId, phones);
        return view(planId, ruleId);
    }

    @Transactional
    public void delete(UUID accountId, UUID planId, UUID ruleId) {
        plans.lock(accountId, planId).orElseThrow(() -> ProblemException.notFound("Bandwidth plan", planId));
        rules.find(planId, ruleId).orElseThrow(() -> ProblemException.notFound("Speed-limit rule", ruleId));
        rules.delete(ruleId);
    }

    private BandwidthPlan lockAssociated(UUID accountId, UUID planId) {
        BandwidthPlan plan = plans.lock(accountId, planId)
            .orElseThrow(() -> ProblemException.notFound("Bandwidth plan", planId));
        plan.requireLive(clock.instant());
        plan.requireAssociated();
        return plan;
    }

    private static void requireWithinPeak(BandwidthPlan plan, SpeedLimitRuleRepository.Rule rule) {
        List<FieldViolation> violations = new ArrayList<>();
        if (rule.upstreamMbps() > plan.peakMbps()) {
            violations.add(new FieldViolation("upstreamMbps",
                    "must be at most the plan's peak of " + plan.peakMbps() + " Mbps"));
        }
        if (rule.downstreamMbps() > plan.peakMbps()) {
            violations.add(new FieldViolation("downstreamMbps",
                    "must be at most the plan's peak of " + plan.peakMbps() + " Mbps"));
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(ErrorCode.LIMIT_EXCEEDS_PEAK,
                    "A rule's limits must be between 1 Mbps and the plan's peak of " + plan.peakMbps() + " Mbps.",
                    violations);
        }
    }

    private void requireFreeName(UUID planId, String name, UUID ruleId) {
        if (rules.nameTaken(planId, name, ruleId)) {
            throw new ProblemException(ErrorCode.RULE_NAME_TAKEN,
                    "The plan already has a speed-limit rule named '" + name + "'.",
                    List.of(new FieldViolation("name", "is already used by another rule of the plan")));
        }
    }

    private Set<UUID> requirePhones(UUID accountId, BandwidthPlan plan, List<UUID> cloudPhoneIds, UUID ruleId) {
        Set<UUID> phones = new LinkedHashSet<>(cloudPhoneIds);
        if (phones.size() != cloudPhoneIds.size()) {
            throw ProblemException.invalid("cloudPhoneIds", "must not contain a phone twice");
        }
        Set<UUID> inNetwork = networks.phonesInNetwork(accountId, plan.requireAssociated(), phones);
        List<FieldViolation> outside = new ArrayList<>();
        for (int i = 0; i < cloudPhoneIds.size(); i++) {
            if (!inNetwork.contains(cloudPhoneIds.get(i))) {
                outside.add(new FieldViolation("cloudPhoneIds[" + i + "]",
                        "cloud phone " + cloudPhoneIds.get(i) + " is not in the plan's office network"));
            }
        }
        if (!outside.isEmpty()) {
            throw new ProblemException(ErrorCode.PHONE_NOT_IN_NETWORK,
                    outside.size() + " of the cloud phones are not in the plan's office network.", outside);
        }
        Map<UUID, String> limited = rules.limitedElsewhere(plan.id(), phones, ruleId);
        if (!limited.isEmpty()) {
            List<FieldViolation> taken = new ArrayList<>();
            for (int i = 0; i < cloudPhoneIds.size(); i++) {
                String rule = limited.get(cloudPhoneIds.get(i));
                if (rule != null) {
                    taken.add(new FieldViolation("cloudPhoneIds[" + i + "]",
                            "cloud phone " + cloudPhoneIds.get(i) + " is already limited by rule '" + rule + "'"));
                }
            }
            throw new ProblemException(ErrorCode.PHONE_ALREADY_LIMITED,
                    taken.size() + " of the cloud phones are already in another speed-limit rule of the plan.", taken);
        }
        return phones;
    }

    private SpeedLimitRuleView view(UUID planId, UUID ruleId) {
        SpeedLimitRuleRepository.Rule rule = rules.find(planId, ruleId)
            .orElseThrow(() -> ProblemException.notFound("Speed-limit rule", ruleId));
        return view(rule, rules.phonesByRule(planId).getOrDefault(ruleId, List.of()));
    }

    private static SpeedLimitRuleView view(SpeedLimitRuleRepository.Rule rule, List<UUID> phones) {
        return new SpeedLimitRuleView(rule.id(), rule.name(), rule.upstreamMbps(), rule.downstreamMbps(), phones,
                rule.createdAt());
    }

}
