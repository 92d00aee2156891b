package io.planbilling.kafka;

import io.planbilling.shared.RecordProblem;
import io.planbilling.shared.RecordSource;
import java.util.List;

/**
 * What the batch listener needs of one topic's kind of record: the HTTP API's record type
 * (a message is read as one), and the module facade's check and apply
 * (docs/kafka-ingestion.md).
 *
 * @param <T> the record type, as the HTTP API reads it
 */
interface TopicIngestion<T> {

    /** The topic; its dead letters go to {@code <topic>.dlq}. */
    String topic();

    /** The JSON shape of one message. */
    Class<T> type();

    /**
     * Every problem of the records, by index; reads only (within the batch's
     * transaction).
     */
    List<RecordProblem> check(List<T> records);

    /**
     * Applies records that passed {@link #check}, each with its source, in the caller's
     * transaction.
     */
    Applied apply(List<T> records, List<RecordSource> sources);

    /**
     * What a batch did.
     *
     * @param applied records applied for the first time
     * @param repeated records seen before (usage) or replacing a stored sample of their
     * minute or an earlier one of the same batch (samples)
     */
    record Applied(int applied, int repeated) {

        static final Applied NOTHING = new Applied(0, 0);

    }

}
