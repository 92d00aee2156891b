package io.planbilling.trafficpackage;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.RecordProblem;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Every problem a posted usage record can have (docs/traffic-packages.md), no database.
 */
class UsageRecordParserTest {

    static final Instant NOW = Instant.parse("2026-11-22T08:30:00Z");

    static final String DEVICE = "0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b";

    static UsageRecordInput valid() {
        return new UsageRecordInput("gw-1:42", DEVICE, "GUANGZHOU", 1024L, "2026-11-22T08:00:00Z");
    }

    /**
     * The one problem of a batch holding only {@code input}, as {@code field: message}.
     */
    static String problem(@Nullable UsageRecordInput input) {
        List<@Nullable UsageRecordInput> batch = new ArrayList<>();
        batch.add(input);
        UsageRecordParser.Parsed parsed = UsageRecordParser.parse(batch, NOW);
        assertThat(parsed.records()).isEmpty();
        assertThat(parsed.problems()).hasSize(1);
        RecordProblem problem = parsed.problems().get(0);
        assertThat(problem.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        return problem.path("records") + ": " + problem.message();
    }

    static UsageRecordInput withId(@Nullable String id) {
        return new UsageRecordInput(id, DEVICE, "GUANGZHOU", 1024L, "2026-11-22T08:00:00Z");
    }

    static UsageRecordInput withDevice(@Nullable String device) {
        return new UsageRecordInput("gw-1:42", device, "GUANGZHOU", 1024L, "2026-11-22T08:00:00Z");
    }

    static UsageRecordInput withRegion(@Nullable String region) {
        return new UsageRecordInput("gw-1:42", DEVICE, region, 1024L, "2026-11-22T08:00:00Z");
    }

    static UsageRecordInput withBytes(@Nullable Object bytes) {
        return new UsageRecordInput("gw-1:42", DEVICE, "GUANGZHOU", bytes, "2026-11-22T08:00:00Z");
    }

    static UsageRecordInput at(@Nullable String occurredAt) {
        return new UsageRecordInput("gw-1:42", DEVICE, "GUANGZHOU", 1024L, occurredAt);
    }

    @Test
    void aValidRecordReadsIntoTypedFields() {
        UsageRecordParser.Parsed parsed = UsageRecordParser.parse(List.of(valid(), withBytes(7)), NOW);

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.records()).containsExactly(
                new UsageRecord(0, "gw-1:42", UUID.fromString(DEVICE), TrafficRegion.GUANGZHOU, 1024,
                        Instant.parse("2026-11-22T08:00:00Z")),
                new UsageRecord(1, "gw-1:42", UUID.fromString(DEVICE), TrafficRegion.GUANGZHOU, 7,
                        Instant.parse("2026-11-22T08:00:00Z")));
    }

    @Test
    void aMissingRecord() {
        assertThat(problem(null)).isEqualTo("records[0]: must be a record");
    }

    @Test
    void theId() {
        assertThat(problem(withId(null))).isEqualTo("records[0].id: must not be blank");
        assertThat(problem(withId(" "))).isEqualTo("records[0].id: must not be blank");
        assertThat(problem(withId("x".repeat(65)))).isEqualTo("records[0].id: must be at most 64 characters");
        assertThat(problem(withId("gw\u0000"))).isEqualTo("records[0].id: must not contain control characters");
        assertThat(UsageRecordParser.parse(List.of(withId("x".repeat(64))), NOW).problems()).isEmpty();
    }

    @Test
    void theDevice() {
        assertThat(problem(withDevice(null))).isEqualTo("records[0].deviceId: must not be null");
        assertThat(problem(withDevice("device-7"))).isEqualTo("records[0].deviceId: must be a UUID");
    }

    @Test
    void theRegion() {
        assertThat(problem(withRegion(null))).isEqualTo("records[0].region: must not be null");
        assertThat(problem(withRegion("guangzhou")))
            .isEqualTo("records[0].region: must be one of GUANGZHOU, SILICON_VALLEY");
    }

    @Test
    void theBytesAreAWholeJsonNumberGreaterThanZero() {
        String notWhole = "records[0].bytes: must be a whole number of bytes up to 9223372036854775807";
        assertThat(problem(withBytes(null))).isEqualTo("records[0].bytes: must not be null");
        assertThat(problem(withBytes(new BigDecimal("1.5")))).isEqualTo(notWhole);
        assertThat(problem(withBytes(1.0d))).isEqualTo(notWhole);
        assertThat(problem(withBytes("100"))).isEqualTo(notWhole);
        assertThat(problem(withBytes(BigInteger.TWO.pow(63)))).isEqualTo(notWhole);
        assertThat(problem(withBytes(0))).isEqualTo("records[0].bytes: must be greater than 0");
        assertThat(problem(withBytes(-1L))).isEqualTo("records[0].bytes: must be greater than 0");
        assertThat(UsageRecordParser.parse(List.of(withBytes(BigInteger.TWO.pow(63).subtract(BigInteger.ONE))), NOW)
            .records()).singleElement().extracting(UsageRecord::bytes).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theTimeIsAnInstantNotBeforeTheEpochNorMoreThanFiveMinutesAhead() {
        assertThat(problem(at(null))).isEqualTo("records[0].occurredAt: must not be null");
        assertThat(problem(at("2026-11-22 08:00"))).isEqualTo("records[0].occurredAt: must be an ISO-8601 instant");
        assertThat(problem(at("1969-12-31T23:59:59Z")))
            .isEqualTo("records[0].occurredAt: must not be before 1970-01-01T00:00:00Z");
        assertThat(problem(at(NOW.plus(Duration.ofMinutes(5)).plusSeconds(1).toString())))
            .isEqualTo("records[0].occurredAt: must not be more than 5 minutes in the future");
        assertThat(UsageRecordParser.parse(List.of(at(NOW.plus(Duration.ofMinutes(5)).toString())), NOW).problems())
            .as("gateway clocks drift")
            .isEmpty();
    }

    @Test
    void everyProblemOfEveryRecordIsListedByIndexAndOnlyGoodRecordsRead() {
        List<@Nullable UsageRecordInput> batch = new ArrayList<>();
        batch.add(valid());
        batch.add(new UsageRecordInput(null, "x", "MARS", -5L, "yesterday"));
        batch.add(null);

        UsageRecordParser.Parsed parsed = UsageRecordParser.parse(batch, NOW);

        assertThat(parsed.records()).extracting(UsageRecord::index).containsExactly(0);
        assertThat(parsed.problems()).extracting(problem -> problem.path("records"))
            .containsExactly("records[1].id", "records[1].deviceId", "records[1].region", "records[1].bytes",
                    "records[1].occurredAt", "records[2]");
    }

}
