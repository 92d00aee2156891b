package io.planbilling.events;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The events module's writer of the outbox, for the JDBC slices of other modules
 * ({@code testing.PostgresJdbcTest}): {@link EventTable} is package-private.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(EventTable.class)
public class EventTableSlice {

}
