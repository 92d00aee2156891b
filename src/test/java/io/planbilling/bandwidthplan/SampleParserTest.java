package io.planbilling.bandwidthplan;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.shared.RecordProblem;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Every problem a posted bandwidth sample can have (docs/bandwidth-plans.md), no
 * database.
 */
class SampleParserTest {

    static final Instant NOW = Instant.parse("2026-11-22T08:30:00Z");

    static final String NETWORK = "3f2a9c1e-7b6d-4e8f-9a0b-1c2d3e4f5a6b";

    static SampleInput sample(@Nullable String network, @Nullable String minute, @Nullable Object inbound,
            @Nullable Object outbound) {
        return new SampleInput(network, minute, inbound, outbound);
    }

    static SampleInput valid() {
        return sample(NETWORK, "2026-11-22T08:00:00Z", 10L, 20L);
    }

    static List<String> problems(@Nullable SampleInput... inputs) {
        List<@Nullable SampleInput> batch = new ArrayList<>(List.of());
        for (SampleInput input : inputs) {
            batch.add(input);
        }
        return SampleParser.parse(batch, NOW, false)
            .problems()
            .stream()
            .map(problem -> problem.path("samples") + ": " + problem.message())
            .toList();
    }

    @Test
    void aValidSampleReadsIntoTypedFields() {
        SampleParser.Parsed parsed = SampleParser.parse(List.of(valid()), NOW, false);

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.samples())
            .containsExactly(new Sample(0, UUID.fromString(NETWORK), Instant.parse("2026-11-22T08:00:00Z"), 10, 20));
    }

    @Test
    void everyFieldsProblems() {
        assertThat(problems((SampleInput) null)).containsExactly("samples[0]: must not be null");
        assertThat(problems(sample(null, null, null, null))).containsExactly(
                "samples[0].officeNetworkId: must not be null", "samples[0].minute: must not be null",
                "samples[0].inboundBytes: must not be null", "samples[0].outboundBytes: must not be null");
        assertThat(problems(sample("net-1", "08:00", new BigDecimal("1.5"), "7"))).containsExactly(
                "samples[0].officeNetworkId: must be a UUID", "samples[0].minute: must be an ISO-8601 instant",
                "samples[0].inboundBytes: must be a whole number of bytes up to 9223372036854775807",
                "samples[0].outboundBytes: must be a whole number of bytes up to 9223372036854775807");
        assertThat(problems(sample(NETWORK, "2026-11-22T08:00:30Z", -1, 0))).containsExactly(
                "samples[0].minute: must be the start of a minute (seconds zero)",
                "samples[0].inboundBytes: must be zero or more");
        assertThat(problems(sample(NETWORK, "2026-11-22T08:31:00Z", 0, -1))).containsExactly(
                "samples[0].minute: must not be in the future", "samples[0].outboundBytes: must be zero or more");
    }

    @Test
    void aPostedBatchHoldsOneSampleOfANetworksMinuteAStreamKeepsTheLast() {
        SampleInput again = sample(NETWORK, "2026-11-22T08:00:00Z", 30L, 40L);

        assertThat(problems(valid(), again))
            .containsExactly("samples[1]: repeats the network and minute of samples[0]");
        SampleParser.Parsed stream = SampleParser.parse(List.of(valid(), again), NOW, true);
        assertThat(stream.problems()).isEmpty();
        assertThat(stream.samples()).extracting(Sample::index).containsExactly(0, 1);
    }

    @Test
    void problemsAreListedByIndexAndOnlyGoodSamplesRead() {
        SampleParser.Parsed parsed = SampleParser.parse(List.of(valid(),
                sample(NETWORK, "2026-11-22T08:01:00Z", -1L, 0L), sample(NETWORK, "2026-11-22T08:02:00Z", 1L, 1L)), NOW,
                false);

        assertThat(parsed.samples()).extracting(Sample::index).containsExactly(0, 2);
        assertThat(parsed.problems()).extracting(RecordProblem::index).containsExactly(1);
    }

}
