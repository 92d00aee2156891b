package io.planbilling.bandwidthplan;

import io.planbilling.shared.RecordFields;
import io.planbilling.shared.RecordProblem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Reads a batch of posted bandwidth samples (docs/bandwidth-plans.md, samples): every
 * field of every sample is checked, so one answer names every bad one; nothing here
 * touches the database (whether a network exists is {@link BandwidthSamples}' check).
 */
final class SampleParser {

    /** The samples that read, in the batch's order, and the problems of the rest. */
    record Parsed(List<Sample> samples, List<RecordProblem> problems) {
    }

    private SampleParser() {
    }

    /**
     * @param repeats whether a later sample of a network's minute may replace an earlier
     * one of the same list (a stream's re-sent sample); if not, it is a problem of the
     * later one (one posted batch holds one sample per network and minute)
     */
    static Parsed parse(List<@Nullable SampleInput> inputs, Instant now, boolean repeats) {
        List<Sample> samples = new ArrayList<>(inputs.size());
        List<RecordProblem> problems = new ArrayList<>();
        Map<String, Integer> firsts = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            int before = problems.size();
            SampleInput input = inputs.get(i);
            if (input == null) {
                problems.add(RecordProblem.invalid(i, "", "must not be null"));
                continue;
            }
            UUID network = null;
            if (input.officeNetworkId() == null) {
                problems.add(RecordProblem.invalid(i, "officeNetworkId", "must not be null"));
            }
            else {
                network = RecordFields.uuid(input.officeNetworkId());
                if (network == null) {
                    problems.add(RecordProblem.invalid(i, "officeNetworkId", "must be a UUID"));
                }
            }
            Instant minute = null;
            if (input.minute() == null) {
                problems.add(RecordProblem.invalid(i, "minute", "must not be null"));
            }
            else {
                minute = RecordFields.instant(input.minute());
                if (minute == null) {
                    problems.add(RecordProblem.invalid(i, "minute", "must be an ISO-8601 instant"));
                }
                else if (minute.getEpochSecond() % 60 != 0 || minute.getNano() != 0) {
                    problems.add(RecordProblem.invalid(i, "minute", "must be the start of a minute (seconds zero)"));
                }
                else if (minute.isAfter(now)) {
                    problems.add(RecordProblem.invalid(i, "minute", "must not be in the future"));
                }
            }
            Long inbound = bytes(i, "inboundBytes", input.inboundBytes(), problems);
            Long outbound = bytes(i, "outboundBytes", input.outboundBytes(), problems);
            if (problems.size() == before && network != null && minute != null && inbound != null && outbound != null) {
                Sample sample = new Sample(i, network, minute, inbound, outbound);
                Integer first = firsts.putIfAbsent(sample.key(), i);
                if (first != null && !repeats) {
                    problems
                        .add(RecordProblem.invalid(i, "", "repeats the network and minute of samples[" + first + "]"));
                }
                else {
                    samples.add(sample);
                }
            }
        }
        return new Parsed(samples, problems);
    }

    private static @Nullable Long bytes(int index, String field, @Nullable Object value, List<RecordProblem> problems) {
        Long bytes = RecordFields.wholeNumber(value);
        if (value == null) {
            problems.add(RecordProblem.invalid(index, field, "must not be null"));
        }
        else if (bytes == null) {
            problems
                .add(RecordProblem.invalid(index, field, "must be a whole number of bytes up to " + Long.MAX_VALUE));
        }
        else if (bytes < 0) {
            problems.add(RecordProblem.invalid(index, field, "must be zero or more"));
            return null;
        }
        return bytes;
    }

}
