package io.planbilling.bandwidthplan;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.shared.RecordProblem;
import io.planbilling.shared.RecordSource;
import io.planbilling.shared.Screened;
import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The samples' ingestion seam for a stream (a Kafka listener): {@code applyValid} stores
 * the samples that pass and names every problem of the others, joins the caller's
 * transaction, keeps the last sample of a repeated minute, and each row keeps its own
 * source (docs/bandwidth-plans.md, samples).
 */
@ApiTest
class BandwidthSampleSeamApiTest {

    @Autowired
    TestApi api;

    @Autowired
    BandwidthSamples samples;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    BandwidthFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new BandwidthFixtures(api);
    }

    Map<String, Object> row(UUID network, Instant minute) {
        return jdbc.sql("""
                SELECT inbound_bytes, source, request_id FROM bandwidth_samples
                WHERE office_network_id = :n AND minute = :m""")
            .param("n", network)
            .param("m", Timestamp.from(minute))
            .query()
            .singleRow();
    }

    static SampleInput input(UUID network, Instant minute, long inbound) {
        return new SampleInput(network.toString(), minute.toString(), inbound, 0L);
    }

    @Test
    void applyValidNamesAnUnknownNetworkAtItsFieldAndLetsAStreamRepeatAMinute() {
        UUID network = fixtures.network(api.createAccount("sample seam check"));
        Instant minute = fixtures.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(2));
        UUID unknown = UUID.randomUUID();

        Screened<SamplesResult> result = samples.applyValid(
                List.of(input(network, minute, 1), input(unknown, minute, 1), input(network, minute, 2)),
                List.of(RecordSource.kafka("s", 0, 1), RecordSource.kafka("s", 0, 2), RecordSource.kafka("s", 0, 3)));

        List<RecordProblem> problems = result.problems();

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.path("samples")).isEqualTo("samples[1].officeNetworkId");
            assertThat(problem.message()).isEqualTo("unknown office network " + unknown);
        });
        assertThat(result.applied()).as("the later sample of the minute replaces the earlier")
            .isEqualTo(new SamplesResult(2, 1, 1));
        assertThat(row(network, minute)).containsEntry("inbound_bytes", 2L).containsEntry("source", "kafka:s/0@3");
    }

    @Test
    void applyValidJoinsTheCallersTransactionKeepsTheLastOfAMinuteAndEachRowItsSource() {
        UUID network = fixtures.network(api.createAccount("sample seam apply"));
        Instant minute = fixtures.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(3));
        Instant next = minute.plus(Duration.ofMinutes(1));

        transaction.executeWithoutResult(status -> {
            samples.applyValid(List.of(input(network, next, 5)), List.of(RecordSource.kafka("s", 0, 1)));
            status.setRollbackOnly();
        });
        SamplesResult applied = transaction.execute(status -> samples
            .applyValid(List.of(input(network, minute, 1), input(network, minute, 2), input(network, next, 3)), List
                .of(RecordSource.kafka("s", 1, 10), RecordSource.kafka("s", 1, 11), RecordSource.kafka("s", 1, 12))))
            .applied();

        assertThat(applied).isEqualTo(new SamplesResult(3, 2, 1));
        assertThat(row(network, minute)).containsEntry("inbound_bytes", 2L).containsEntry("source", "kafka:s/1@11");
        assertThat(row(network, next)).containsEntry("inbound_bytes", 3L).containsEntry("source", "kafka:s/1@12");
        assertThat(row(network, next).get("request_id")).isNull();
    }

    @Test
    void aPostedSampleRowCarriesItsRequestsId() {
        UUID network = fixtures.network(api.createAccount("sample seam http"));
        Instant minute = fixtures.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(4));

        Response posted = fixtures.samples(List.of(BandwidthFixtures.sample(network, minute, 7, 7)));

        String requestId = posted.header("X-Request-Id").orElseThrow();
        assertThat(row(network, minute)).containsEntry("source", "http:" + requestId)
            .containsEntry("request_id", requestId);
    }

}
