/**
 * Events for other billing services (docs/events.md): the table the kernel's
 * {@code EventOutbox} writes in the transaction of each change (with the webhook
 * deliveries it causes), the pull feed, and signed webhook deliveries. It uses the plan
 * modules for one thing only: the event catalogue of the OpenAPI document
 * ({@code EventDocumentation}) describes event payloads with their views.
 */
@ApplicationModule(allowedDependencies = { "account", "bandwidthplan", "shared", "trafficpackage" })
@NullMarked
package io.planbilling.events;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
