package io.planbilling.kafka;

import io.planbilling.shared.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Sends invalid messages to {@code <topic>.dlq} (docs/kafka-ingestion.md): the message's
 * key, value and headers as they came, plus where it came from and every problem found
 * with it, as text headers ({@code billing-problem-code}, {@code -field},
 * {@code -message}, once per problem in the order found). Waits until the broker has
 * acknowledged every one, so that the batch's offsets are committed only after its dead
 * letters are safe; a failure throws and the batch is tried again (dead letters are at
 * least once).
 */
class DeadLetters {

    static final String CODE = "billing-problem-code";

    static final String FIELD = "billing-problem-field";

    static final String MESSAGE = "billing-problem-message";

    static final String SOURCE_TOPIC = "billing-source-topic";

    static final String SOURCE_PARTITION = "billing-source-partition";

    static final String SOURCE_OFFSET = "billing-source-offset";

    /** One thing wrong with a message. */
    record Problem(ErrorCode code, @Nullable String field, String message) {
    }

    /** A message and what is wrong with it. */
    record DeadLetter(ConsumerRecord<String, byte[]> record, List<Problem> problems) {
    }

    private final KafkaTemplate<String, byte[]> template;

    private final Duration timeout;

    DeadLetters(KafkaTemplate<String, byte[]> template, Duration timeout) {
        this.template = template;
        this.timeout = timeout;
    }

    void send(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        List<CompletableFuture<?>> sent = new ArrayList<>(letters.size());
        for (DeadLetter letter : letters) {
            sent.add(template.send(toRecord(letter)));
        }
        template.flush();
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new KafkaException("Dead letters not acknowledged by the broker; the batch is tried again", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while sending dead letters", ex);
        }
    }

    static ProducerRecord<String, byte[]> toRecord(DeadLetter letter) {
        ConsumerRecord<String, byte[]> original = letter.record();
        RecordHeaders headers = new RecordHeaders();
        for (Header header : original.headers()) {
            headers.add(header);
        }
        headers.add(SOURCE_TOPIC, text(original.topic()));
        headers.add(SOURCE_PARTITION, text(Integer.toString(original.partition())));
        headers.add(SOURCE_OFFSET, text(Long.toString(original.offset())));
        for (Problem problem : letter.problems()) {
            headers.add(CODE, text(problem.code().name()));
            if (problem.field() != null) {
                headers.add(FIELD, text(problem.field()));
            }
            headers.add(MESSAGE, text(problem.message()));
        }
        return new ProducerRecord<>(KafkaIngestionSettings.deadLetterTopic(original.topic()), null, original.key(),
                original.value(), headers);
    }

    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

}
