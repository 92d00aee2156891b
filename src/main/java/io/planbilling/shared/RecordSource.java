package io.planbilling.shared;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where an ingested record (a usage record, a bandwidth sample) came from: an HTTP
 * request or a Kafka message. Every record row stores its own source, rendered by
 * {@link #render()} as {@code http:<requestId>} or
 * {@code kafka:<topic>/<partition>@<offset>}, so the audit trail names the request or the
 * message of each record, also when one transaction applies the records of several
 * requests or of a whole polled batch (docs/traffic-packages.md, usage ingestion).
 */
public sealed interface RecordSource {

    /** The source as the record row stores it. */
    String render();

    /**
     * The request id the row's {@code request_id} column carries: the HTTP request's,
     * none for a Kafka message.
     */
    @Nullable String requestId();

    /** A record posted in the HTTP request {@code requestId} ({@code X-Request-Id}). */
    static RecordSource http(String requestId) {
        return new Http(requestId);
    }

    /**
     * The HTTP request being served on this thread (its request id from the log context),
     * or {@code http:unknown} outside a request.
     */
    static RecordSource currentRequest() {
        String requestId = Audit.requestId();
        return new Http(requestId == null ? "unknown" : requestId);
    }

    /** A record read from a Kafka message. */
    static RecordSource kafka(String topic, int partition, long offset) {
        return new Kafka(topic, partition, offset);
    }

    record Http(String id) implements RecordSource {

        public Http {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String render() {
            return "http:" + id;
        }

        @Override
        public String requestId() {
            return id;
        }

    }

    record Kafka(String topic, int partition, long offset) implements RecordSource {

        public Kafka {
            Objects.requireNonNull(topic, "topic");
        }

        @Override
        public String render() {
            return "kafka:" + topic + "/" + partition + "@" + offset;
        }

        @Override
        public @Nullable String requestId() {
            return null;
        }

    }

}
