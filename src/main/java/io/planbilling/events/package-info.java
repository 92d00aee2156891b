/**
 * Events for other billing services: the transactional outbox (written by database triggers in the transaction of
 * each change, V40), the pull feed, and signed webhook deliveries.
 */
@NullMarked
package io.planbilling.events;

import org.jspecify.annotations.NullMarked;
