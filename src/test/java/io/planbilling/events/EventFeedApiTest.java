package io.planbilling.events;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The pull feed: paging by cursor, account scoping, the operator's view, validation — and
 * the ordering guarantee: a transaction that commits late is never skipped, under many
 * concurrent writers and one reader.
 */
@ApiTest
class EventFeedApiTest {

    @Autowired
    TestApi api;

    @Autowired
    DataSource dataSource;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @Test
    void pagesFollowTheCursorWithoutGapsOrRepeats() {
        TestAccount account = api.createAccount("feed paging");
        for (int i = 0; i < 7; i++) {
            api.credit(account.id(), "1.00");
        }
        FeedHorizon.passNow(jdbc);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        boolean more = true;
        int pages = 0;
        while (more) {
            Response page = api.get("/api/v1/events?limit=3" + (cursor == null ? "" : "&after=" + cursor),
                    account.apiKey());
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            page.body().get("data").forEach(e -> seen.add(e.get("id").asString()));
            assertThat(page.body().get("data").size()).isLessThanOrEqualTo(3);
            cursor = page.text("/nextCursor");
            more = page.body().get("hasMore").asBoolean();
            pages++;
        }

        assertThat(seen).hasSize(7).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(3);
        Response after = api.get("/api/v1/events?after=" + cursor, account.apiKey());
        assertThat(after.body().get("data")).isEmpty();
        assertThat(after.text("/nextCursor")).as("an empty page keeps the cursor").isEqualTo(cursor);
    }

    @Test
    void anAccountSeesOnlyItsOwnEventsAndTheOperatorSeesEveryAccounts() {
        TestAccount one = api.createAccount("feed one", "5.00");
        TestAccount other = api.createAccount("feed other", "6.00");
        FeedHorizon.passNow(jdbc);

        assertThat(ids(all(one.apiKey()))).allSatisfy(account -> assertThat(account).isEqualTo(one.id().toString()));
        List<JsonNode> operator = all(api.operator());
        assertThat(ids(operator)).contains(one.id().toString(), other.id().toString());
        assertThat(api.get("/api/v1/events", null).status()).isEqualTo(401);
    }

    /**
     * Positions compare as numbers: transaction 9 comes before transaction 10, whatever
     * their text says.
     */
    @Test
    void positionsAreOrderedNumericallyAcrossDigitCounts() {
        TestAccount account = api.createAccount("feed digits");
        for (String tx : List.of("10", "8", "11", "9")) {
            jdbc.update("INSERT INTO events (tx, type, version, account_id, resource_type, resource_id, occurred_at,"
                    + " payload) VALUES (CAST(? AS xid8), 'test.digits', 2, ?, 'ACCOUNT', ?, now(),"
                    + " jsonb_build_object('tx', ?))", tx, account.id(), account.id(), tx);
        }

        List<String> read = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10; page++) {
            Response one = api.get("/api/v1/events?limit=1" + (cursor == null ? "" : "&after=" + cursor),
                    account.apiKey());
            one.body().get("data").forEach(e -> read.add(e.at("/data/tx").asString()));
            cursor = one.text("/nextCursor");
            if (!one.body().get("hasMore").asBoolean()) {
                break;
            }
        }

        assertThat(read).containsExactly("8", "9", "10", "11");
    }

    /**
     * A transaction that started first and commits last: while it is open, neither its
     * event nor any later one is handed out (a cursor past them would skip it); once it
     * commits, the reader gets it, in order, from the cursor it already had.
     */
    @Test
    void aTransactionThatCommitsLateIsNeverSkipped() throws Exception {
        TestAccount account = api.createAccount("feed late commit");
        String cursor = drain(account.apiKey(), null).cursor();
        try (Connection slow = dataSource.getConnection()) {
            slow.setAutoCommit(false);
            try (PreparedStatement late = slow.prepareStatement(
                    "INSERT INTO events (type, version, account_id, resource_type, resource_id, occurred_at, payload)"
                            + " VALUES ('test.late', 2, ?, 'ACCOUNT', ?, now(), '{}'::jsonb)")) {
                late.setObject(1, account.id());
                late.setObject(2, account.id());
                late.execute();
            }
            api.credit(account.id(), "1.00");

            Drained whileOpen = drain(account.apiKey(), cursor);
            assertThat(whileOpen.events()).as("the credit committed after the open transaction began").isEmpty();

            slow.commit();
        }
        FeedHorizon.passNow(jdbc);
        Drained afterCommit = drain(account.apiKey(), cursor);
        assertThat(afterCommit.events()).extracting(e -> e.get("type").asString())
            .containsExactly("test.late", "credit.created");
    }

    /**
     * Many writers, one reader polling all the while: the reader's events are exactly the
     * set written, in order.
     */
    @Test
    void underConcurrentWritersTheFeedNeverSkipsAnEvent() throws Exception {
        TestAccount account = api.createAccount("feed writers");
        String start = drain(account.apiKey(), null).cursor();
        int writers = 8;
        int perWriter = 15;
        Set<String> written = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> writes = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            writes.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perWriter; i++) {
                    written.add(api.credit(account.id(), "0.01").text("/id"));
                }
                return null;
            }));
        }
        Future<List<JsonNode>> reader = pool.submit(() -> {
            List<JsonNode> read = new ArrayList<>();
            String cursor = start;
            go.await();
            while (true) {
                boolean last = !writing.get();
                Drained drained = drain(account.apiKey(), cursor);
                read.addAll(drained.events());
                cursor = drained.cursor();
                if (last) {
                    return read;
                }
            }
        });
        go.countDown();
        for (Future<?> write : writes) {
            write.get(2, TimeUnit.MINUTES);
        }
        FeedHorizon.passNow(jdbc);
        writing.set(false);
        List<JsonNode> read = reader.get(2, TimeUnit.MINUTES);
        pool.shutdown();

        Set<String> readEntries = new LinkedHashSet<>();
        read.forEach(e -> readEntries.add(e.at("/data/id").asString()));
        assertThat(read).hasSize(writers * perWriter);
        assertThat(readEntries).isEqualTo(written);
        List<String> cursors = read.stream().map(e -> e.get("cursor").asString()).toList();
        assertThat(new HashSet<>(cursors)).hasSize(cursors.size());
        assertThat(cursors).isSortedAccordingTo(EventFeedApiTest::compareCursors);
    }

    private record Drained(List<JsonNode> events, String cursor) {
    }

    private Drained drain(String key, String cursor) {
        List<JsonNode> events = new ArrayList<>();
        while (true) {
            Response page = api.get("/api/v1/events?limit=50" + (cursor == null ? "" : "&after=" + cursor), key);
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            page.body().get("data").forEach(events::add);
            cursor = page.text("/nextCursor");
            if (!page.body().get("hasMore").asBoolean()) {
                return new Drained(events, cursor);
            }
        }
    }

    private List<JsonNode> all(String key) {
        return drain(key, null).events();
    }

    private static List<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.get("accountId").asString()).toList();
    }

    private static int compareCursors(String a, String b) {
        String[] x = a.split("-");
        String[] y = b.split("-");
        int tx = new java.math.BigInteger(x[0]).compareTo(new java.math.BigInteger(y[0]));
        return tx != 0 ? tx : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
    }

}
