package io.planbilling.trafficpackage;

import static io.planbilling.trafficpackage.UsageFixtures.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.RecordProblem;
import io.planbilling.shared.RecordSource;
import io.planbilling.shared.Screened;
import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ingestion seam a stream (a Kafka listener) uses: {@code applyValid} applies the
 * records that pass and names every problem of the others, joins the caller's
 * transaction, each row keeps its own source, and a record id counts once whichever way
 * it came (docs/traffic-packages.md, usage ingestion).
 */
@ApiTest
class UsageIngestionSeamApiTest {

    @Autowired
    TestApi api;

    @Autowired
    TrafficUsage usage;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    UsageFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new UsageFixtures(api);
    }

    @Nullable String source(String recordId) {
        return jdbc.sql("SELECT source FROM traffic_usage_records WHERE id = :id")
            .param("id", recordId)
            .query(String.class)
            .optional()
            .orElse(null);
    }

    static UsageRecordInput input(String id, UUID device, long bytes, Instant at) {
        return new UsageRecordInput(id, device.toString(), "GUANGZHOU", bytes, at.toString());
    }

    @Test
    void applyValidAppliesWhatPassesAndNamesEveryProblemOfTheRest() {
        TestAccount account = api.createAccount("seam check");
        UUID device = fixtures.device(account);
        Instant at = fixtures.now().minus(Duration.ofMinutes(1));
        UUID unknown = UUID.randomUUID();
        List<@Nullable UsageRecordInput> batch = new ArrayList<>();
        batch.add(input(id(), device, 10, at));
        batch.add(input(id(), unknown, 10, at));
        batch.add(new UsageRecordInput("", device.toString(), "MARS", 0, at.toString()));
        batch.add(null);

        Screened<UsageBatchResult> result = usage.applyValid(batch, List.of(RecordSource.kafka("t", 0, 1),
                RecordSource.kafka("t", 0, 2), RecordSource.kafka("t", 0, 3), RecordSource.kafka("t", 0, 4)));

        List<RecordProblem> problems = result.problems();

        assertThat(problems).extracting(RecordProblem::index, RecordProblem::field)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "deviceId"),
                    org.assertj.core.groups.Tuple.tuple(2, "id"), org.assertj.core.groups.Tuple.tuple(2, "region"),
                    org.assertj.core.groups.Tuple.tuple(2, "bytes"), org.assertj.core.groups.Tuple.tuple(3, ""));
        assertThat(problems).allSatisfy(problem -> assertThat(problem.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
        assertThat(problems.get(0).message()).isEqualTo("unknown device " + unknown);
        assertThat(result.applied().applied()).isEqualTo(1);
        assertThat(result.applied().results()).singleElement()
            .satisfies(applied -> assertThat(applied.id()).isEqualTo(batch.get(0).id()));
        assertThat(source(batch.get(0).id())).isEqualTo("kafka:t/0@1");
        assertThat(source(batch.get(1).id())).as("an unknown device's record is not stored").isNull();
    }

    @Test
    void applyValidJoinsTheCallersTransactionAndEachRowKeepsItsOwnSource() {
        TestAccount account = api.createAccount("seam apply");
        UUID device = fixtures.device(account);
        Instant at = fixtures.now().minus(Duration.ofMinutes(1));
        String rolledBack = id();
        String first = id();
        String second = id();

        transaction.executeWithoutResult(status -> {
            usage.applyValid(List.of(input(rolledBack, device, 10, at)),
                    List.of(RecordSource.kafka("plan-billing.traffic-usage", 0, 1)));
            status.setRollbackOnly();
        });
        UsageBatchResult applied = transaction
            .execute(status -> usage.applyValid(List.of(input(first, device, 10, at), input(second, device, 20, at)),
                    List.of(RecordSource.kafka("plan-billing.traffic-usage", 2, 41),
                            RecordSource.kafka("plan-billing.traffic-usage", 5, 7))))
            .applied();

        assertThat(source(rolledBack)).as("rolled back with the caller's transaction").isNull();
        assertThat(applied.applied()).isEqualTo(2);
        assertThat(source(first)).isEqualTo("kafka:plan-billing.traffic-usage/2@41");
        assertThat(source(second)).isEqualTo("kafka:plan-billing.traffic-usage/5@7");
    }

    @Test
    void aRecordIdCountsOnceWhetherItCameOverHttpOrFromTheStream() {
        TestAccount account = api.createAccount("seam duplicates");
        UUID device = fixtures.device(account);
        Instant at = fixtures.now().minus(Duration.ofMinutes(1));
        String streamed = id();
        String posted = id();

        usage.applyValid(List.of(input(streamed, device, 10, at)), List.of(RecordSource.kafka("t", 0, 9)));
        Response replay = fixtures.post(UsageFixtures.record(streamed, device, "GUANGZHOU", 10, at),
                UsageFixtures.record(posted, device, "GUANGZHOU", 30, at));
        UsageBatchResult again = usage
            .applyValid(List.of(input(posted, device, 30, at)), List.of(RecordSource.kafka("t", 0, 10)))
            .applied();

        assertThat(replay.status()).as("%s", replay).isEqualTo(200);
        assertThat(replay.body().at("/results/0/duplicate").asBoolean()).isTrue();
        assertThat(replay.body().at("/results/1/duplicate").asBoolean()).isFalse();
        assertThat(again.duplicates()).isEqualTo(1);
        assertThat(again.results().get(0).paygBytes()).isEqualTo(30);
        assertThat(source(streamed)).isEqualTo("kafka:t/0@9");
        assertThat(source(posted)).isEqualTo("http:" + replay.header("X-Request-Id").orElseThrow());
    }

    @Test
    void nothingPassingAppliesNothingAndEachRecordNeedsItsSource() {
        UsageRecordInput unknown = input(id(), UUID.randomUUID(), 10, Instant.parse("2026-01-01T00:00:00Z"));

        Screened<UsageBatchResult> result = usage.applyValid(List.of(unknown), List.of(RecordSource.kafka("t", 0, 1)));

        assertThat(result.applied()).isEqualTo(new UsageBatchResult(0, 0, List.of()));
        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
            assertThat(problem.path("records")).isEqualTo("records[0].deviceId");
        });
        assertThatThrownBy(() -> usage.applyValid(List.of(unknown), List.of()))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(source(unknown.id())).isNull();
    }

}
