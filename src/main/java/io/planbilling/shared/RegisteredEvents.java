package io.planbilling.shared;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an aggregate's intention-revealing methods say happened to it, kept until the
 * infrastructure that persists the aggregate hands it to the {@link EventOutbox} (the
 * aggregate-root pattern of spring-restbucks, without the base class). Each entry carries
 * the few fields of the change itself that the resource's view cannot show, such as the
 * peak before a change (docs/events.md).
 */
public final class RegisteredEvents {

    /**
     * One thing that happened.
     *
     * @param change fields of the change that go into the event's data beside the
     * resource's view
     */
    public record Registered(EventType type, Map<String, @Nullable Object> change) {

        public Registered {
            change = Collections.unmodifiableMap(new LinkedHashMap<>(change));
        }
    }

    private final List<Registered> registered = new ArrayList<>();

    public void register(EventType type) {
        registered.add(new Registered(type, Map.of()));
    }

    public void register(EventType type, String field, @Nullable Object value) {
        Map<String, @Nullable Object> change = new LinkedHashMap<>();
        change.put(field, value);
        registered.add(new Registered(type, change));
    }

    public void register(EventType type, Map<String, @Nullable Object> change) {
        registered.add(new Registered(type, change));
    }

    /** What was registered since the last call, in order; afterwards nothing is. */
    public List<Registered> drain() {
        List<Registered> drained = List.copyOf(registered);
        registered.clear();
        return drained;
    }

    public boolean isEmpty() {
        return registered.isEmpty();
    }

}
