package io.planbilling.bandwidthplan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * A subscription duration: {@code WEEK 1}, {@code MONTH 1, 2, 3, 6} or
 * {@code YEAR 1, 2, 3}. Calendar arithmetic happens in the billing zone (a month from Jan
 * 31 is Feb 28).
 */
public record PlanDuration(Unit unit, int count) {

    public enum Unit {

        WEEK, MONTH, YEAR

    }

    /** The counts on offer for {@code unit}. */
    public static List<Integer> offeredCounts(Unit unit) {
        return switch (unit) {
            case WEEK -> List.of(1);
            case MONTH -> List.of(1, 2, 3, 6);
            case YEAR -> List.of(1, 2, 3);
        };
    }

    @JsonIgnore
    public boolean isOffered() {
        return offeredCounts(unit).contains(count);
    }

    @JsonIgnore
    public boolean isOneWeek() {
        return unit == Unit.WEEK;
    }

    /** The instant one such duration after {@code from}, in {@code zone}. */
    public Instant after(Instant from, ZoneId zone) {
        ZonedDateTime start = from.atZone(zone);
        ZonedDateTime end = switch (unit) {
            case WEEK -> start.plusWeeks(count);
            case MONTH -> start.plusMonths(count);
            case YEAR -> start.plusYears(count);
        };
        return end.toInstant();
    }

    @Override
    public String toString() {
        return count + " " + unit;
    }
}
