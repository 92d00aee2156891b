package io.planbilling.shared;

import java.sql.Array;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Which expiry reminder is due (docs/alerts.md), the one rule of both plan modules'
 * reminder steps. A reminder of {@code d} days falls due {@code d × 24 h} before the end
 * of the cycle; at any moment the due reminder is the one with the fewest days left among
 * those that have fallen due, so when several fall due at once (a late run, a clock that
 * jumped) only that one is sent and the others are skipped for good. It is due only while
 * the cycle has not ended and no reminder with as few days left or fewer was sent for it.
 */
public final class ExpiryReminders {

    /** A reminder day is this long. */
    public static final Duration DAY = Duration.ofHours(24);

    private ExpiryReminders() {
    }

    /** When the reminder of {@code days} days before {@code endsAt} falls due. */
    public static Instant dueAt(Instant endsAt, int days) {
        return endsAt.minus(DAY.multipliedBy(days));
    }

    /**
     * The reminder to send now, if any.
     * @param days the account's reminder days
     * @param fewestSent the fewest days left of the reminders already sent for this
     * cycle; null when none was
     */
    public static OptionalInt due(Collection<Integer> days, Instant endsAt, Instant now, @Nullable Integer fewestSent) {
        if (!now.isBefore(endsAt)) {
            return OptionalInt.empty();
        }
        OptionalInt due = days.stream()
            .filter(day -> !now.isBefore(dueAt(endsAt, day)))
            .mapToInt(Integer::intValue)
            .min();
        if (due.isEmpty() || (fewestSent != null && fewestSent <= due.getAsInt())) {
            return OptionalInt.empty();
        }
        return due;
    }

    /** An account's reminder days as the steps' SQL reads them (an {@code integer[]}). */
    public static List<Integer> days(Array array) throws SQLException {
        return SqlArrays.integers(array);
    }

    /**
     * Whether a cycle will not renew by itself at its end: auto-renewal is off, or on
     * with a balance that does not cover the renewal price now.
     */
    public static boolean renewalAtRisk(boolean autoRenew, Money renewalPrice, Money balance) {
        return !autoRenew || balance.compareTo(renewalPrice) < 0;
    }

    /**
     * The data of an expiring event (docs/events.md): the days left, when the cycle ends,
     * what renewing costs and whether the renewal is at risk.
     */
    public static Map<String, @Nullable Object> expiring(int daysLeft, Instant endsAt, Money renewalPrice,
            boolean renewalAtRisk) {
        Map<String, @Nullable Object> change = new LinkedHashMap<>();
        change.put("daysLeft", daysLeft);
        change.put("endsAt", endsAt);
        change.put("renewalPrice", renewalPrice);
        change.put("renewalAtRisk", renewalAtRisk);
        return change;
    }

}
