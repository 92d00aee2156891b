package io.planbilling.trafficpackage;

import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.GroupCommit;
import io.planbilling.shared.GroupCommits;
import io.planbilling.shared.ProblemException;
import io.planbilling.shared.RecordProblem;
import io.planbilling.shared.RecordSource;
import io.planbilling.shared.Screened;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Usage ingestion (docs/traffic-packages.md): a batch of metered records is validated
 * whole, claimed exactly once by record id, and offset against the packages live at each
 * record's time, with carry-over into auto-renewed successors and the rest billed
 * pay-as-you-go or blocked, with the reason why it was not offset.
 *
 * <p>
 * This class orchestrates one batch in one transaction; the work is in its parts:
 * {@link UsageRecordParser} reads the records, {@link UsageLocks} locks what they may
 * change (in the documented lock order), {@link UsageAllocator} splits them in memory,
 * {@link UsageRecordRepository} stores them. A batch is a handful of set-based statements
 * whatever its size: one to read the devices, one to find and lock (in id order) every
 * package its devices could draw on, one to skip the ids applied before, one multi-row
 * insert of the records with their split (the primary key, not the lookup, is what makes
 * a record count once, even when concurrent batches carry it), and one statement for the
 * packages' usage. Concurrent batches touching the same package serialise on its row
 * lock, and a check constraint keeps {@code used_bytes} within the capacity regardless.
 * The batch's events (packages exhausted, expired or renewed; pay-as-you-go traffic
 * accrued) are recorded in memory and written by one statement when the batch commits
 * (docs/events.md). Its alerts (docs/alerts.md) cost one statement each when there is
 * something to alert: the usage thresholds its packages reached, and its pay-as-you-go
 * charges added to their bill months' running totals (the last statement before the
 * events, since it holds each account's month row until the commit).
 *
 * <p>
 * {@link UsageCharges} books the pay-as-you-go part. Small posted batches that arrive
 * together share one transaction ({@link GroupCommit}, {@link #applyGroup}), each with
 * its own answer. A stream (a Kafka listener) uses {@link #applyValid}: the records that
 * pass are applied, each with its own {@link RecordSource}, and the others are named by
 * their problems, in one call that reads the batch once.
 */
@Service
public class TrafficUsage {

    /** Most records in one batch. */
    public static final int MAX_BATCH = 10_000;

    private final DeviceRepository devices;

    private final UsageLocks locks;

    private final UsageRecordRepository records;

    private final TrafficPackageRepository packages;

    private final Renewals renewals;

    private final TrafficPrices prices;

    private final BillingSettings settings;

    private final UsageAlerts usageAlerts;

    private final UsageCharges charges;

    private final TransactionTemplate transactions;

    private final GroupCommit<Pending, Answer> groups;

    private final Clock clock;

    TrafficUsage(DeviceRepository devices, UsageLocks locks, UsageRecordRepository records,
            TrafficPackageRepository packages, Renewals renewals, TrafficPrices prices, BillingSettings settings,
            UsageAlerts usageAlerts, UsageCharges charges, TransactionTemplate transactions, GroupCommits groupCommits,
            Clock clock) {
        this.devices = devices;
        this.locks = locks;
        this.records = records;
        this.packages = packages;
        this.renewals = renewals;
        this.prices = prices;
        this.settings = settings;
        this.usageAlerts = usageAlerts;
        this.charges = charges;
        this.transactions = transactions;
        this.groups = groupCommits.create("usage", this::applyGroup);
        this.clock = clock;
    }

    /**
     * Applies a posted batch atomically: when any record is invalid (a field, or an
     * unknown device) nothing is applied and the 400 names every bad record by index
     * ({@code records[i].field}). Each record's source is the current request. A small
     * batch may share its transaction with concurrent ones ({@link GroupCommit}); its
     * answer is its own either way.
     */
    public UsageBatchResult ingest(@Nullable List<@Nullable UsageRecordInput> batch) {
        List<@Nullable UsageRecordInput> inputs = requireSize(batch);
        return groups
            .submit(inputs.size(), () -> prepare(inputs),
                    pending -> Objects.requireNonNull(transactions.execute(status -> applyGroup(List.of(pending))))
                        .get(0))
            .get();
    }

    /**
     * A posted batch whose records all read, with their source; whether their devices
     * exist is checked with its group's.
     */
    record Pending(List<UsageRecord> records, List<RecordSource> sources) {
    }

    /** A posted batch's answer from its group: its result, or the 400 it gets alone. */
    record Answer(@Nullable UsageBatchResult result, @Nullable ProblemException refusal) {

        UsageBatchResult get() {
            if (refusal != null) {
                throw refusal;
            }
            return Objects.requireNonNull(result);
        }

    }

    /**
     * Checks a posted batch's fields, on the request's own thread: a 400 naming every
     * problem (unknown devices included), or the batch ready to join a group.
     */
    Pending prepare(List<@Nullable UsageRecordInput> inputs) {
        UsageRecordParser.Parsed parsed = UsageRecordParser.parse(inputs, clock.instant());
        if (!parsed.problems().isEmpty()) {
            throw RecordProblem.refusal("records", inputs.size(), check(parsed).problems());
        }
        return new Pending(parsed.records(), Collections.nCopies(inputs.size(), RecordSource.currentRequest()));
    }

    /**
     * Applies several posted batches as one, in the caller's transaction, and answers
     * each its own part. Their devices are read by one statement for all of them; a batch
     * naming an unknown device is refused alone (its 400, as if it had come alone) and
     * the others are applied as if it had never come. The others' records go into one
     * list (each keeping its source) and their results are split back by position. A
     * record id in two of them counts once, for the first, and the other answers it as a
     * duplicate with the same split, as if they had come one after the other; records of
     * different batches on one package are allocated in the order they occurred, as
     * within one batch.
     */
    List<Answer> applyGroup(List<Pending> group) {
        Set<UUID> wanted = new HashSet<>();
        group.forEach(pending -> pending.records().forEach(record -> wanted.add(record.deviceId())));
        Map<UUID, DeviceRepository.Device> known = new HashMap<>();
        devices.findAll(wanted).forEach(device -> known.put(device.id(), device));
        List<@Nullable Answer> answers = new ArrayList<>(Collections.nCopies(group.size(), null));
        List<UsageRecord> all = new ArrayList<>();
        List<RecordSource> sources = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            Pending pending = group.get(i);
            List<RecordProblem> unknown = unknownDevices(pending.records(), known);
            if (!unknown.isEmpty()) {
                answers.set(i, new Answer(null, RecordProblem.refusal("records", pending.sources().size(), unknown)));
                continue;
            }
            int offset = sources.size();
            pending.records().forEach(record -> all.add(record.at(offset + record.index())));
            sources.addAll(pending.sources());
        }
        List<UsageBatchResult.RecordResult> results = all.isEmpty() ? List.of()
                : applyChecked(new Checked(all, known, List.of()), sources).results();
        int offset = 0;
        for (int i = 0; i < group.size(); i++) {
            if (answers.get(i) != null) {
                continue;
            }
            int size = group.get(i).sources().size();
            List<UsageBatchResult.RecordResult> own = List.copyOf(results.subList(offset, offset + size));
            offset += size;
            int applied = (int) own.stream().filter(result -> !result.duplicate()).count();
            answers.set(i, new Answer(new UsageBatchResult(applied, own.size() - applied, own), null));
        }
        return answers.stream().map(Objects::requireNonNull).toList();
    }

    /**
     * Applies the records of a stream's batch that pass, in the caller's transaction when
     * one is open, and names every problem of the others (of format, or an unknown
     * device: what an HTTP batch would be refused for), by index, in index order; the
     * records are read and their devices looked up once. {@code sources} names where each
     * came from (same order). A record whose id was applied before (over HTTP or Kafka)
     * is a duplicate, answered with its original split; the answer's results are those of
     * the passing records, in order. A problem found only while applying (which the
     * checks did not foresee) refuses the whole list (400).
     */
    @Transactional
    public Screened<UsageBatchResult> applyValid(List<@Nullable UsageRecordInput> batch, List<RecordSource> sources) {
        List<@Nullable UsageRecordInput> inputs = requireSize(batch);
        if (sources.size() != inputs.size()) {
            throw new IllegalArgumentException(sources.size() + " sources for " + inputs.size() + " records");
        }
        Checked checked = check(inputs, clock.instant());
        List<UsageRecord> passing = checked.records();
        if (!checked.problems().isEmpty()) {
            Set<Integer> refused = new HashSet<>();
            checked.problems().forEach(problem -> refused.add(problem.index()));
            passing = passing.stream().filter(record -> !refused.contains(record.index())).toList();
        }
        UsageBatchResult applied = passing.isEmpty() ? new UsageBatchResult(0, 0, List.of())
                : applyChecked(new Checked(passing, checked.devices(), List.of()), sources);
        return new Screened<>(applied, checked.problems());
    }

    private static List<@Nullable UsageRecordInput> requireSize(
            @Nullable List<? extends @Nullable UsageRecordInput> batch) {
        if (batch == null || batch.isEmpty() || batch.size() > MAX_BATCH) {
            throw ProblemException.invalid("records", "must hold 1 to " + MAX_BATCH + " records");
        }
        return Collections.unmodifiableList(batch);
    }

    /** The records that read, their devices, and the problems of the rest. */
    record Checked(List<UsageRecord> records, Map<UUID, DeviceRepository.Device> devices,
            List<RecordProblem> problems) {
    }

    private Checked check(List<@Nullable UsageRecordInput> inputs, Instant now) {
        return check(UsageRecordParser.parse(inputs, now));
    }

    private Checked check(UsageRecordParser.Parsed parsed) {
        Set<UUID> wanted = new HashSet<>();
        parsed.records().forEach(record -> wanted.add(record.deviceId()));
        Map<UUID, DeviceRepository.Device> known = new HashMap<>();
        devices.findAll(wanted).forEach(device -> known.put(device.id(), device));
        List<RecordProblem> problems = new ArrayList<>(parsed.problems());
        problems.addAll(unknownDevices(parsed.records(), known));
        problems.sort(Comparator.comparingInt(RecordProblem::index));
        return new Checked(parsed.records(), known, problems);
    }

    private static List<RecordProblem> unknownDevices(List<UsageRecord> records,
            Map<UUID, DeviceRepository.Device> known) {
        List<RecordProblem> problems = new ArrayList<>();
        for (UsageRecord record : records) {
            if (!known.containsKey(record.deviceId())) {
                problems.add(RecordProblem.invalid(record.index(), "deviceId", "unknown device " + record.deviceId()));
            }
        }
        return problems;
    }

    private UsageBatchResult applyChecked(Checked checked, List<RecordSource> sources) {
        Instant now = clock.instant();
        List<MeteredUsage> usages = new ArrayList<>(checked.records().size());
        for (UsageRecord record : checked.records()) {
            // check() refused every record whose device is unknown
            DeviceRepository.Device device = Objects.requireNonNull(checked.devices().get(record.deviceId()));
            usages
                .add(new MeteredUsage(record, device.accountId(), device.overagePolicy(), sources.get(record.index())));
        }
        // the first occurrence of each id is the one applied; later ones in the batch are
        // duplicates of it
        Map<String, MeteredUsage> firsts = new LinkedHashMap<>();
        usages.forEach(usage -> firsts.putIfAbsent(usage.id(), usage));

        LockedPackages locked = locks.lock(checked.records());
        Map<UUID, Long> usedBefore = new HashMap<>();
        locked.all().forEach(pkg -> usedBefore.put(pkg.id(), pkg.usedBytes()));
        UsageAllocator allocator = new UsageAllocator(locked,
                (ended, endedAt) -> renewals.renewAutomatically(ended, endedAt, now),
                region -> prices.paygPerGb(region, settings).amount());
        allocator.expireDue(now);
        Set<String> seenBefore = records.existing(firsts.keySet());
        List<MeteredUsage> fresh = firsts.values().stream().filter(usage -> !seenBefore.contains(usage.id())).toList();
        Map<String, UsageSplit> splits = allocator.allocate(fresh);
        Set<String> claimed = records.claim(fresh, splits, now);
        if (claimed.size() != fresh.size()) {
            fresh = settleLostClaims(fresh, splits, claimed);
        }
        records.writeAllocations(fresh, splits);
        List<TrafficPackage> changed = allocator.changed();
        usageAlerts.reached(changed, usedBefore, now);
        packages.updateUsage(changed);
        charges.record(fresh, splits);

        Map<String, UsageBatchResult.RecordResult> originals = records
            .originals(firsts.keySet().stream().filter(id -> !claimed.contains(id)).toList());
        List<UsageBatchResult.RecordResult> results = new ArrayList<>(usages.size());
        Set<String> seen = new HashSet<>();
        for (MeteredUsage usage : usages) {
            boolean first = seen.add(usage.id());
            UsageSplit split = splits.get(usage.id());
            results.add(split != null ? split.result(usage.id(), !first) : originals.get(usage.id()));
        }
        return new UsageBatchResult(fresh.size(), usages.size() - fresh.size(), results);
    }

    /**
     * Some records were stored by a concurrent batch between this batch's check and its
     * insert (possible only for records that no locked package serialises, such as those
     * of devices without a package). When none of them drew on a package they are simply
     * duplicates; otherwise the allocation this batch made in memory is void, so the
     * transaction is abandoned as a retryable concurrent update (409
     * {@code CONCURRENT_UPDATE}, nothing applied).
     */
    private static List<MeteredUsage> settleLostClaims(List<MeteredUsage> fresh, Map<String, UsageSplit> splits,
            Set<String> claimed) {
        List<MeteredUsage> kept = new ArrayList<>(fresh.size());
        for (MeteredUsage usage : fresh) {
            if (claimed.contains(usage.id())) {
                kept.add(usage);
                continue;
            }
            UsageSplit lost = splits.remove(usage.id());
            if (lost != null && lost.packageBytes > 0) {
                throw new ConcurrencyFailureException("Usage record " + usage.id()
                        + " was applied by a concurrent batch while this one allocated it");
            }
        }
        return kept;
    }

}
