package io.planbilling.events;

import java.util.List;

/**
 * A page of the feed.
 *
 * @param data the events after the cursor, oldest first
 * @param nextCursor where to continue: the last event's cursor, or the request's own
 * cursor when nothing new is visible yet (never goes backwards)
 * @param hasMore whether more events are visible right now (read again at once) or not
 * (poll later)
 */
record EventPage(List<EventView> data, String nextCursor, boolean hasMore) {
}
