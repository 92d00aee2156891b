package io.planbilling.shared;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The transactional outbox of events (docs/events.md): the write paths record what
 * happened here, in the transaction of the change, and the outbox writes everything a
 * transaction recorded in one set-based statement just before that transaction commits.
 * An event therefore commits with its change or not at all: a rolled-back transaction (a
 * refused request, a preview) writes nothing, and the event's feed position is its own
 * transaction's.
 *
 * <p>
 * Recording outside a read-write transaction is a programming error and throws. An
 * event's {@code data} is the resource's API view, serialized by the API's own
 * {@link JsonMapper}, taken when the transaction writes its events — the resource as its
 * transaction leaves it — plus the fields of the change it was recorded with. Its
 * {@code occurredAt} is the service {@link Clock} (the adjustable test clock included),
 * read once per transaction at that moment.
 */
@Component
public class EventOutbox {

    /**
     * The version of the data shape every event written now carries (docs/events.md,
     * "Versions").
     */
    public static final int VERSION = 2;

    private final EventWriter writer;

    private final JsonMapper json;

    private final Clock clock;

    EventOutbox(EventWriter writer, JsonMapper json, Clock clock) {
        this.writer = writer;
        this.json = json;
        this.clock = clock;
    }

    /**
     * An event to write.
     *
     * @param data the resource's API view as of the given instant (the transaction's
     * {@code occurredAt}), taken when the transaction writes its events
     * @param change fields of the change itself, added to the view's fields
     */
    public record Pending(EventType type, UUID accountId, String resourceType, UUID resourceId,
            Function<Instant, ?> data, Map<String, @Nullable Object> change) {
    }

    /**
     * Records an event whose data is known now ({@code data} is serialized when the
     * transaction writes).
     */
    public void record(EventType type, UUID accountId, String resourceType, UUID resourceId, Object data) {
        record(new Pending(type, accountId, resourceType, resourceId, at -> data, Map.of()));
    }

    /** Records an event whose data is known now, with fields of the change beside it. */
    public void record(EventType type, UUID accountId, String resourceType, UUID resourceId, Object data,
            Map<String, @Nullable Object> change) {
        record(new Pending(type, accountId, resourceType, resourceId, at -> data, change));
    }

    /**
     * Records what an aggregate registered, each with the aggregate's view as the
     * transaction leaves it.
     * @param view the aggregate's API view at an instant
     */
    public void record(List<RegisteredEvents.Registered> registered, UUID accountId, String resourceType,
            UUID resourceId, Function<Instant, ?> view) {
        for (RegisteredEvents.Registered event : registered) {
            record(new Pending(event.type(), accountId, resourceType, resourceId, view, event.change()));
        }
    }

    public void record(Pending event) {
        currentBatch().events.add(event);
    }

    private Batch currentBatch() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()
                || !TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException(
                    "An event is recorded in the transaction of its change, and no" + " transaction is active");
        }
        if (TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
            throw new IllegalStateException(
                    "An event is recorded in the transaction of its change, and this" + " transaction is read-only");
        }
        for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            if (synchronization instanceof Batch batch && batch.outbox == this) {
                return batch;
            }
        }
        Batch batch = new Batch(this);
        TransactionSynchronizationManager.registerSynchronization(batch);
        return batch;
    }

    /**
     * The rows of a transaction's events: one clock reading, each view serialized by the
     * API's mapper.
     */
    List<EventWriter.Row> rows(List<Pending> events) {
        Instant occurredAt = clock.instant();
        List<EventWriter.Row> rows = new ArrayList<>(events.size());
        for (Pending event : events) {
            rows.add(new EventWriter.Row(event.type().wireName(), VERSION, event.accountId(), event.resourceType(),
                    event.resourceId(), occurredAt, payload(event, occurredAt)));
        }
        return rows;
    }

    private String payload(Pending event, Instant occurredAt) {
        JsonNode view = json.valueToTree(Objects.requireNonNull(event.data().apply(occurredAt), "event data"));
        if (!(view instanceof ObjectNode data)) {
            throw new IllegalArgumentException("The data of " + event.type() + " must be an object, not " + view);
        }
        event.change()
            .forEach((field, value) -> data.set(field,
                    value == null ? NullNode.getInstance() : json.valueToTree(value)));
        return json.writeValueAsString(data);
    }

    /** A transaction's events, written by one statement before it commits. */
    private static final class Batch implements TransactionSynchronization {

        private final EventOutbox outbox;

        private final List<Pending> events = new ArrayList<>();

        Batch(EventOutbox outbox) {
            this.outbox = outbox;
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            if (!events.isEmpty()) {
                outbox.writer.write(outbox.rows(events));
                events.clear();
            }
        }

        @Override
        public void afterCompletion(int status) {
            events.clear();
        }

    }

}
