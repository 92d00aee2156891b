package io.planbilling.events;

import io.planbilling.shared.Caller;
import io.planbilling.shared.ProblemException;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pull feed: events after a cursor, in (transaction id, sequence) order, only from
 * transactions older than the oldest one still running, so that no event can ever commit
 * behind a cursor already handed out (docs/events.md).
 */
@Service
class EventFeed {

    static final int MAX_LIMIT = 1000;

    // the transaction id goes out as text under its own name: an output column called
    // "tx" would make ORDER BY tx sort
    // the text ("1007" before "995") instead of the xid8, and paging would skip events (a
    // test caught it)
    private static final String COLUMNS = """
            id, tx::text AS tx_text, seq, type, version, account_id, resource_type, resource_id, occurred_at,
            payload::text AS payload, actor, request_id""";

    private final JdbcClient jdbc;

    private final JsonMapper json;

    EventFeed(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The operator reads every account's events; an account key its own. */
    @Transactional(readOnly = true)
    public EventPage read(Caller caller, @Nullable String after, int limit) {
        return read(caller, after, limit, List.of());
    }

    /**
     * The feed of the given kinds only (all kinds when {@code types} is empty), with the
     * same order, cursor and paging: a page's {@code nextCursor} is the position of its
     * last event, and an empty page keeps the cursor. An unknown kind is 400
     * {@code VALIDATION_FAILED} naming the allowed ones.
     */
    @Transactional(readOnly = true)
    public EventPage read(Caller caller, @Nullable String after, int limit, List<String> types) {
        EventCursor cursor = after == null || after.isBlank() ? EventCursor.START : EventCursor.parse(after);
        for (int i = 0; i < types.size(); i++) {
            if (!EventTypes.ALL_TYPES.contains(types.get(i))) {
                throw ProblemException.notOneOf("types[" + i + "]", EventTypes.ALL_TYPES);
            }
        }
        UUID account = caller.role() == Caller.Role.OPERATOR ? null : caller.requireAccountId();
        List<EventView> rows = jdbc
            .sql("SELECT " + COLUMNS + " FROM events WHERE " + (account == null ? "" : "account_id = :account AND ")
                    + (types.isEmpty() ? "" : "type = ANY(CAST(:types AS varchar[])) AND ")
                    + "(tx, seq) > (CAST(:tx AS xid8), :seq) AND tx < pg_snapshot_xmin(pg_current_snapshot())"
                    + " ORDER BY tx, seq LIMIT :limit")
            .param("account", account)
            .param("types", types.stream().distinct().toArray(String[]::new))
            .param("tx", cursor.tx().toString())
            .param("seq", cursor.seq())
            .param("limit", limit + 1)
            .query(this::event)
            .list();
        boolean more = rows.size() > limit;
        List<EventView> page = more ? rows.subList(0, limit) : rows;
        String next = page.isEmpty() ? cursor.toString() : page.get(page.size() - 1).cursor();
        return new EventPage(List.copyOf(page), next, more);
    }

    /** The events with these ids, by id. */
    Map<UUID, EventView> byIds(Collection<UUID> ids) {
        Map<UUID, EventView> byId = new HashMap<>();
        jdbc.sql("SELECT " + COLUMNS + " FROM events WHERE id = ANY (CAST(:ids AS uuid[]))")
            .param("ids", ids.stream().map(UUID::toString).distinct().toArray(String[]::new))
            .query(this::event)
            .list()
            .forEach(event -> byId.put(event.id(), event));
        return byId;
    }

    private EventView event(ResultSet rs, int row) throws SQLException {
        return new EventView(rs.getObject("id", UUID.class), rs.getString("type"), rs.getInt("version"),
                rs.getObject("account_id", UUID.class), rs.getString("resource_type"),
                rs.getObject("resource_id", UUID.class), rs.getTimestamp("occurred_at").toInstant(),
                json.readTree(rs.getString("payload")),
                new EventCursor(new BigInteger(rs.getString("tx_text")), rs.getLong("seq")).toString(),
                rs.getString("actor"), rs.getString("request_id"));
    }

}
