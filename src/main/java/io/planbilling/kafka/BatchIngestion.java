package io.planbilling.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.planbilling.kafka.DeadLetters.DeadLetter;
import io.planbilling.kafka.DeadLetters.Problem;
import io.planbilling.kafka.TopicIngestion.Applied;
import io.planbilling.shared.Audit;
import io.planbilling.shared.BillingMeters;
import io.planbilling.shared.FieldViolation;
import io.planbilling.shared.ProblemException;
import io.planbilling.shared.RecordProblem;
import io.planbilling.shared.RecordSource;
import io.planbilling.shared.Screened;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchConsumerAwareMessageListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The batch listener of one topic (docs/kafka-ingestion.md). Each polled batch is read,
 * checked and applied in ONE database transaction, through the same facade methods as the
 * HTTP API; the container commits the batch's offsets only after this returns
 * ({@code AckMode.BATCH}), so after the database commit and after the batch's dead
 * letters are acknowledged. Nothing is committed while the transaction fails: the
 * exception goes to the container's error handler, which pauses the consumer and tries
 * the same batch again after a back-off, as long as it takes (a database outage loses
 * nothing and sends nothing to the dead-letter topic).
 *
 * <p>
 * Exactly once: a usage record's id is its primary key in the same transaction as its
 * effects, so a batch applied again after a crash, a rebalance or a failed offset commit
 * finds its records applied and changes nothing; a sample replaces its network's minute
 * with the same values. Records of partitions this consumer no longer owns (revoked while
 * the batch was being tried again) are left to their new owner.
 */
