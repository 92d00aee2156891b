package io.planbilling.bandwidthplan;

import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.FieldViolation;
import io.planbilling.shared.ProblemException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Bandwidth samples (operator) and the monitoring read on them. A batch is checked whole
 * first and written in one set-based statement
 * ({@code INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE}): all of it or none of
 * it.
 */
@Service
class BandwidthSamples {

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

    private final JdbcTemplate jdbcTemplate;

    private final JdbcClient jdbc;

    private final OfficeNetworkRepository networks;

    private final BandwidthPlanRepository plans;

    private final Clock clock;

    BandwidthSamples(JdbcTemplate jdbcTemplate, JdbcClient jdbc, OfficeNetworkRepository networks,
            BandwidthPlanRepository plans, Clock clock) {
        this.jdbcTemplate = jdbcTemplate;
        this.jdbc = jdbc;
        this.networks = networks;
        this.plans = plans;
        this.clock = clock;
    }

    /**
     * Stores a batch: a repeat of a network's minute replaces the earlier sample. Invalid
     * records (400) or unknown networks (422 {@code UNKNOWN_OFFICE_NETWORK}) refuse the
     * whole batch, listing every bad record by index.
     */
    @Transactional
    public SamplesResult ingest(List<SampleInput> samples) {
        Instant now = clock.instant();
        List<FieldViolation> invalid = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        Set<UUID> networkIds = new HashSet<>();
        for (int i = 0; i < samples.size(); i++) {
            SampleInput sample = samples.get(i);
            String at = "samples[" + i + "]";
            if (sample == null) {
                invalid.add(new FieldViolation(at, "must not be null"));
                continue;
            }
            if (sample.officeNetworkId() == null) {
                invalid.add(new FieldViolation(at + ".officeNetworkId", "must not be null"));
            }
            else {
                networkIds.add(sample.officeNetworkId());
            }
            Instant minute = sample.minute();
            if (minute == null) {
                invalid.add(new FieldViolation(at + ".minute", "must not be null"));
            }
            else if (minute.getEpochSecond() % 60 != 0 || minute.getNano() != 0) {
                invalid.add(new FieldViolation(at + ".minute", "must be the start of a minute (seconds zero)"));
            }
            else if (minute.isAfter(now)) {
                invalid.add(new FieldViolation(at + ".minute", "must not be in the future"));
            }
            checkBytes(sample.inboundBytes(), at + ".inboundBytes", invalid);
            checkBytes(sample.outboundBytes(), at + ".outboundBytes", invalid);
            if (sample.officeNetworkId() != null && minute != null) {
                Integer first = seen.putIfAbsent(sample.officeNetworkId() + "@" + minute, i);
                if (first != null) {
                    invalid.add(new FieldViolation(at, "repeats the network and minute of samples[" + first + "]"));
                }
            }
        }
        if (!invalid.isEmpty()) {
            throw new ProblemException(ErrorCode.VALIDATION_FAILED,
                    invalid.size() + " problems in the batch; nothing was stored.", invalid);
        }
        Set<UUID> known = networks.existing(networkIds);
        List<FieldViolation> unknown = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            if (!known.contains(samples.get(i).officeNetworkId())) {
                unknown.add(new FieldViolation("samples[" + i + "].officeNetworkId",
                        "office network " + samples.get(i).officeNetworkId() + " does not exist"));
            }
        }
        if (!unknown.isEmpty()) {
            throw new ProblemException(ErrorCode.UNKNOWN_OFFICE_NETWORK,
                    unknown.size() + " samples name an unknown office network; nothing was stored.", unknown);
        }
        return store(samples);
    }

    private SamplesResult store(List<SampleInput> samples) {
        int size = samples.size();
        String[] ids = new String[size];
        String[] minutes = new String[size];
        Long[] inbound = new Long[size];
        Long[] outbound = new Long[size];
        for (int i = 0; i < size; i++) {
            SampleInput sample = samples.get(i);
            ids[i] = String.valueOf(sample.officeNetworkId());
            minutes[i] = String.valueOf(sample.minute());
            inbound[i] = sample.inboundBytes();
            outbound[i] = sample.outboundBytes();
        }
        int[] inserted = { 0 };
        jdbcTemplate.query(connection -> {
            PreparedStatement statement = connection.prepareStatement("""
                    INSERT INTO bandwidth_samples (office_network_id, minute, inbound_bytes, outbound_bytes)
                    SELECT CAST(n AS uuid), CAST(m AS timestamptz), i, o
                    FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS bigint[]))
                         AS t (n, m, i, o)
                    ON CONFLICT (office_network_id, minute) DO UPDATE
                        SET inbound_bytes = excluded.inbound_bytes, outbound_bytes = excluded.outbound_bytes,
                            actor = excluded.actor, request_id = excluded.request_id
                    RETURNING (xmax = 0) AS inserted
                    """);
            Array[] arrays = { connection.createArrayOf("text", ids), connection.createArrayOf("text", minutes),
                    connection.createArrayOf("int8", inbound), connection.createArrayOf("int8", outbound) };
            for (int i = 0; i < arrays.length; i++) {
                statement.setArray(i + 1, arrays[i]);
            }
            return statement;
        }, (ResultSet rs) -> {
            if (rs.getBoolean(1)) {
                inserted[0]++;
            }
        });
        return new SamplesResult(size, inserted[0], size - inserted[0]);
    }

    private static void checkBytes(@Nullable Long bytes, String field, List<FieldViolation> invalid) {
        if (bytes == null) {
            invalid.add(new FieldViolation(field, "must not be null"));
        }
        else if (bytes < 0) {
            invalid.add(new FieldViolation(field, "must be zero or more"));
        }
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
