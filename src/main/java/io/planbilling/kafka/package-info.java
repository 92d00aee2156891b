/**
 * Kafka ingestion (docs/kafka-ingestion.md): usage records and bandwidth samples read
 * from topics in batches and applied through the same checks and writes as the HTTP API,
 * one database transaction per polled batch, offsets committed after it; invalid records
 * to a dead-letter topic; consumer lag as a meter and the consumer's state in its own
 * health group. Off unless {@code billing.kafka.enabled}.
 */
@ApplicationModule(allowedDependencies = { "bandwidthplan", "shared", "trafficpackage" })
@NullMarked
package io.planbilling.kafka;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