final class BatchIngestion<T> implements BatchConsumerAwareMessageListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(BatchIngestion.class);

    /** The element of a batch a facade names a field in: {@code records[3]} and a dot. */
    private static final Pattern ELEMENT = Pattern.compile("^[A-Za-z]+\\[\\d+\\]\\.?");

    private final TopicIngestion<T> ingestion;

    private final MessageReader<T> reader;

    private final TransactionTemplate transactions;

    private final DeadLetters deadLetters;

    private final String actor;

    private final ConsumerState state;

    private final Counter applied;

    private final Counter repeated;

    private final Counter deadLettered;

    BatchIngestion(TopicIngestion<T> ingestion, MessageReader<T> reader, TransactionTemplate transactions,
            DeadLetters deadLetters, String group, ConsumerState state, MeterRegistry meters) {
        this.ingestion = ingestion;
        this.reader = reader;
        this.transactions = transactions;
        this.deadLetters = deadLetters;
        this.actor = "kafka:" + group;
        this.state = state;
        this.applied = counter(meters, "applied");
        this.repeated = counter(meters, "duplicate");
        this.deadLettered = counter(meters, "dead-lettered");
    }

    private Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder(BillingMeters.KAFKA_RECORDS)
            .tag("topic", ingestion.topic())
            .tag(BillingMeters.OUTCOME, outcome)
            .description("Kafka messages by what their batch did with them")
            .register(meters);
    }

    /** A batch's outcome: what was applied, and what goes to the dead-letter topic. */
    private record Outcome(Applied applied, List<DeadLetter> deadLetters) {
    }

    /** The records of a batch that could be read, with their messages. */
    private record Readable<T>(List<ConsumerRecord<String, byte[]>> messages, List<T> values) {
    }

    @Override
    public void onMessage(List<ConsumerRecord<String, byte[]>> polled, @Nullable Consumer<?, ?> consumer) {
        // the container hands its consumer to a consumer-aware listener; without one
        // there is
        // no assignment to compare with, and every message polled is this consumer's
        List<ConsumerRecord<String, byte[]>> batch = consumer == null ? polled : owned(polled, consumer.assignment());
        if (batch.isEmpty()) {
            return;
        }
        String batchId = "kafka-" + UUID.randomUUID();
        try {
            Outcome outcome = Audit.as(actor, batchId, () -> process(batch));
            deadLetters.send(outcome.deadLetters());
            applied.increment(outcome.applied().applied());
            repeated.increment(outcome.applied().repeated());
            deadLettered.increment(outcome.deadLetters().size());
            state.succeeded(ingestion.topic());
            if (log.isDebugEnabled()) {
                log.debug("Batch {}: {} messages from {}: {} applied, {} repeated, {} dead-lettered", batchId,
                        batch.size(), ranges(batch), outcome.applied().applied(), outcome.applied().repeated(),
                        outcome.deadLetters().size());
            }
        }
        catch (RuntimeException ex) {
            log.warn(
                    "Batch of {} messages from {} not applied; offsets not committed, tried again after a back-off: {}",
                    batch.size(), ranges(batch), ex.toString());
            state.failed(ingestion.topic(), ex);
            throw ex;
        }
    }

    private static List<ConsumerRecord<String, byte[]>> owned(List<ConsumerRecord<String, byte[]>> polled,
            Set<TopicPartition> assignment) {
        List<ConsumerRecord<String, byte[]>> owned = new ArrayList<>(polled.size());
        for (ConsumerRecord<String, byte[]> message : polled) {
            if (assignment.contains(new TopicPartition(message.topic(), message.partition()))) {
                owned.add(message);
            }
        }
        if (owned.size() < polled.size()) {
            log.info("{} messages of partitions revoked from this consumer are left to their new owner",
                    polled.size() - owned.size());
        }
        return owned;
    }

    private Outcome process(List<ConsumerRecord<String, byte[]>> batch) {
        List<DeadLetter> unreadable = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> messages = new ArrayList<>(batch.size());
        List<T> values = new ArrayList<>(batch.size());
        for (ConsumerRecord<String, byte[]> message : batch) {
            MessageReader.Read<T> read = reader.read(message.value());
            if (read.value() != null) {
                messages.add(message);
                values.add(read.value());
            }
            else {
                unreadable.add(new DeadLetter(message, List.of(read.problem())));
            }
        }
        Readable<T> readable = new Readable<>(messages, values);
        Outcome checked;
        try {
            checked = transactions.execute(status -> checkAndApply(readable));
        }
        catch (ProblemException refused) {
            if (momentary(refused)) {
                throw refused;
            }
            // a problem the check did not foresee: find the record it belongs to, one
            // transaction per record
            log.warn("A batch from {} was refused as a whole ({}); applying its records one by one", ingestion.topic(),
                    refused.getMessage());
            checked = oneByOne(readable);
        }
        List<DeadLetter> dead = new ArrayList<>(unreadable);
        dead.addAll(checked.deadLetters());
        return new Outcome(checked.applied(), dead);
    }

    private Outcome checkAndApply(Readable<T> readable) {
        List<ConsumerRecord<String, byte[]>> messages = readable.messages();
        if (messages.isEmpty()) {
            return new Outcome(Applied.NOTHING, List.of());
        }
        List<RecordSource> sources = new ArrayList<>(messages.size());
        for (ConsumerRecord<String, byte[]> message : messages) {
            sources.add(RecordSource.kafka(message.topic(), message.partition(), message.offset()));
        }
        Screened<Applied> result = ingestion.applyValid(readable.values(), sources);
        if (result.problems().isEmpty()) {
            return new Outcome(result.applied(), List.of());
        }
        Map<Integer, List<Problem>> problems = new LinkedHashMap<>();
        for (RecordProblem problem : result.problems()) {
            problems.computeIfAbsent(problem.index(), index -> new ArrayList<>())
                .add(new Problem(problem.code(), field(problem.field()), problem.message()));
        }
        List<DeadLetter> dead = new ArrayList<>(problems.size());
        problems.forEach((index, found) -> dead.add(new DeadLetter(messages.get(index), found)));
        return new Outcome(result.applied(), dead);
    }

    private Outcome oneByOne(Readable<T> readable) {
        int appliedCount = 0;
        int repeatedCount = 0;
        List<DeadLetter> dead = new ArrayList<>();
        for (int i = 0; i < readable.values().size(); i++) {
            Readable<T> single = new Readable<>(List.of(readable.messages().get(i)), List.of(readable.values().get(i)));
            try {
                Outcome outcome = transactions.execute(status -> checkAndApply(single));
                appliedCount += outcome.applied().applied();
                repeatedCount += outcome.applied().repeated();
                dead.addAll(outcome.deadLetters());
            }
            catch (ProblemException refused) {
                if (momentary(refused)) {
                    throw refused;
                }
                List<Problem> problems = new ArrayList<>();
                for (FieldViolation violation : refused.violations()) {
                    problems.add(new Problem(refused.code(), field(violation.field()), violation.message()));
                }
                if (problems.isEmpty()) {
                    problems.add(new Problem(refused.code(), null, String.valueOf(refused.getMessage())));
                }
                dead.add(new DeadLetter(single.messages().get(0), problems));
            }
        }
        return new Outcome(new Applied(appliedCount, repeatedCount), dead);
    }

    /**
     * Whether a refusal is the moment's and not the record's: a race lost to a concurrent
     * batch or a deadlock (409 {@code CONCURRENT_UPDATE}, {@code CONFLICT}) or the
     * database unavailable (503). The batch is tried again, never dead-lettered.
     */
    private static boolean momentary(ProblemException refused) {
        int status = refused.code().status();
        return status == 409 || status == 503;
    }

    /**
     * A field as the message has it: the facades name a record's field within the batch
     * ({@code records[3].bytes}), a message is one record ({@code bytes}); null for the
     * record as a whole.
     */
    static @Nullable String field(@Nullable String field) {
        if (field == null) {
            return null;
        }
        String relative = ELEMENT.matcher(field).replaceFirst("");
        return relative.isEmpty() ? null : relative;
    }

    /** {@code topic-partition@first..last} for each partition of the batch. */
    private static String ranges(List<ConsumerRecord<String, byte[]>> batch) {
        Map<TopicPartition, long[]> ranges = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> message : batch) {
            long[] range = ranges.computeIfAbsent(new TopicPartition(message.topic(), message.partition()),
                    partition -> new long[] { message.offset(), message.offset() });
            range[0] = Math.min(range[0], message.offset());
            range[1] = Math.max(range[1], message.offset());
        }
        List<String> parts = new ArrayList<>();
        ranges.forEach((partition, range) -> parts.add(partition + "@" + range[0] + ".." + range[1]));
        return String.join(", ", parts);
    }

}
