package io.planbilling.trafficpackage;

import io.planbilling.account.AccruedCharge;
import io.planbilling.account.PostpaidMonths;
import io.planbilling.account.PostpaidUnit;
import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.EventOutbox;
import io.planbilling.shared.EventType;
import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.FieldViolation;
import io.planbilling.shared.Money;
import io.planbilling.shared.ProblemException;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Usage ingestion (docs/traffic-packages.md): a batch of metered records is validated
 * whole, claimed exactly once by record id, and offset against the packages live at each
 * record's time, with carry-over into auto-renewed successors and the rest billed
 * pay-as-you-go or blocked, with the reason why it was not offset.
 *
 * <p>
 * A batch is a handful of set-based statements whatever its size: one to read the
 * devices, one to find and lock (in id order) every package its devices could draw on,
 * one to skip the ids applied before, an allocation in memory over the locked rows, one
 * multi-row insert of the records with their split ({@code INSERT … ON CONFLICT (id) DO
 * NOTHING RETURNING id}: the primary key, not the lookup, is what makes a record count
 * once, even when concurrent batches carry it), and one statement for the packages'
 * usage. Concurrent batches touching the same package serialise on its row lock, and a
 * check constraint keeps {@code used_bytes} within the capacity regardless. The batch's
 * events (packages exhausted, expired or renewed; pay-as-you-go traffic accrued) are
 * recorded in memory and written by one statement when the batch commits
 * (docs/events.md). Its alerts (docs/alerts.md) cost one statement each when there is
 * something to alert: the usage thresholds its packages reached, and its pay-as-you-go
 * charges added to their bill months' running totals (the last statement before the
 * events, since it holds each account's month row until the commit).
 */
@Service
class TrafficUsage {

    /** Most records in one batch. */
    public static final int MAX_BATCH = 10_000;
    static final int MAX_ID_LENGTH = 64;

    /**
     * How far ahead of the service's clock a record's {@code occurredAt} may be (gateway
     * clocks drift).
     */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /**
     * Rounds of locking a batch's packages in id order before a successor found late is
     * locked out of order.
     */
    static final int MAX_LOCK_ATTEMPTS = 5;

    private final JdbcClient jdbc;

    private final TrafficPackageRepository packages;

    private final DeviceRepository devices;

    private final Renewals renewals;

    private final TrafficPrices prices;

    private final BillingSettings settings;

    private final EventOutbox events;

    private final UsageAlerts usageAlerts;

    private final PostpaidMonths postpaidMonths;

    private final Clock clock;

    TrafficUsage(JdbcClient jdbc, TrafficPackageRepository packages, DeviceRepository devices, Renewals renewals,
            TrafficPrices prices, BillingSettings settings, EventOutbox events, UsageAlerts usageAlerts,
            PostpaidMonths postpaidMonths, Clock clock) {
        this.jdbc = jdbc;
        this.packages = packages;
        this.devices = devices;
        this.renewals = renewals;
        this.prices = prices;
        this.settings = settings;
        this.events = events;
        this.usageAlerts = usageAlerts;
        this.postpaidMonths = postpaidMonths;
        this.clock = clock;
    }

    /** A record that passed validation. */
    private record Usage(int index, String id, UUID deviceId, UUID accountId, OveragePolicy policy,
            TrafficRegion region, long bytes, Instant occurredAt) {
    }

    /**
     * A binding as the allocation needs it: from when, and until when (an unsubscribe
     * releases devices).
     */
    private record Binding(UUID packageId, Instant boundAt, @Nullable Instant unboundAt) {
    }

    /** How one record was split. */
    private static final class Split {

        @Nullable UUID packageId;

        long packageBytes;

        long paygBytes;

        long blockedBytes;

        @Nullable UnoffsetReason reason;

        BigDecimal paygUnitPrice = BigDecimal.ZERO;

        final Map<UUID, Long> allocations = new LinkedHashMap<>();

    }

