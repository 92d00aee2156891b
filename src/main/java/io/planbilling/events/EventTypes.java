package io.planbilling.events;

import io.planbilling.shared.EventType;
import java.util.List;

/**
 * The event catalogue as consumers subscribe to it: every wire name of {@link EventType},
 * and {@code *} for all.
 */
final class EventTypes {

    public static final String ALL = "*";

    public static final List<String> ALL_TYPES = EventType.wireNames();

    private EventTypes() {
    }

}
