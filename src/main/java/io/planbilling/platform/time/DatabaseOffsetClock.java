package io.planbilling.platform.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The test clock: system time plus an offset read from the database on every call, so
 * that all instances sharing the database agree on the time the moment it is moved.
 * Inside a transaction the read uses that transaction's connection. Only for
 * {@code billing.clock.adjustable=true}; production uses the plain system clock.
 */
final class DatabaseOffsetClock extends Clock {

    private final Clock system;

    private final JdbcClient jdbc;

    DatabaseOffsetClock(Clock system, JdbcClient jdbc) {
        this.system = system;
        this.jdbc = jdbc;
    }

    @Override
    public Instant instant() {
        long offsetMicros = jdbc.sql("SELECT offset_micros FROM billing_clock WHERE id = 1").query(Long.class).single();
        return system.instant().plus(offsetMicros, ChronoUnit.MICROS);
    }

    @Override
    public ZoneId getZone() {
        return system.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new DatabaseOffsetClock(system.withZone(zone), jdbc);
    }

}
