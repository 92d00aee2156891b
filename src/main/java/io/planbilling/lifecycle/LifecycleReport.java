package io.planbilling.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a lifecycle run did.
 *
 * @param at the business time the run worked at
 * @param steps each step, in the order run
 */
public record LifecycleReport(Instant at, List<StepReport> steps) {

    /**
     * @param counts what the step did (e.g. {@code expired: 2}); for a step that failed
     * part-way, what it committed
     * @param error why the step failed, when it did (a step whose chunks failed in part
     * says how many, and the next run retries them); the other steps still ran
     */
    public record StepReport(String name, boolean succeeded, Map<String, Long> counts, long durationMillis,
            @Nullable String error) {
    }
}
