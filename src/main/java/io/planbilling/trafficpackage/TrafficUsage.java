package io.planbilling.trafficpackage;

import io.planbilling.account.AccruedCharge;
import io.planbilling.account.PostpaidMonths;
import io.planbilling.account.PostpaidUnit;
import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.EventOutbox;
import io.planbilling.shared.EventType;
import io.planbilling.shared.Money;
import io.planbilling.shared.ProblemException;
import io.planbilling.shared.RecordProblem;
import io.planbilling.shared.RecordSource;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

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
 * Callers other than the HTTP endpoint (a Kafka listener) use {@link #check} and
 * {@link #apply}: every problem of every record, then the records that passed, each with
 * its own {@link RecordSource}.
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

    private final EventOutbox events;

    private final UsageAlerts usageAlerts;

    private final PostpaidMonths postpaidMonths;

    private final Clock clock;

    TrafficUsage(DeviceRepository devices, UsageLocks locks, UsageRecordRepository records,
            TrafficPackageRepository packages, Renewals renewals, TrafficPrices prices, BillingSettings settings,
            EventOutbox events, UsageAlerts usageAlerts, PostpaidMonths postpaidMonths, Clock clock) {
        this.devices = devices;
        this.locks = locks;
        this.records = records;
        this.packages = packages;
        this.renewals = renewals;
        this.prices = prices;
        this.settings = settings;
        this.events = events;
        this.usageAlerts = usageAlerts;
        this.postpaidMonths = postpaidMonths;
        this.clock = clock;
    }

    /**
     * Applies a posted batch atomically: when any record is invalid (a field, or an
     * unknown device) nothing is applied and the 400 names every bad record by index
     * ({@code records[i].field}). Each record's source is the current request.
     */
    @Transactional
    public UsageBatchResult ingest(@Nullable List<@Nullable UsageRecordInput> batch) {
        List<@Nullable UsageRecordInput> inputs = requireSize(batch);
        Checked checked = check(inputs, clock.instant());
        if (!checked.problems().isEmpty()) {
            throw RecordProblem.refusal("records", inputs.size(), checked.problems());
        }
        return applyChecked(checked, Collections.nCopies(inputs.size(), RecordSource.currentRequest()));
    }

    /**
     * Every problem of every record, of format and of reference (an unknown device), in
     * index order; reads, never writes.
     */
    public List<RecordProblem> check(List<@Nullable UsageRecordInput> batch) {
        return check(requireSize(batch), clock.instant()).problems();
    }

    /**
     * Applies records that passed {@link #check}, atomically, in the caller's transaction
     * when one is open; {@code sources} names where each came from (same order). A record
     * whose id was applied before (over HTTP or Kafka) is a duplicate, answered with its
     * original split. A record that does not pass after all refuses the whole list (400).
     */
    @Transactional
    public UsageBatchResult apply(List<UsageRecordInput> batch, List<RecordSource> sources) {
        List<@Nullable UsageRecordInput> inputs = requireSize(batch);
        if (sources.size() != inputs.size()) {
            throw new IllegalArgumentException(sources.size() + " sources for " + inputs.size() + " records");
        }
        Checked checked = check(inputs, clock.instant());
        if (!checked.problems().isEmpty()) {
            throw RecordProblem.refusal("records", inputs.size(), checked.problems());
        }
        return applyChecked(checked, sources);
    }

    private static List<@Nullable UsageRecordInput> requireSize(
            @Nullable List<? extends @Nullable UsageRecordInput> batch) {
        if (batch == null || batch.isEmpty() || batch.size() > MAX_BATCH) {
            throw ProblemException.invalid("records", "must hold 1 to " + MAX_BATCH + " records");
        }
        return Collections.unmodifiableList(batch);
    }

    /** The records that read, their devices, and the problems of the rest. */
    private record Checked(List<UsageRecord> records, Map<UUID, DeviceRepository.Device> devices,
            List<RecordProblem> problems) {
    }

    private Checked check(List<@Nullable UsageRecordInput> inputs, Instant now) {
        UsageRecordParser.Parsed parsed = UsageRecordParser.parse(inputs, now);
        Set<UUID> wanted = new HashSet<>();
        parsed.records().forEach(record -> wanted.add(record.deviceId()));
        Map<UUID, DeviceRepository.Device> known = new HashMap<>();
        devices.findAll(wanted).forEach(device -> known.put(device.id(), device));
        List<RecordProblem> problems = new ArrayList<>(parsed.problems());
        for (UsageRecord record : parsed.records()) {
            if (!known.containsKey(record.deviceId())) {
                problems.add(RecordProblem.invalid(record.index(), "deviceId", "unknown device " + record.deviceId()));
            }
        }
        problems.sort(java.util.Comparator.comparingInt(RecordProblem::index));
        return new Checked(parsed.records(), known, problems);
    }

    private UsageBatchResult applyChecked(Checked checked, List<RecordSource> sources) {
        Instant now = clock.instant();
        List<MeteredUsage> usages = new ArrayList<>(checked.records().size());
        for (UsageRecord record : checked.records()) {
            DeviceRepository.Device device = checked.devices().get(record.deviceId());
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
        recordCharges(fresh, splits);

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

    /** A device's pay-as-you-go traffic of one batch at one unit price. */
    private record ChargeKey(UUID accountId, UUID deviceId, BigDecimal unitPrice) {
    }

    /**
     * One {@code charge.accrued} per device and unit price of the records this batch
     * applied: their bytes in GB, exactly, and the amount rounded once; the monthly bill
     * adds the month's bytes up and rounds its line once.
     */
    private void recordCharges(List<MeteredUsage> applied, Map<String, UsageSplit> splits) {
        Map<ChargeKey, long[]> bytes = new LinkedHashMap<>();
        Map<ChargeKey, List<String>> ids = new HashMap<>();
        List<PostpaidMonths.Accrual> accruals = new ArrayList<>();
        for (MeteredUsage usage : applied) {
            UsageSplit split = splits.get(usage.id());
            if (split.paygBytes > 0) {
                ChargeKey key = new ChargeKey(usage.accountId(), usage.deviceId(), split.paygUnitPrice);
                bytes.computeIfAbsent(key, k -> new long[1])[0] += split.paygBytes;
                ids.computeIfAbsent(key, k -> new ArrayList<>()).add(usage.id());
                accruals.add(new PostpaidMonths.Accrual(usage.accountId(), usage.occurredAt(), PostpaidUnit.GB,
                        BigDecimal.valueOf(split.paygBytes), Money.of(split.paygUnitPrice, settings.currency())));
            }
        }
        // the bill months' running totals, in the batch's last statement before its
        // events (docs/alerts.md)
        postpaidMonths.add(accruals);
        bytes.forEach((key, total) -> events.record(EventType.CHARGE_ACCRUED, key.accountId(),
                TrafficPostpaidCharges.RESOURCE_TYPE, key.deviceId(),
                AccruedCharge.of(TrafficPostpaidCharges.KIND, TrafficPostpaidCharges.RESOURCE_TYPE, key.deviceId(),
                        PostpaidUnit.GB, BigDecimal.valueOf(total[0]), Money.of(key.unitPrice(), settings.currency()),
                        null, ids.get(key).stream().sorted().toList())));
    }

}
