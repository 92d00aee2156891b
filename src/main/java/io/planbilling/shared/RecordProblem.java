package io.planbilling.shared;

import java.util.Comparator;
import java.util.List;

/**
 * What is wrong with one record of an ingested batch (a usage record, a bandwidth
 * sample), whatever carried it: an HTTP batch refuses itself with every problem of every
 * record (400, {@code records[3].deviceId}), a Kafka listener sends the one record to its
 * dead-letter topic with the problem in its headers.
 *
 * @param index the record's position in the list that was checked
 * @param code the stable code ({@link ErrorCode#VALIDATION_FAILED} for every problem of
 * format or reference)
 * @param field the record's field ({@code deviceId}), or {@code ""} for the record as a
 * whole
 * @param message why, in the API's words ({@code must be a UUID})
 */
public record RecordProblem(int index, ErrorCode code, String field, String message) {

    /** A {@link ErrorCode#VALIDATION_FAILED} problem of one field of one record. */
    public static RecordProblem invalid(int index, String field, String message) {
        return new RecordProblem(index, ErrorCode.VALIDATION_FAILED, field, message);
    }

    /**
     * The field's path in a request body whose list is {@code list}:
     * {@code records[3].deviceId}, or {@code records[3]} for the record as a whole.
     */
    public String path(String list) {
        return list + "[" + index + "]" + (field.isEmpty() ? "" : "." + field);
    }

    /**
     * The 400 {@code VALIDATION_FAILED} that refuses a whole batch of {@code size}
     * records for {@code problems} (not empty), listing every one by index: "2 of 3
     * records are invalid; nothing was applied."
     */
    public static ProblemException refusal(String list, int size, List<RecordProblem> problems) {
        List<RecordProblem> sorted = problems.stream().sorted(Comparator.comparingInt(RecordProblem::index)).toList();
        long bad = sorted.stream().mapToInt(RecordProblem::index).distinct().count();
        return ProblemException.invalid(bad + " of " + size + " " + list + " are invalid; nothing was applied.",
                sorted.stream().map(problem -> new FieldViolation(problem.path(list), problem.message())).toList());
    }

}
