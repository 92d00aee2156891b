package io.planbilling.bandwidthplan;

import io.planbilling.shared.ProblemException;
import io.planbilling.shared.RecordProblem;
import io.planbilling.shared.RecordSource;
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
import java.util.Set;
import java.util.UUID;
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
 * Callers other than the HTTP endpoint (a Kafka listener) use {@link #check} and
 * {@link #apply}: every problem of every sample, then the samples that passed, each with
 * its own {@link RecordSource}.
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

    private final Clock clock;

    BandwidthSamples(JdbcClient jdbc, BandwidthSampleRepository samples, OfficeNetworkRepository networks,
            BandwidthPlanRepository plans, Clock clock) {
        this.jdbc = jdbc;
        this.samples = samples;
        this.networks = networks;
        this.plans = plans;
        this.clock = clock;
    }

    /**
     * Stores a posted batch: a repeat of a network's minute replaces the earlier sample.
     * Invalid samples (a field, a repeat inside the batch, an unknown network) refuse the
     * whole batch (400), listing every bad one by index ({@code samples[i].field}). Each
     * sample's source is the current request.
     */
    @Transactional
    public SamplesResult ingest(@Nullable List<@Nullable SampleInput> batch) {
        List<@Nullable SampleInput> inputs = requireSize(batch);
        Checked checked = check(inputs, false);
        if (!checked.problems().isEmpty()) {
            throw RecordProblem.refusal("samples", inputs.size(), checked.problems());
        }
        return store(inputs.size(), checked.samples(),
                Collections.nCopies(inputs.size(), RecordSource.currentRequest()));
    }

    /**
     * Every problem of every sample, of format and of reference (an unknown network), in
     * index order; reads, never writes. A later sample of a network's minute is no
     * problem here: {@link #apply} stores the last one.
     */
    public List<RecordProblem> check(List<@Nullable SampleInput> batch) {
        return check(requireSize(batch), true).problems();
    }

    /**
     * Stores samples that passed {@link #check}, atomically, in the caller's transaction
     * when one is open; {@code sources} names where each came from (same order). Of
     * several samples of one network's minute the last is stored (as if they came one
     * after the other). A sample that does not pass after all refuses the whole list
     * (400).
     */
    @Transactional
    public SamplesResult apply(List<SampleInput> batch, List<RecordSource> sources) {
        List<@Nullable SampleInput> inputs = requireSize(batch);
        if (sources.size() != inputs.size()) {
            throw new IllegalArgumentException(sources.size() + " sources for " + inputs.size() + " samples");
        }
        Checked checked = check(inputs, true);
        if (!checked.problems().isEmpty()) {
            throw RecordProblem.refusal("samples", inputs.size(), checked.problems());
        }
        return store(inputs.size(), checked.samples(), sources);
    }

    private static List<@Nullable SampleInput> requireSize(@Nullable List<? extends @Nullable SampleInput> batch) {
        if (batch == null || batch.isEmpty() || batch.size() > MAX_BATCH) {
            throw ProblemException.invalid("samples", "must hold 1 to " + MAX_BATCH + " samples");
        }
        return Collections.unmodifiableList(batch);
    }

    private record Checked(List<Sample> samples, List<RecordProblem> problems) {
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
     * Writes the last sample of each network's minute; the first of them counts as
     * inserted or replaced as the row did, any later one as replaced.
     */
    private SamplesResult store(int size, List<Sample> checked, List<RecordSource> sources) {
        Map<String, Sample> lasts = new LinkedHashMap<>();
        checked.forEach(sample -> lasts.put(sample.key(), sample));
        Set<String> inserted = samples.store(List.copyOf(lasts.values()), sources);
        return new SamplesResult(size, inserted.size(), size - inserted.size());
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
