package io.planbilling.events;

import io.planbilling.testing.Feed;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The feed hands out only events of transactions older than the oldest one still running,
 * so right after a test's writes a concurrent transaction elsewhere (a worker, another
 * test context's job) can briefly hold back events that have committed. A test that wants
 * the complete feed of what it did waits for the horizon to pass it first.
 */
final class FeedHorizon {

    private FeedHorizon() {
    }

    /** Returns once every transaction that began before this call has ended. */
    static void passNow(JdbcTemplate jdbc) {
        Feed.passHorizon(jdbc);
    }

}
