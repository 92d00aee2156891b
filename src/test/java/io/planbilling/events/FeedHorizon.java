package io.planbilling.events;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The feed hands out only events of transactions older than the oldest one still running, so right after a test's
 * writes a concurrent transaction elsewhere (a worker, another test context's job) can briefly hold back events that
 * have committed. A test that wants the complete feed of what it did waits for the horizon to pass it first.
 */
final class FeedHorizon {

    private FeedHorizon() {
    }

    /** Returns once every transaction that began before this call has ended. */
    static void passNow(JdbcTemplate jdbc) {
        String marker = jdbc.queryForObject("SELECT pg_current_xact_id()::text", String.class);
        await("every transaction begun before now has ended (none stays open for 30 s)").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20)).until(() -> jdbc.queryForObject(
                        "SELECT pg_snapshot_xmin(pg_current_snapshot()) > CAST(? AS xid8)", Boolean.class, marker),
                        Boolean.TRUE::equals);
    }
}
