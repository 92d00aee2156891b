package io.planbilling.trafficpackage;

import io.planbilling.shared.ProblemException;
import io.planbilling.shared.RecordFields;
import io.planbilling.shared.RecordProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Reads a batch of posted usage records (docs/traffic-packages.md, usage ingestion):
 * every field of every record is checked, so one answer names every bad one; nothing here
 * touches the database (whether a device exists is {@link TrafficUsage}'s check).
 */
final class UsageRecordParser {

    static final int MAX_ID_LENGTH = 64;

    /**
     * How far ahead of the service's clock a record's {@code occurredAt} may be (gateway
     * clocks drift).
     */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /**
     * The records that read, in the batch's order, and the problems of those that did
     * not.
     */
    record Parsed(List<UsageRecord> records, List<RecordProblem> problems) {
    }

    private UsageRecordParser() {
    }

    static Parsed parse(List<@Nullable UsageRecordInput> inputs, Instant now) {
        List<UsageRecord> records = new ArrayList<>(inputs.size());
        List<RecordProblem> problems = new ArrayList<>();
        // a batch repeats devices and timestamps a lot: each distinct string is parsed
        // once
        Map<String, @Nullable UUID> devices = new HashMap<>();
        Map<String, @Nullable Instant> instants = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            int before = problems.size();
            UsageRecordInput input = inputs.get(i);
            if (input == null) {
                problems.add(RecordProblem.invalid(i, "", "must be a record"));
                continue;
            }
            String id = input.id();
            if (id == null || id.isBlank()) {
                problems.add(RecordProblem.invalid(i, "id", "must not be blank"));
            }
            else if (id.length() > MAX_ID_LENGTH) {
                problems.add(RecordProblem.invalid(i, "id", "must be at most " + MAX_ID_LENGTH + " characters"));
            }
            else if (RecordFields.hasControlCharacter(id)) {
                problems.add(RecordProblem.invalid(i, "id", "must not contain control characters"));
            }
            UUID deviceId = null;
            if (input.deviceId() == null) {
                problems.add(RecordProblem.invalid(i, "deviceId", "must not be null"));
            }
            else {
                deviceId = devices.computeIfAbsent(input.deviceId(), RecordFields::uuid);
                if (deviceId == null) {
                    problems.add(RecordProblem.invalid(i, "deviceId", "must be a UUID"));
                }
            }
            TrafficRegion region = null;
            if (input.region() == null) {
                problems.add(RecordProblem.invalid(i, "region", "must not be null"));
            }
            else {
                region = region(input.region());
                if (region == null) {
                    problems.add(RecordProblem.invalid(i, "region",
                            ProblemException.mustBeOneOf(List.of(TrafficRegion.values()))));
                }
            }
            Long bytes = RecordFields.wholeNumber(input.bytes());
            if (input.bytes() == null) {
                problems.add(RecordProblem.invalid(i, "bytes", "must not be null"));
            }
            else if (bytes == null) {
                problems
                    .add(RecordProblem.invalid(i, "bytes", "must be a whole number of bytes up to " + Long.MAX_VALUE));
            }
            else if (bytes <= 0) {
                problems.add(RecordProblem.invalid(i, "bytes", "must be greater than 0"));
            }
            Instant occurredAt = null;
            if (input.occurredAt() == null) {
                problems.add(RecordProblem.invalid(i, "occurredAt", "must not be null"));
            }
            else {
                occurredAt = instants.computeIfAbsent(input.occurredAt(), RecordFields::instant);
                if (occurredAt == null) {
                    problems.add(RecordProblem.invalid(i, "occurredAt", "must be an ISO-8601 instant"));
                }
                else if (occurredAt.isBefore(Instant.EPOCH)) {
                    problems.add(RecordProblem.invalid(i, "occurredAt", "must not be before " + Instant.EPOCH));
                }
                else if (occurredAt.isAfter(now.plus(MAX_CLOCK_SKEW))) {
                    problems.add(RecordProblem.invalid(i, "occurredAt",
                            "must not be more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes in the future"));
                }
            }
            if (problems.size() == before && id != null && deviceId != null && region != null && bytes != null
                    && occurredAt != null) {
                records.add(new UsageRecord(i, id, deviceId, region, bytes, occurredAt));
            }
        }
        return new Parsed(records, problems);
    }

    private static @Nullable TrafficRegion region(String value) {
        for (TrafficRegion region : TrafficRegion.values()) {
            if (region.name().equals(value)) {
                return region;
            }
        }
        return null;
    }

}
