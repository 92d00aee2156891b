package io.planbilling.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What one benchmark phase counts beside Gatling's HTML report: the wall time from the first request to the last
 * answer, the records the service acknowledged, and per request name the response times Gatling measured (its
 * {@code responseTimeInMillis} check), as percentiles. Written to {@code bench/target/results/<phase>.json} for
 * {@code bench/summary.py}.
 */
final class Phase {

    private final String name;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, Histogram> latencies = new ConcurrentHashMap<>();
    private volatile long startedAt;

    Phase(String name) {
        this.name = name;
    }

    void start() {
        startedAt = System.nanoTime();
    }

    void acknowledged(long count) {
        records.addAndGet(count);
        requests.incrementAndGet();
    }

    void responseTime(String request, int millis) {
        latencies.computeIfAbsent(request, ignored -> new ConcurrentHistogram(3)).recordValue(millis);
    }

    long records() {
        return records.get();
    }

    void finish(String extra) {
        finish(extra, (System.nanoTime() - startedAt) / 1e9);
    }

    /** Finishes with the phase's own measure of its duration (e.g. until the last record is applied). */
    void finish(String extra, double seconds) {
        StringJoiner requestStats = new StringJoiner(",", "{", "}");
        latencies.forEach((request, histogram) -> requestStats.add(String.format(Locale.ROOT,
                "\"%s\":{\"count\":%d,\"p50\":%d,\"p99\":%d,\"max\":%d}", request, histogram.getTotalCount(),
                histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99), histogram.getMaxValue())));
        String line = String.format(Locale.ROOT,
                "{\"phase\":\"%s\",\"requests\":%d,\"records\":%d,\"seconds\":%.3f,\"recordsPerSecond\":%.1f,"
                        + "\"responseTimes\":%s%s}%n",
                name, requests.get(), records.get(), seconds, records.get() / seconds, requestStats,
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
