package io.planbilling.shared;

/**
 * The names of the service's own meters, in one place (docs/operations.md lists each with
 * its type, tags and meaning). Micrometer names them with dots;
 * {@code /actuator/prometheus} shows {@code billing.usage.records} as
 * {@code billing_usage_records_total} and a timer such as {@code billing.usage.batch} as
 * {@code billing_usage_batch_seconds_count}, {@code _sum} and {@code _max}.
 */
public final class BillingMeters {

    /**
     * Counter of usage records by {@code outcome}: {@code applied} or {@code duplicate}.
     */
    public static final String USAGE_RECORDS = "billing.usage.records";

    /**
     * Timer of usage batches by {@code outcome}: {@code accepted} or {@code rejected}
     * (400, nothing applied).
     */
    public static final String USAGE_BATCH = "billing.usage.batch";

    /**
     * Counter of bandwidth samples by {@code outcome}: {@code inserted} or
     * {@code replaced} (a repeated minute).
     */
    public static final String BANDWIDTH_SAMPLES = "billing.bandwidth.samples";

    /**
     * Timer of bandwidth sample batches by {@code outcome}: {@code accepted} or
     * {@code rejected}.
     */
    public static final String BANDWIDTH_SAMPLE_BATCH = "billing.bandwidth.sample.batch";

    /**
     * Counter of small ingestion requests by {@code stream} ({@code usage},
     * {@code samples}) and {@code outcome}: {@code grouped} (applied in a group's
     * transaction), {@code alone} (in a transaction of its own: no other request to group
     * with, an {@code Idempotency-Key}, a large batch, grouping off) or {@code retried}
     * (its group's transaction failed, so it ran again alone).
     */
    public static final String INGESTION_REQUESTS = "billing.ingestion.requests";

    /**
     * Distribution of the number of requests in each group a worker collected, by
     * {@code stream}: a group of one runs alone.
     */
    public static final String INGESTION_GROUP_SIZE = "billing.ingestion.group.size";

    /**
     * Timer of lifecycle steps by {@code step} and {@code outcome}: {@code success} or
     * {@code failure}.
     */
    public static final String LIFECYCLE_STEP = "billing.lifecycle.step";

    /**
     * Counter of what lifecycle steps did, by {@code step} and {@code item} (e.g.
     * {@code expired}).
     */
    public static final String LIFECYCLE_ITEMS = "billing.lifecycle.items";

    /**
     * Counter of webhook delivery attempts by {@code outcome}: {@code delivered},
     * {@code retrying}, {@code failed}.
     */
    public static final String WEBHOOK_DELIVERIES = "billing.webhooks.deliveries";

    /**
     * Counter of POSTs answered from a stored response
     * ({@code Idempotent-Replayed: true}).
     */
    public static final String IDEMPOTENT_REPLAYS = "billing.idempotency.replays";

    /**
     * Counter of 429s by {@code code}: {@code RATE_LIMITED} or
     * {@code AUTHENTICATION_THROTTLED}.
     */
    public static final String RATE_LIMITED = "billing.requests.rate.limited";

    /**
     * Counter of requests refused by security, by {@code status}: {@code 401} or
     * {@code 403}.
     */
    public static final String REFUSED = "billing.requests.refused";

    /**
     * Counter of Kafka messages by {@code topic} and {@code outcome}: {@code applied},
     * {@code duplicate} (a usage record seen before, or a sample that replaced its
     * minute) or {@code dead-lettered} (docs/kafka-ingestion.md).
     */
    public static final String KAFKA_RECORDS = "billing.kafka.records";

    /**
     * Gauge of the consumer group's lag by {@code topic} and {@code partition}: messages
     * after the committed offset.
     */
    public static final String KAFKA_CONSUMER_LAG = "billing.kafka.consumer.lag";

    public static final String OUTCOME = "outcome";

    private BillingMeters() {
    }

}
