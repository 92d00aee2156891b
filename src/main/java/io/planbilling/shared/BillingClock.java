package io.planbilling.shared;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.format.DateTimeParseException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The operator's view of the service clock (docs/operations.md). Business code injects
 * {@link Clock}; this facade only reads and moves the adjustable test clock, whose offset
 * lives in the database so that every instance sharing it sees the same time.
 */
@Component
public class BillingClock {

    private final Clock clock;

    private final JdbcClient jdbc;

    private final BillingSettings settings;

    private final boolean adjustable;

    BillingClock(Clock clock, JdbcClient jdbc, BillingSettings settings, ClockSettings clockSettings) {
        this.clock = clock;
        this.jdbc = jdbc;
        this.settings = settings;
        this.adjustable = clockSettings.adjustable();
    }

    public boolean adjustable() {
        return adjustable;
    }

    public Instant now() {
        return clock.instant();
    }

    /**
     * Moves the test clock forward by an ISO-8601 duration ({@code PT90M}, {@code P31D})
     * or, for calendar units, period ({@code P1M}, applied in the billing zone).
     */
    @Transactional
    public Instant advance(String amount) {
        requireAdjustable();
        lockClock();
        Instant now = now();
        Instant target;
        try {
            target = now.plus(Duration.parse(amount));
        }
        catch (DateTimeParseException notADuration) {
            try {
                target = now.atZone(settings.zone()).plus(Period.parse(amount)).toInstant();
            }
            catch (DateTimeParseException notAPeriod) {
                throw ProblemException.invalid("advance", "must be an ISO-8601 duration such as PT1H or P31D");
            }
        }
        return set(target);
    }

    /** Sets the test clock to {@code target}; it never moves backwards. */
    @Transactional
    public Instant set(Instant target) {
        requireAdjustable();
        lockClock();
        // the stored offset is relative to the system clock, which the test clock adds it
        // to
        long offsetMicros = Duration.between(Clock.systemUTC().instant(), target).toNanos() / 1_000;
        int moved = jdbc
            .sql("UPDATE billing_clock SET offset_micros = :offset WHERE id = 1 AND offset_micros <= :offset")
            .param("offset", offsetMicros)
            .update();
        if (moved == 0) {
            throw new ProblemException(ErrorCode.CLOCK_CANNOT_GO_BACKWARDS,
                    "The test clock only moves forward; it is already past " + target + ".");
        }
        return now();
    }

    /**
     * Serialises moves of the clock, so that two concurrent advances add up instead of
     * one overwriting the other.
     */
    private void lockClock() {
        jdbc.sql("SELECT offset_micros FROM billing_clock WHERE id = 1 FOR UPDATE").query(Long.class).single();
    }

    private void requireAdjustable() {
        if (!adjustable) {
            throw ProblemException.notFound("Resource", "/admin/clock");
        }
    }

}
