package io.planbilling.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planbilling.testing.Race;
import io.planbilling.testing.PostgresJdbcTest;
import io.planbilling.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The loop over claimed chunks on the real PostgreSQL: every row once, in chunks each
 * committed on its own; a failing chunk rolls back alone and is reported; two runners at
 * once take disjoint chunks. On a database of its own: the test creates its own table.
 */
@PostgresJdbcTest
class SkipLockedChunksTest {

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry properties) {
        TestDatabase.useOwn(properties, "slice_skip_locked");
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    private SkipLockedChunks chunks;

    @BeforeEach
    void rows() {
        chunks = new SkipLockedChunks(transactionManager, 100);
        jdbc.sql("""
                CREATE TABLE IF NOT EXISTS chunk_rows (
                    id int PRIMARY KEY, due boolean NOT NULL, times int NOT NULL DEFAULT 0,
                    CONSTRAINT chunk_rows_at_most_once CHECK (times <= 1))
                """).update();
        jdbc.sql("TRUNCATE chunk_rows").update();
        jdbc.sql("INSERT INTO chunk_rows (id, due) SELECT g, true FROM generate_series(1, 1000) AS g").update();
    }

    @Test
    void processesEveryDueRowOnceInChunksAndAddsUpTheCounters() {
        Map<String, Long> counts = chunks.run(64, this::claim, this::process, "done", "unused");

        assertThat(counts).containsEntry("done", 1000L).containsEntry("unused", 0L);
        assertThat(jdbc.sql("SELECT count(*) FROM chunk_rows WHERE due OR times <> 1").query(Long.class).single())
            .isZero();
    }

    @Test
    void aFailingChunkRollsBackAloneIsReportedAndIsRetriedByTheNextRun() {
        // row 500 cannot be processed: its chunk violates the constraint
        jdbc.sql("UPDATE chunk_rows SET times = 1 WHERE id = 500").update();

        assertThatThrownBy(() -> chunks.run(100, this::claim, this::process, "done"))
            .isInstanceOfSatisfying(LifecycleStep.Incomplete.class, incomplete -> {
                assertThat(incomplete.counts()).containsEntry("done", 900L);
                assertThat(incomplete.getMessage()).startsWith("1 of 10 chunks failed");
                assertThat(incomplete.getCause()).isInstanceOf(DataIntegrityViolationException.class);
            });
        assertThat(jdbc.sql("SELECT id FROM chunk_rows WHERE due ORDER BY id").query(Integer.class).list()).hasSize(100)
            .startsWith(401)
            .endsWith(500);

        jdbc.sql("UPDATE chunk_rows SET times = 0 WHERE id = 500").update();
        assertThat(chunks.run(100, this::claim, this::process, "done")).containsEntry("done", 100L);
        assertThat(jdbc.sql("SELECT count(*) FROM chunk_rows WHERE due").query(Long.class).single()).isZero();
    }

    @Test
    void twoRunnersAtOnceTakeDisjointChunks() {
        Callable<Map<String, Long>> runner = () -> chunks.run(50, this::claim, this::slowProcess, "done");

        List<Map<String, Long>> counts = Race.run(List.of(runner, runner));

        assertThat(counts.get(0).get("done") + counts.get(1).get("done")).isEqualTo(1000);
        assertThat(counts).allSatisfy(count -> assertThat(count.get("done")).isPositive());
        assertThat(jdbc.sql("SELECT count(*) FROM chunk_rows WHERE due OR times <> 1").query(Long.class).single())
            .isZero();
    }

    private List<Integer> claim(int limit, @Nullable Integer after) {
        return jdbc.sql("""
                SELECT id FROM chunk_rows WHERE due AND id > :after ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED
                """).param("after", after == null ? 0 : after).param("limit", limit).query(Integer.class).list();
    }

    private Map<String, Long> process(List<Integer> ids) {
        long done = jdbc.sql("UPDATE chunk_rows SET due = false, times = times + 1 WHERE id = ANY(:ids)")
            .param("ids", ids.toArray(Integer[]::new))
            .update();
        return Map.of("done", done);
    }

    /** Holds its chunk's locks a moment, so the other runner has to skip them. */
    private Map<String, Long> slowProcess(List<Integer> ids) {
        jdbc.sql("SELECT pg_sleep(0.02)").query(Object.class).list();
        return process(ids);
    }

}
