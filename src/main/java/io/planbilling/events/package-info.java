/**
 * Events for other billing services (docs/events.md): the table the kernel's {@code EventOutbox} writes in the
 * transaction of each change (with the webhook deliveries it causes), the pull feed, and signed webhook deliveries.
 */
@NullMarked
package io.planbilling.events;

import org.jspecify.annotations.NullMarked;
