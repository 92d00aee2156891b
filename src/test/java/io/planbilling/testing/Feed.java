package io.planbilling.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Reads an account's event feed whole, as a consumer would, after waiting for the feed's
 * horizon to pass everything written so far: the feed hands out only events of
 * transactions older than the oldest one still running, so right after a test's writes a
 * transaction elsewhere (a worker, the webhook dispatcher) can briefly hold back events
 * that have committed.
 */
public final class Feed {

    private final TestApi api;

    private final JdbcTemplate jdbc;

    public Feed(TestApi api, JdbcTemplate jdbc) {
        this.api = api;
        this.jdbc = jdbc;
    }

    /** Returns once every transaction that began before this call has ended. */
    public static void passHorizon(JdbcTemplate jdbc) {
        String marker = jdbc.queryForObject("SELECT pg_current_xact_id()::text", String.class);
        await("every transaction begun before now has ended (none stays open for 30 s)").atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> jdbc.queryForObject("SELECT pg_snapshot_xmin(pg_current_snapshot()) > CAST(? AS xid8)",
                    Boolean.class, marker), Boolean.TRUE::equals);
    }

    /**
     * The events of the key's account (every account's for the operator key) of the given
     * kinds, oldest first.
     */
    public List<JsonNode> events(String key, String... types) {
        passHorizon(jdbc);
        List<JsonNode> events = new ArrayList<>();
        String cursor = "";
        String filter = types.length == 0 ? "" : "&types=" + String.join(",", types);
        for (int guard = 0; guard < 1000; guard++) {
            TestApi.Response page = api
                .get("/api/v1/events?limit=1000" + filter + (cursor.isEmpty() ? "" : "&after=" + cursor), key);
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            page.body().get("data").forEach(events::add);
            cursor = page.text("/nextCursor");
            if (!page.body().get("hasMore").asBoolean()) {
                return events;
            }
        }
        throw new AssertionError("the feed did not end");
    }

    /** The kinds of {@code events}, in order. */
    public static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.get("type").asString()).toList();
    }

}