    /**
     * Applies a batch atomically: when any record is invalid nothing is applied and the
     * 400 names every bad record by index ({@code records[i].field}).
     */
    @Transactional
    public UsageBatchResult ingest(@Nullable List<@Nullable UsageRecordInput> records) {
        if (records == null || records.isEmpty() || records.size() > MAX_BATCH) {
            throw ProblemException.invalid("records", "must hold 1 to " + MAX_BATCH + " records");
        }
        Instant now = clock.instant();
        List<Usage> usages = validate(records, now);

        // the first occurrence of each id is the one applied; later ones in the batch are
        // duplicates of it
        Map<String, Usage> firsts = new LinkedHashMap<>();
        for (Usage usage : usages) {
            firsts.putIfAbsent(usage.id(), usage);
        }

        Map<UUID, TrafficPackage> locked = lockCandidates(usages);
        Map<UUID, Long> usedBefore = new HashMap<>();
        locked.values().forEach(pkg -> usedBefore.put(pkg.id(), pkg.usedBytes()));
        Map<UUID, List<Binding>> bindings = bindings(locked.keySet());
        lockRenewalDevices(locked.values());
        Set<UUID> dirty = new HashSet<>();
        for (TrafficPackage pkg : List.copyOf(locked.values())) {
            if (pkg.expireIfDue(now)) {
                dirty.add(pkg.id());
                if (pkg.wantsAutoRenewal()) {
                    renewals.renewAutomatically(pkg, pkg.validUntil(), now)
                        .ifPresent(successor -> adopt(successor, locked, bindings));
                }
            }
        }

        Set<String> seenBefore = existing(firsts.keySet());
        List<Usage> fresh = firsts.values()
            .stream()
            .filter(usage -> !seenBefore.contains(usage.id()))
            .sorted(Comparator.comparing(Usage::occurredAt).thenComparingInt(Usage::index))
            .toList();
        Map<String, Split> splits = new HashMap<>();
        for (Usage usage : fresh) {
            splits.put(usage.id(), allocate(usage, locked, bindings, dirty, now));
        }
        Set<String> claimed = claim(fresh, splits, now);
        if (claimed.size() != fresh.size()) {
            fresh = settleLostClaims(fresh, splits, claimed);
        }
        writeAllocations(fresh, splits);
        List<TrafficPackage> changed = dirty.stream().map(locked::get).toList();
        usageAlerts.reached(changed, usedBefore, now);
        packages.updateUsage(changed);
        recordCharges(fresh, splits);

        Map<String, UsageBatchResult.RecordResult> originals = originals(firsts.keySet(), claimed);
        List<UsageBatchResult.RecordResult> results = new ArrayList<>(usages.size());
        Set<String> seen = new HashSet<>();
        for (Usage usage : usages) {
            boolean first = seen.add(usage.id());
            Split split = splits.get(usage.id());
            if (split != null) {
                results.add(new UsageBatchResult.RecordResult(usage.id(), split.packageId, split.packageBytes,
                        split.paygBytes, split.blockedBytes, !first, split.reason));
            }
            else {
                results.add(originals.get(usage.id()));
            }
        }
        return new UsageBatchResult(fresh.size(), usages.size() - fresh.size(), results);
    }

