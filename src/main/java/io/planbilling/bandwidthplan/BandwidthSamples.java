package io.planbilling.bandwidthplan;

import io.planbilling.shared.ProblemException;
import io.planbilling.shared.RecordProblem;
import io.planbilling.shared.RecordSource;
import io.planbilling.shared.Screened;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
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
import io.planbilling.shared.GroupCommit;
import io.planbilling.shared.GroupCommits;
import org.springframework.transaction.support.TransactionTemplate;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Bandwidth samples (operator) and the monitoring read on them (docs/bandwidth-plans.md,
 * samples). A batch is checked whole first ({@link SampleParser}, then whether its
 * networks exist) and written in one set-based statement
 * ({@link BandwidthSampleRepository}): all of it or none of it.
 *
 * <p>
 * A stream (a Kafka listener) uses {@link #applyValid}: the samples that pass are stored,
 * each with its own {@link RecordSource}, and the others are named by their problems, in
 * one call that reads the batch once.
 */
@Service
public class BandwidthSamples {

    /** Most samples in one batch. */
    public static final int MAX_BATCH = 10_000;

    /** A monitoring period and the bucket it uses. */
    private record Period(Duration length, Duration bucket) {
    }

    private static final Map<String, Period> PERIODS = Map.of("1h",
            new Period(Duration.ofHours(1), Duration.ofMinutes(1)), "6h",
            new Period(Duration.ofHours(6), Duration.ofMinutes(5)), "24h",
            new Period(Duration.ofHours(24), Duration.ofMinutes(15)), "7d",
            new Period(Duration.ofDays(7), Duration.ofHours(1)), "30d",
            new Period(Duration.ofDays(30), Duration.ofHours(4)));

    private static final List<String> PERIOD_NAMES = List.of("1h", "6h", "24h", "7d", "30d");

    private static final BigDecimal BITS_PER_MEGABIT = BigDecimal.valueOf(1_000_000);

    private final JdbcClient jdbc;

    private final BandwidthSampleRepository samples;

    private final OfficeNetworkRepository networks;

    private final BandwidthPlanRepository plans;

    private final TransactionTemplate transactions;

    private final GroupCommit<Pending, SamplesResult> groups;

    private final Clock clock;

    BandwidthSamples(JdbcClient jdbc, BandwidthSampleRepository samples, OfficeNetworkRepository networks,
            BandwidthPlanRepository plans, TransactionTemplate transactions, GroupCommits groupCommits, Clock clock) {
        this.jdbc = jdbc;
        this.samples = samples;
        this.networks = networks;
        this.plans = plans;
        this.transactions = transactions;
        this.groups = groupCommits.create("samples", this::applyGroup);
        this.clock = clock;
    }

    /**
     * Stores a posted batch: a repeat of a network's minute replaces the earlier sample.
     * Invalid samples (a field, a repeat inside the batch, an unknown network) refuse the
     * whole batch (400), listing every bad one by index ({@code samples[i].field}). Each
     * sample's source is the current request. A small batch may share its transaction
     * with concurrent ones ({@link GroupCommit}); its answer is its own either way.
     */
    public SamplesResult ingest(@Nullable List<@Nullable SampleInput> batch) {
        List<@Nullable SampleInput> inputs = requireSize(batch);
        return groups.submit(inputs.size(), () -> prepare(inputs),
                pending -> transactions.execute(status -> applyGroup(List.of(pending)).get(0)));
    }

    /** A posted batch that passed its checks, with its samples' source. */
    record Pending(List<Sample> samples, List<RecordSource> sources) {
    }

    /** Checks a posted batch: 400 naming every problem, or the batch ready to store. */
    Pending prepare(List<@Nullable SampleInput> inputs) {
        return new Pending(passing(inputs, false), Collections.nCopies(inputs.size(), RecordSource.currentRequest()));
    }

    /**
     * Stores several posted batches as one, in the caller's transaction, and answers each
     * its own counts, as if they had come one after the other: of samples of one
     * network's minute in two of them the later is stored, and counts as replaced.
     */
    List<SamplesResult> applyGroup(List<Pending> group) {
        List<Sample> all = new ArrayList<>();
        List<RecordSource> sources = new ArrayList<>();
        for (Pending pending : group) {
            int offset = sources.size();
            pending.samples().forEach(sample -> all.add(sample.at(offset + sample.index())));
            sources.addAll(pending.sources());
        }
        boolean[] inserted = store(all, sources);
        List<SamplesResult> answers = new ArrayList<>(group.size());
        int offset = 0;
        for (Pending pending : group) {
            int size = pending.sources().size();
            int fresh = 0;
            for (int i = offset; i < offset + size; i++) {
                fresh += inserted[i] ? 1 : 0;
            }
            answers.add(new SamplesResult(size, fresh, size - fresh));
            offset += size;
        }
        return answers;
    }

    /**
     * Stores the samples of a stream's batch that pass, in the caller's transaction when
     * one is open, and names every problem of the others (of format, or an unknown
     * network), by index, in index order; the samples are read and their networks looked
     * up once. {@code sources} names where each came from (same order). Of several
     * passing samples of one network's minute the last is stored (as if they came one
     * after the other); a later one of a minute is no problem here. A problem found only
     * while storing refuses the whole list (400).
     */
    @Transactional
    public Screened<SamplesResult> applyValid(List<@Nullable SampleInput> batch, List<RecordSource> sources) {
        List<@Nullable SampleInput> inputs = requireSize(batch);
        if (sources.size() != inputs.size()) {
            throw new IllegalArgumentException(sources.size() + " sources for " + inputs.size() + " samples");
        }
        Checked checked = check(inputs, true);
        List<Sample> passing = checked.samples();
        if (!checked.problems().isEmpty()) {
            Set<Integer> refused = new HashSet<>();
            checked.problems().forEach(problem -> refused.add(problem.index()));
            passing = passing.stream().filter(sample -> !refused.contains(sample.index())).toList();
        }
        if (passing.isEmpty()) {
            return new Screened<>(new SamplesResult(0, 0, 0), checked.problems());
        }
        boolean[] inserted = store(passing, sources);
        int fresh = 0;
        for (boolean sample : inserted) {
            fresh += sample ? 1 : 0;
        }
        return new Screened<>(new SamplesResult(passing.size(), fresh, passing.size() - fresh), checked.problems());
    }

    private static List<@Nullable SampleInput> requireSize(@Nullable List<? extends @Nullable SampleInput> batch) {
        if (batch == null || batch.isEmpty() || batch.size() > MAX_BATCH) {
            throw ProblemException.invalid("samples", "must hold 1 to " + MAX_BATCH + " samples");
        }
        return Collections.unmodifiableList(batch);
    }

    private record Checked(List<Sample> samples, List<RecordProblem> problems) {
    }

    private List<Sample> passing(List<@Nullable SampleInput> inputs, boolean repeats) {
        Checked checked = check(inputs, repeats);
        if (!checked.problems().isEmpty()) {
            throw RecordProblem.refusal("samples", inputs.size(), checked.problems());
        }
        return checked.samples();
    }

    private Checked check(List<@Nullable SampleInput> inputs, boolean repeats) {
        SampleParser.Parsed parsed = SampleParser.parse(inputs, clock.instant(), repeats);
        Set<UUID> wanted = new HashSet<>();
        parsed.samples().forEach(sample -> wanted.add(sample.officeNetworkId()));
        Set<UUID> known = networks.existing(wanted);
        List<RecordProblem> problems = new ArrayList<>(parsed.problems());
        for (Sample sample : parsed.samples()) {
            if (!known.contains(sample.officeNetworkId())) {
                problems.add(RecordProblem.invalid(sample.index(), "officeNetworkId",
                        "unknown office network " + sample.officeNetworkId()));
            }
        }
        problems.sort(Comparator.comparingInt(RecordProblem::index));
        return new Checked(parsed.samples(), problems);
    }

    /**
     * Writes the last sample of each network's minute of {@code checked} (positions 0 to
     * {@code sources.size()} - 1, some missing only if refused); answers by position
     * whether it inserted: the first sample of a minute counts as inserted or replaced as
     * the row did, any later one as replaced.
     */
    private boolean[] store(List<Sample> checked, List<RecordSource> sources) {
        Map<String, Sample> lasts = new LinkedHashMap<>();
        Map<String, Integer> firsts = new HashMap<>();
        for (Sample sample : checked) {
            lasts.put(sample.key(), sample);
            firsts.putIfAbsent(sample.key(), sample.index());
        }
        Set<String> inserted = samples.store(List.copyOf(lasts.values()), sources);
        boolean[] answers = new boolean[sources.size()];
        // the store returns keys of this batch only
        inserted.forEach(key -> answers[Objects.requireNonNull(firsts.get(key))] = true);
        return answers;
    }

    /**
     * The plan's inbound and outbound bandwidth over {@code period} ({@code 1h},
     * {@code 6h}, {@code 24h}, {@code 7d}, {@code 30d}) up to now: the samples of the
     * networks it was associated with, while it was.
     */
    @Transactional(readOnly = true)
    public MonitoringView monitoring(UUID accountId, UUID planId, String period) {
        Period spec = PERIODS.get(period);
        if (spec == null) {
            throw ProblemException.notOneOf("period", PERIOD_NAMES);
        }
        plans.findLive(accountId, planId).orElseThrow(() -> ProblemException.notFound("Bandwidth plan", planId));
        long bucketSeconds = spec.bucket().toSeconds();
        long nowSeconds = clock.instant().getEpochSecond();
        Instant to = Instant.ofEpochSecond((nowSeconds / bucketSeconds + 1) * bucketSeconds);
        Instant from = to.minus(spec.length());
        Map<Instant, long[]> sums = new HashMap<>();
        jdbc.sql("""
                SELECT to_timestamp(floor(extract(epoch FROM s.minute) / :bucket) * :bucket) AS bucket,
                       sum(s.inbound_bytes), sum(s.outbound_bytes), max(s.inbound_bytes), max(s.outbound_bytes)
                FROM bandwidth_plan_associations a
                JOIN bandwidth_samples s ON s.office_network_id = a.office_network_id
                WHERE a.plan_id = :plan AND s.minute >= :from AND s.minute < :to
                  AND s.minute >= date_trunc('minute', a.associated_from)
                  AND (a.associated_to IS NULL OR s.minute < a.associated_to)
                GROUP BY 1
                """)
            .param("bucket", bucketSeconds)
            .param("plan", planId)
            .param("from", Timestamp.from(from))
            .param("to", Timestamp.from(to))
            .query(rs -> {
                sums.put(rs.getTimestamp(1).toInstant(),
                        new long[] { rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5) });
            });
        List<MonitoringView.Point> points = new ArrayList<>();
        for (Instant at = from; at.isBefore(to); at = at.plus(spec.bucket())) {
            long[] bytes = sums.getOrDefault(at, new long[4]);
            points.add(new MonitoringView.Point(at, mbps(bytes[0], bucketSeconds), mbps(bytes[2], 60),
                    mbps(bytes[1], bucketSeconds), mbps(bytes[3], 60)));
        }
        return new MonitoringView(planId, period, spec.bucket(), from, to, points);
    }

    /** {@code bytes × 8 ÷ seconds ÷ 10⁶}, three decimals. */
    static BigDecimal mbps(long bytes, long seconds) {
        return BigDecimal.valueOf(bytes)
            .multiply(BigDecimal.valueOf(8))
            .divide(BigDecimal.valueOf(seconds).multiply(BITS_PER_MEGABIT), 3, RoundingMode.HALF_EVEN);
    }

}
