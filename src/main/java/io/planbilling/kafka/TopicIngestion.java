package io.planbilling.kafka;

import io.planbilling.shared.RecordSource;
import io.planbilling.shared.Screened;
import java.util.List;

/**
 * What the batch listener needs of one topic's kind of record: the HTTP API's record type
 * (a message is read as one), and the module facade's {@code applyValid}
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
     * Applies the records that pass, each with its source, in the caller's transaction,
     * and names every problem of the others by index: one call that reads the records and
     * looks up what they refer to once.
     */
    Screened<Applied> applyValid(List<T> records, List<RecordSource> sources);

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