    private List<Usage> validate(List<@Nullable UsageRecordInput> records, Instant now) {
        List<FieldViolation> errors = new ArrayList<>();
        UUID[] deviceIds = new UUID[records.size()];
        Instant[] occurred = new Instant[records.size()];
        // a batch repeats devices and timestamps a lot: each distinct string is parsed
        // once
        Map<String, UUID> parsedDevices = new HashMap<>();
        Map<String, Instant> parsedInstants = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            UsageRecordInput record = records.get(i);
            String at = "records[" + i + "]";
            if (record == null) {
                errors.add(new FieldViolation(at, "must be a record"));
                continue;
            }
            if (record.id() == null || record.id().isBlank()) {
                errors.add(new FieldViolation(at + ".id", "must not be blank"));
            }
            else if (record.id().length() > MAX_ID_LENGTH) {
                errors.add(new FieldViolation(at + ".id", "must be at most " + MAX_ID_LENGTH + " characters"));
            }
            else if (hasControlCharacter(record.id())) {
                errors.add(new FieldViolation(at + ".id", "must not contain control characters"));
            }
            if (record.deviceId() == null) {
                errors.add(new FieldViolation(at + ".deviceId", "must not be null"));
            }
            else {
                deviceIds[i] = parsedDevices.computeIfAbsent(record.deviceId(), TrafficUsage::uuidOrNull);
                if (deviceIds[i] == null) {
                    errors.add(new FieldViolation(at + ".deviceId", "must be a UUID"));
                }
            }
            if (record.region() == null) {
                errors.add(new FieldViolation(at + ".region", "must not be null"));
            }
            else if (region(record.region()) == null) {
                errors.add(new FieldViolation(at + ".region",
                        ProblemException.mustBeOneOf(List.of(TrafficRegion.values()))));
            }
            if (record.bytes() == null) {
                errors.add(new FieldViolation(at + ".bytes", "must not be null"));
            }
            else if (record.wholeBytes() == null) {
                errors
                    .add(new FieldViolation(at + ".bytes", "must be a whole number of bytes up to " + Long.MAX_VALUE));
            }
            else if (record.wholeBytes() <= 0) {
                errors.add(new FieldViolation(at + ".bytes", "must be greater than 0"));
            }
            if (record.occurredAt() == null) {
                errors.add(new FieldViolation(at + ".occurredAt", "must not be null"));
            }
            else {
                Instant occurredAt = parsedInstants.computeIfAbsent(record.occurredAt(), TrafficUsage::instantOrNull);
                occurred[i] = occurredAt;
                if (occurredAt == null) {
                    errors.add(new FieldViolation(at + ".occurredAt", "must be an ISO-8601 instant"));
                }
                else if (occurredAt.isBefore(Instant.EPOCH)) {
                    errors.add(new FieldViolation(at + ".occurredAt", "must not be before " + Instant.EPOCH));
                }
                else if (occurredAt.isAfter(now.plus(MAX_CLOCK_SKEW))) {
                    errors.add(new FieldViolation(at + ".occurredAt",
                            "must not be more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes in the future"));
                }
            }
        }
        Set<UUID> wanted = new HashSet<>();
        for (UUID deviceId : deviceIds) {
            if (deviceId != null) {
                wanted.add(deviceId);
            }
        }
        Map<UUID, DeviceRepository.Device> known = new HashMap<>();
        devices.findAll(wanted).forEach(device -> known.put(device.id(), device));
        for (int i = 0; i < deviceIds.length; i++) {
            if (deviceIds[i] != null && !known.containsKey(deviceIds[i])) {
                errors.add(new FieldViolation("records[" + i + "].deviceId", "unknown device " + deviceIds[i]));
            }
        }
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparingInt(TrafficUsage::indexOf));
            long bad = errors.stream().map(TrafficUsage::indexOf).distinct().count();
            throw new ProblemException(ErrorCode.VALIDATION_FAILED,
                    bad + " of " + records.size() + " records are invalid; nothing was applied.", errors);
        }
        List<Usage> usages = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            UsageRecordInput record = records.get(i);
            String id = record.id();
            String regionName = record.region();
            TrafficRegion region = regionName == null ? null : region(regionName);
            Long bytes = record.wholeBytes();
            DeviceRepository.Device device = known.get(deviceIds[i]);
            // the checks above report every record with a field missing, unreadable or
            // unknown
            if (id == null || region == null || bytes == null || device == null) {
                throw new IllegalStateException("records[" + i + "] passed the checks unread");
            }
            usages.add(new Usage(i, id, device.id(), device.accountId(), device.overagePolicy(), region, bytes,
                    occurred[i]));
        }
        return usages;
    }

    private static @Nullable UUID uuidOrNull(String value) {
        try {
            return UUID.fromString(value);
        }
        catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }

    private static @Nullable Instant instantOrNull(String value) {
        try {
            return Instant.parse(value);
        }
        catch (DateTimeParseException notAnInstant) {
            return null;
        }
    }

    private static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(FieldViolation violation) {
        String field = violation.field();
        return Integer.parseInt(field.substring(field.indexOf('[') + 1, field.indexOf(']')));
    }

    private static @Nullable TrafficRegion region(String value) {
        for (TrafficRegion region : TrafficRegion.values()) {
            if (region.name().equals(value)) {
                return region;
            }
        }
        return null;
    }

    /**
     * Locks, in id order and in one statement, every package the batch's devices were
     * bound to in the batch's time span, with their successors; then reads them. A
     * successor created while this waited for a lock is locked next. Packages whose
     * validity ran out before the batch's latest record but whose end the lifecycle job
     * has not recorded yet are locked too: the batch records their expiry first (with its
     * auto-renewal), so traffic after the expiry finds the successor instead of falling
     * to pay-as-you-go until the job runs.
     */
    private Map<UUID, TrafficPackage> lockCandidates(List<Usage> usages) {
        Set<UUID> deviceIds = new HashSet<>();
        Instant min = Instant.MAX;
        Instant max = Instant.MIN;
        for (Usage usage : usages) {
            deviceIds.add(usage.deviceId());
            min = usage.occurredAt().isBefore(min) ? usage.occurredAt() : min;
            max = usage.occurredAt().isAfter(max) ? usage.occurredAt() : max;
        }
        for (int attempt = 1;; attempt++) {
            jdbc.sql("SAVEPOINT traffic_usage_locks").update();
            List<UUID> ids = jdbc.sql("""
                    WITH RECURSIVE candidates(id) AS (
                        SELECT b.package_id
                        FROM unnest(CAST(:devices AS uuid[])) AS d(id)
                             JOIN traffic_bindings b ON b.device_id = d.id
                             JOIN traffic_packages p ON p.id = b.package_id
                        WHERE ((p.valid_from <= :max AND p.valid_until > :min AND p.status <> 'UNSUBSCRIBED')
                               OR (p.status = 'ACTIVE' AND p.valid_until <= :max))
                          AND p.deleted_at IS NULL
                        UNION
                        SELECT s.id FROM traffic_packages s JOIN candidates c ON s.predecessor_id = c.id)
                    SELECT id FROM traffic_packages WHERE id IN (SELECT id FROM candidates) ORDER BY id FOR UPDATE
                    """)
                .param("devices", TrafficPackageRepository.strings(deviceIds))
                .param("min", Timestamp.from(min))
                .param("max", Timestamp.from(max))
                .query(UUID.class)
                .list();
            Map<UUID, TrafficPackage> locked = new HashMap<>();
            packages.read(ids).forEach(pkg -> locked.put(pkg.id(), pkg));
            Set<UUID> missing = missingSuccessors(locked);
            if (missing.isEmpty()) {
                jdbc.sql("RELEASE SAVEPOINT traffic_usage_locks").update();
                return locked;
            }
            if (attempt == MAX_LOCK_ATTEMPTS) {
                // out of id order, but only after several rounds of fresh successors:
                // PostgreSQL would break a deadlock
                while (!missing.isEmpty()) {
                    packages.lock(missing).forEach(pkg -> locked.put(pkg.id(), pkg));
                    missing = missingSuccessors(locked);
                }
                jdbc.sql("RELEASE SAVEPOINT traffic_usage_locks").update();
                return locked;
            }
            // a concurrent batch renewed a package while this one waited for its lock:
            // release every lock taken here
            // and take them again, successor included, in id order (locking it now, out
            // of order, could deadlock)
            jdbc.sql("ROLLBACK TO SAVEPOINT traffic_usage_locks").update();
        }
    }

    private static Set<UUID> missingSuccessors(Map<UUID, TrafficPackage> locked) {
        Set<UUID> missing = new HashSet<>();
        for (TrafficPackage pkg : locked.values()) {
            if (pkg.successorId() != null && !locked.containsKey(pkg.successorId())) {
                missing.add(pkg.successorId());
            }
        }
        return missing;
    }

    /**
     * Locks, in one statement and in id order, the devices every auto-renewing package
     * would bind to its successor, before the first renewal charges an account: the lock
     * order stays packages → devices → account, the one every other path takes, so a
     * concurrent purchase (devices → account) cannot deadlock with a batch that renews
     * several packages. Successors ordered during the batch bind a subset of these
     * devices.
     */
    private void lockRenewalDevices(Collection<TrafficPackage> locked) {
        Set<UUID> renewing = new HashSet<>();
        for (TrafficPackage pkg : locked) {
            if (pkg.status() == TrafficPackageStatus.ACTIVE && pkg.wantsAutoRenewal()) {
                renewing.addAll(pkg.nextDevices());
            }
        }
        devices.lockAll(renewing);
    }

    private Map<UUID, List<Binding>> bindings(Collection<UUID> packageIds) {
        Map<UUID, List<Binding>> byDevice = new HashMap<>();
        if (packageIds.isEmpty()) {
            return byDevice;
        }
        jdbc.sql(
                "SELECT package_id, device_id, bound_at, unbound_at FROM traffic_bindings WHERE package_id = ANY(CAST(:ids AS uuid[]))")
            .param("ids", TrafficPackageRepository.strings(packageIds))
            .query(rs -> {
                Timestamp unbound = rs.getTimestamp("unbound_at");
                byDevice.computeIfAbsent(rs.getObject("device_id", UUID.class), k -> new ArrayList<>())
                    .add(new Binding(rs.getObject("package_id", UUID.class), rs.getTimestamp("bound_at").toInstant(),
                            unbound == null ? null : unbound.toInstant()));
            });
        return byDevice;
    }

    private static void adopt(TrafficPackage successor, Map<UUID, TrafficPackage> locked,
            Map<UUID, List<Binding>> bindings) {
        locked.put(successor.id(), successor);
        for (UUID device : successor.deviceIds()) {
            bindings.computeIfAbsent(device, k -> new ArrayList<>())
                .add(new Binding(successor.id(), successor.validFrom(), null));
        }
    }

    /** The ids among {@code ids} that an earlier batch applied. */
    private Set<String> existing(Set<String> ids) {
        return new HashSet<>(jdbc.sql("SELECT id FROM traffic_usage_records WHERE id = ANY(CAST(:ids AS varchar[]))")
            .param("ids", ids.toArray(String[]::new))
            .query(String.class)
            .list());
    }

    /**
     * Stores the records with their split in one statement and answers the ids it stored.
     * {@code ON CONFLICT (id) DO
     * NOTHING} on the primary key is what makes a record count once: a concurrent batch
     * carrying the same id waits on the key and, once the first commits, stores nothing
     * for it. Rows go in id order so that two such batches cannot deadlock on each
     * other's keys.
     */
    private Set<String> claim(List<Usage> fresh, Map<String, Split> splits, Instant now) {
        if (fresh.isEmpty()) {
            return Set.of();
        }
        List<Usage> sorted = fresh.stream().sorted(Comparator.comparing(Usage::id)).toList();
        int n = sorted.size();
        String[] ids = new String[n];
        String[] accounts = new String[n];
        String[] deviceIds = new String[n];
        String[] regions = new String[n];
        long[] bytes = new long[n];
        String[] occurred = new String[n];
        String[] packageIds = new String[n];
        long[] packageBytes = new long[n];
        long[] paygBytes = new long[n];
        long[] blockedBytes = new long[n];
        String[] unitPrices = new String[n];
        String[] reasons = new String[n];
        for (int i = 0; i < n; i++) {
            Usage usage = sorted.get(i);
            Split split = splitOf(usage, splits);
            ids[i] = usage.id();
            accounts[i] = usage.accountId().toString();
            deviceIds[i] = usage.deviceId().toString();
            regions[i] = usage.region().name();
            bytes[i] = usage.bytes();
            occurred[i] = usage.occurredAt().toString();
            packageIds[i] = split.packageId == null ? null : split.packageId.toString();
            packageBytes[i] = split.packageBytes;
            paygBytes[i] = split.paygBytes;
            blockedBytes[i] = split.blockedBytes;
            unitPrices[i] = split.paygBytes > 0 ? split.paygUnitPrice.toPlainString() : null;
            reasons[i] = split.reason == null ? null : split.reason.name();
        }
        return new HashSet<>(jdbc
            .sql("""
                    INSERT INTO traffic_usage_records (id, account_id, device_id, region, bytes, occurred_at, received_at,
                                                       package_id, package_bytes, payg_bytes, blocked_bytes, payg_unit_price,
                                                       unoffset_reason)
                    SELECT u.id, u.account_id, u.device_id, u.region, u.bytes, u.occurred_at, :now,
                           u.package_id, u.package_bytes, u.payg_bytes, u.blocked_bytes, u.unit_price, u.reason
                    FROM unnest(CAST(:ids AS varchar[]), CAST(:accounts AS uuid[]), CAST(:devices AS uuid[]),
                                CAST(:regions AS varchar[]), CAST(:bytes AS bigint[]), CAST(:occurred AS timestamptz[]),
                                CAST(:packageIds AS uuid[]), CAST(:packageBytes AS bigint[]), CAST(:paygBytes AS bigint[]),
                                CAST(:blockedBytes AS bigint[]), CAST(:unitPrices AS numeric[]), CAST(:reasons AS varchar[]))
                         AS u(id, account_id, device_id, region, bytes, occurred_at, package_id, package_bytes, payg_bytes,
                              blocked_bytes, unit_price, reason)
                    ORDER BY u.id
                    ON CONFLICT (id) DO NOTHING
                    RETURNING id
                    """)
            .param("ids", ids)
            .param("accounts", accounts)
            .param("devices", deviceIds)
            .param("regions", regions)
            .param("bytes", bytes)
            .param("occurred", occurred)
            .param("packageIds", packageIds)
            .param("packageBytes", packageBytes)
            .param("paygBytes", paygBytes)
            .param("blockedBytes", blockedBytes)
            .param("unitPrices", unitPrices)
            .param("reasons", reasons)
            .param("now", Timestamp.from(now))
            .query(String.class)
            .list());
    }

    /**
     * Some records were stored by a concurrent batch between this batch's check and its
     * insert (possible only for records that no locked package serialises, such as those
     * of devices without a package). When none of them drew on a package they are simply
     * duplicates; otherwise the allocation this batch made in memory is void, so the
     * transaction is abandoned as a retryable concurrent update (409
     * {@code CONCURRENT_UPDATE}, nothing applied).
     */
    private static List<Usage> settleLostClaims(List<Usage> fresh, Map<String, Split> splits, Set<String> claimed) {
        List<Usage> kept = new ArrayList<>(fresh.size());
        for (Usage usage : fresh) {
            if (claimed.contains(usage.id())) {
                kept.add(usage);
                continue;
            }
            Split lost = splits.remove(usage.id());
            if (lost != null && lost.packageBytes > 0) {
                throw new ConcurrencyFailureException("Usage record " + usage.id()
                        + " was applied by a concurrent batch while this one allocated it");
            }
        }
        return kept;
    }

    /**
     * Records how the records that drew on more than one package (an exhausted one and
     * its successors) were split; a record offset by one package is fully described by
     * its own row.
     */
    private void writeAllocations(List<Usage> fresh, Map<String, Split> splits) {
        List<String> allocationRecords = new ArrayList<>();
        List<String> allocationPackages = new ArrayList<>();
        List<Long> allocationBytes = new ArrayList<>();
        for (Usage usage : fresh) {
            Split split = splitOf(usage, splits);
            if (split.allocations.size() > 1) {
                split.allocations.forEach((packageId, bytes) -> {
                    allocationRecords.add(usage.id());
                    allocationPackages.add(packageId.toString());
                    allocationBytes.add(bytes);
                });
            }
        }
        if (allocationRecords.isEmpty()) {
            return;
        }
        jdbc.sql("""
                INSERT INTO traffic_usage_allocations (record_id, package_id, bytes)
                SELECT * FROM unnest(CAST(:records AS varchar[]), CAST(:packages AS uuid[]), CAST(:bytes AS bigint[]))
                """)
            .param("records", allocationRecords.toArray(String[]::new))
            .param("packages", allocationPackages.toArray(String[]::new))
            .param("bytes", allocationBytes.stream().mapToLong(Long::longValue).toArray())
            .update();
    }

    /**
     * Offsets one record: against the package bound to its device that is live at its
     * time and matches its region; what a package cannot cover flows into its successor
     * (ordered now when the record exhausts an auto-renewing package), and the rest is
     * pay-as-you-go, or blocked for a {@code CUT_OFF} device.
     */
    private Split allocate(Usage usage, Map<UUID, TrafficPackage> locked, Map<UUID, List<Binding>> bindings,
            Set<UUID> dirty, Instant now) {
        Split split = new Split();
        long left = usage.bytes();
        TrafficPackage pkg = match(usage, locked, bindings);
        boolean matched = pkg != null;
        Set<UUID> visited = new HashSet<>();
        while (pkg != null && visited.add(pkg.id())) {
            boolean wasActive = pkg.status() == TrafficPackageStatus.ACTIVE;
            if (pkg.remainingBytes() > 0) {
                long taken = pkg.deduct(left, usage.occurredAt());
                left -= taken;
                split.packageBytes += taken;
                split.packageId = pkg.id();
                split.allocations.merge(pkg.id(), taken, Long::sum);
                dirty.add(pkg.id());
            }
            if (wasActive && pkg.status() == TrafficPackageStatus.EXHAUSTED && pkg.wantsAutoRenewal()) {
                renewals.renewAutomatically(pkg, usage.occurredAt(), now)
                    .ifPresent(successor -> adopt(successor, locked, bindings));
            }
            if (left == 0) {
                break;
            }
            pkg = successorFor(pkg, usage, locked, bindings);
        }
        if (left > 0) {
            split.reason = matched ? UnoffsetReason.PACKAGE_EXHAUSTED : liveInOtherRegion(usage, locked, bindings)
                    ? UnoffsetReason.REGION_MISMATCH : UnoffsetReason.NO_LIVE_PACKAGE;
            if (usage.policy() == OveragePolicy.CUT_OFF) {
                split.blockedBytes = left;
            }
            else {
                split.paygBytes = left;
                split.paygUnitPrice = prices.paygPerGb(usage.region(), settings).amount();
            }
        }
        return split;
    }

    /**
     * The package the record is offset against: bound to its device at
     * {@code occurredAt}, of its region, valid then. When several qualify (a package
     * exhausted earlier and the one that took over), the one that had not ended by then
     * wins, the latest first; otherwise the latest, whose successors the allocation then
     * walks.
     */
    private static @Nullable TrafficPackage match(Usage usage, Map<UUID, TrafficPackage> locked,
            Map<UUID, List<Binding>> bindings) {
        Instant at = usage.occurredAt();
        TrafficPackage best = null;
        for (Binding binding : bindings.getOrDefault(usage.deviceId(), List.of())) {
            TrafficPackage pkg = locked.get(binding.packageId());
            if (pkg != null && pkg.status() != TrafficPackageStatus.UNSUBSCRIBED && pkg.region() == usage.region()
                    && !binding.boundAt().isAfter(at)
                    && (binding.unboundAt() == null || binding.unboundAt().isAfter(at)) && !pkg.validFrom().isAfter(at)
                    && pkg.validUntil().isAfter(at)) {
                if (best == null || rank(pkg, at) > rank(best, at)
                        || (rank(pkg, at) == rank(best, at) && pkg.validFrom().isAfter(best.validFrom()))) {
                    best = pkg;
                }
            }
        }
        return best;
    }

    /**
     * Whether a package of the other region was bound to the record's device and valid at
     * its time.
     */
    private static boolean liveInOtherRegion(Usage usage, Map<UUID, TrafficPackage> locked,
            Map<UUID, List<Binding>> bindings) {
        Instant at = usage.occurredAt();
        for (Binding binding : bindings.getOrDefault(usage.deviceId(), List.of())) {
            TrafficPackage pkg = locked.get(binding.packageId());
            if (pkg != null && pkg.status() != TrafficPackageStatus.UNSUBSCRIBED && pkg.region() != usage.region()
                    && !binding.boundAt().isAfter(at)
                    && (binding.unboundAt() == null || binding.unboundAt().isAfter(at)) && !pkg.validFrom().isAfter(at)
                    && pkg.validUntil().isAfter(at)) {
                return true;
            }
        }
        return false;
    }

    private static int rank(TrafficPackage pkg, Instant at) {
        return pkg.endedAt() == null || pkg.endedAt().isAfter(at) ? 1 : 0;
    }

    private static @Nullable TrafficPackage successorFor(TrafficPackage pkg, Usage usage,
            Map<UUID, TrafficPackage> locked, Map<UUID, List<Binding>> bindings) {
        TrafficPackage next = pkg.successorId() == null ? null : locked.get(pkg.successorId());
        if (next == null || next.status() == TrafficPackageStatus.UNSUBSCRIBED) {
            return null;
        }
        for (Binding binding : bindings.getOrDefault(usage.deviceId(), List.of())) {
            if (binding.packageId().equals(next.id()) && binding.unboundAt() == null) {
                return next;
            }
        }
        return null;
    }

    /** A device's pay-as-you-go traffic of one batch at one unit price. */
    private record ChargeKey(UUID accountId, UUID deviceId, BigDecimal unitPrice) {
    }

    /**
     * One {@code charge.accrued} per device and unit price of the records this batch
     * applied: their bytes in GB, exactly, and the amount rounded once; the monthly bill
     * adds the month's bytes up and rounds its line once.
     */
    private void recordCharges(List<Usage> applied, Map<String, Split> splits) {
        Map<ChargeKey, Charge> charges = new LinkedHashMap<>();
        List<PostpaidMonths.Accrual> accruals = new ArrayList<>();
        for (Usage usage : applied) {
            Split split = splitOf(usage, splits);
            if (split.paygBytes > 0) {
                ChargeKey key = new ChargeKey(usage.accountId(), usage.deviceId(), split.paygUnitPrice);
                Charge charge = charges.computeIfAbsent(key, k -> new Charge());
                charge.bytes += split.paygBytes;
                charge.records.add(usage.id());
                accruals.add(new PostpaidMonths.Accrual(usage.accountId(), usage.occurredAt(), PostpaidUnit.GB,
                        BigDecimal.valueOf(split.paygBytes), Money.of(split.paygUnitPrice, settings.currency())));
            }
        }
        // the bill months' running totals, in the batch's last statement before its
        // events (docs/alerts.md)
        postpaidMonths.add(accruals);
        charges.forEach((key, charge) -> events.record(EventType.CHARGE_ACCRUED, key.accountId(),
                TrafficPostpaidCharges.RESOURCE_TYPE, key.deviceId(),
                AccruedCharge.of(TrafficPostpaidCharges.KIND, TrafficPostpaidCharges.RESOURCE_TYPE, key.deviceId(),
                        PostpaidUnit.GB, BigDecimal.valueOf(charge.bytes),
                        Money.of(key.unitPrice(), settings.currency()), null,
                        charge.records.stream().sorted().toList())));
    }

    /** The pay-as-you-go bytes of one charge line and the records they came from. */
    private static final class Charge {

        long bytes;

        final List<String> records = new ArrayList<>();

    }

    /** The split {@link #allocate} gave a record of this batch. */
    private static Split splitOf(Usage usage, Map<String, Split> splits) {
        return Objects.requireNonNull(splits.get(usage.id()), "every record of the batch is split");
    }

    /** The recorded allocation of records this batch did not apply (seen before). */
    private Map<String, UsageBatchResult.RecordResult> originals(Set<String> ids, Set<String> claimed) {
        List<String> seenBefore = ids.stream().filter(id -> !claimed.contains(id)).toList();
        Map<String, UsageBatchResult.RecordResult> originals = new HashMap<>();
        if (seenBefore.isEmpty()) {
            return originals;
        }
        jdbc.sql("""
                SELECT id, package_id, package_bytes, payg_bytes, blocked_bytes, unoffset_reason
                FROM traffic_usage_records WHERE id = ANY(CAST(:ids AS varchar[]))
                """).param("ids", seenBefore.toArray(String[]::new)).query(rs -> {
            String id = rs.getString("id");
            String reason = rs.getString("unoffset_reason");
            originals.put(id,
                    new UsageBatchResult.RecordResult(id, rs.getObject("package_id", UUID.class),
                            rs.getLong("package_bytes"), rs.getLong("payg_bytes"), rs.getLong("blocked_bytes"), true,
                            reason == null ? null : UnoffsetReason.valueOf(reason)));
        });
        return originals;
    }

}
