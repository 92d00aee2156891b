package io.planbilling.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What one benchmark phase counts beside Gatling's HTML report: the wall time of its measured window, the records the
 * service acknowledged in it, and per request name the response times Gatling measured (its
 * {@code responseTimeInMillis} check), as percentiles. Written to {@code bench/target/results/<phase>.json} for
 * {@code bench/summary.py}.
 *
 * <p>
 * The window opens {@code -DwarmupSeconds} (default 0) after {@link #start()}: a Gatling phase runs that long before
 * its measured {@code -Dseconds}, so that neither the load generator's fresh JVM compiling its own code (a C2 thread
 * of its own, a fifth of this two-core machine in a phase's first seconds) nor the service's first pass through a
 * path counts. Answers before the window are not counted in the rate or the percentiles, but they are in
 * {@link #acknowledgedAll()}, which exactly-once checks compare with what the database shows.
 */
final class Phase {

    /** Seconds a phase runs before its measured window opens. */
    static final int WARMUP_SECONDS = Integer.getInteger("warmupSeconds", 0);

    private final String name;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong allRecords = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, Histogram> latencies = new ConcurrentHashMap<>();
    private volatile long measuredFrom;

    Phase(String name) {
        this.name = name;
    }

    /** How long a load phase measured for {@code seconds} runs: its warm-up, then those seconds. */
    static Duration length(int seconds) {
        return Duration.ofSeconds(WARMUP_SECONDS + (long) seconds);
    }

    void start() {
        measuredFrom = System.nanoTime() + WARMUP_SECONDS * 1_000_000_000L;
    }

    private boolean measuring() {
        return System.nanoTime() - measuredFrom >= 0;
    }

    void acknowledged(long count) {
        allRecords.addAndGet(count);
        if (measuring()) {
            records.addAndGet(count);
            requests.incrementAndGet();
        }
    }

    void responseTime(String request, int millis) {
        if (measuring()) {
            latencies.computeIfAbsent(request, ignored -> new ConcurrentHistogram(3)).recordValue(millis);
        }
    }

    /** Every record acknowledged since {@link #start()}, the warm-up's included. */
    long acknowledgedAll() {
        return allRecords.get();
    }

    void finish(String extra) {
        finish(extra, (System.nanoTime() - measuredFrom) / 1e9);
    }

    /** Finishes with the phase's own measure of its duration (e.g. until the last record is applied). */
    void finish(String extra, double seconds) {
        StringJoiner requestStats = new StringJoiner(",", "{", "}");
        latencies.forEach((request, histogram) -> requestStats.add(String.format(Locale.ROOT,
                "\"%s\":{\"count\":%d,\"p50\":%d,\"p99\":%d,\"max\":%d}", request, histogram.getTotalCount(),
                histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99), histogram.getMaxValue())));
        String line = String.format(Locale.ROOT,
                "{\"phase\":\"%s\",\"requests\":%d,\"records\":%d,\"seconds\":%.3f,\"recordsPerSecond\":%.1f,"
                        + "\"warmupSeconds\":%d,\"responseTimes\":%s%s}%n",
                name, requests.get(), records.get(), seconds, records.get() / seconds, WARMUP_SECONDS, requestStats,
                extra.isEmpty() ? "" : "," + extra);
        try {
            Path file = Fixture.OUTPUT.resolve("results").resolve(name + ".json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, line);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.print(line);
    }
}
