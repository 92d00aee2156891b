package io.planbilling.shared;

import java.util.List;

/**
 * What a stream's batch of records did when it was checked and applied in one call (a
 * Kafka listener's polled batch, docs/kafka-ingestion.md): the records that passed were
 * applied, the others were not and are named by their problems, so that one bad record
 * does not hold back the rest. An HTTP batch is refused whole instead
 * ({@link RecordProblem#refusal}).
 *
 * @param applied what the passing records did (nothing when none passed)
 * @param problems every problem of the records that did not pass, by index, in index
 * order
 * @param <R> the facade's result type
 */
public record Screened<R>(R applied, List<RecordProblem> problems) {

    public Screened {
        problems = List.copyOf(problems);
    }

}
