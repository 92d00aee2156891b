package io.planbilling.trafficpackage;

import static io.planbilling.trafficpackage.UsageFixtures.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.ProblemException;
import io.planbilling.shared.RecordProblem;
import io.planbilling.shared.RecordSource;
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
 * The ingestion seam other callers (a Kafka listener) use: {@code check} names every
 * problem and writes nothing, {@code apply} joins the caller's transaction, each row
 * keeps its own source, and a record id counts once whichever way it came
 * (docs/traffic-packages.md, usage ingestion).
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
    void checkNamesEveryProblemOfEveryRecordAndWritesNothing() {
        TestAccount account = api.createAccount("seam check");
        UUID device = fixtures.device(account);
        Instant at = fixtures.now().minus(Duration.ofMinutes(1));
        UUID unknown = UUID.randomUUID();
        List<@Nullable UsageRecordInput> batch = new ArrayList<>();
        batch.add(input(id(), device, 10, at));
        batch.add(input(id(), unknown, 10, at));
        batch.add(new UsageRecordInput("", device.toString(), "MARS", 0, at.toString()));
        batch.add(null);

        List<RecordProblem> problems = usage.check(batch);

        assertThat(problems).extracting(RecordProblem::index, RecordProblem::field)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "deviceId"),
                    org.assertj.core.groups.Tuple.tuple(2, "id"), org.assertj.core.groups.Tuple.tuple(2, "region"),
                    org.assertj.core.groups.Tuple.tuple(2, "bytes"), org.assertj.core.groups.Tuple.tuple(3, ""));
        assertThat(problems).allSatisfy(problem -> assertThat(problem.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
        assertThat(problems.get(0).message()).isEqualTo("unknown device " + unknown);
        assertThat(source(batch.get(0).id())).isNull();
    }

    @Test
    void applyJoinsTheCallersTransactionAndEachRowKeepsItsOwnSource() {
        TestAccount account = api.createAccount("seam apply");
        UUID device = fixtures.device(account);
        Instant at = fixtures.now().minus(Duration.ofMinutes(1));
        String rolledBack = id();
        String first = id();
        String second = id();

        transaction.executeWithoutResult(status -> {
            usage.apply(List.of(input(rolledBack, device, 10, at)),
                    List.of(RecordSource.kafka("plan-billing.traffic-usage", 0, 1)));
            status.setRollbackOnly();
        });
        UsageBatchResult applied = transaction
            .execute(status -> usage.apply(List.of(input(first, device, 10, at), input(second, device, 20, at)),
                    List.of(RecordSource.kafka("plan-billing.traffic-usage", 2, 41),
                            RecordSource.kafka("plan-billing.traffic-usage", 5, 7))));

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

        usage.apply(List.of(input(streamed, device, 10, at)), List.of(RecordSource.kafka("t", 0, 9)));
        Response replay = fixtures.post(UsageFixtures.record(streamed, device, "GUANGZHOU", 10, at),
                UsageFixtures.record(posted, device, "GUANGZHOU", 30, at));
        UsageBatchResult again = usage.apply(List.of(input(posted, device, 30, at)),
                List.of(RecordSource.kafka("t", 0, 10)));

        assertThat(replay.status()).as("%s", replay).isEqualTo(200);
        assertThat(replay.body().at("/results/0/duplicate").asBoolean()).isTrue();
        assertThat(replay.body().at("/results/1/duplicate").asBoolean()).isFalse();
        assertThat(again.duplicates()).isEqualTo(1);
        assertThat(again.results().get(0).paygBytes()).isEqualTo(30);
        assertThat(source(streamed)).isEqualTo("kafka:t/0@9");
        assertThat(source(posted)).isEqualTo("http:" + replay.header("X-Request-Id").orElseThrow());
    }

    @Test
    void applyRefusesRecordsThatDoNotPassAndNeedsOneSourcePerRecord() {
        UsageRecordInput unknown = input(id(), UUID.randomUUID(), 10, Instant.parse("2026-01-01T00:00:00Z"));

        assertThatThrownBy(() -> usage.apply(List.of(unknown), List.of(RecordSource.kafka("t", 0, 1))))
            .isInstanceOfSatisfying(ProblemException.class, refused -> {
                assertThat(refused.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
                assertThat(refused.violations()).singleElement()
                    .satisfies(violation -> assertThat(violation.field()).isEqualTo("records[0].deviceId"));
            });
        assertThatThrownBy(() -> usage.apply(List.of(unknown), List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(source(unknown.id())).isNull();
    }

}
