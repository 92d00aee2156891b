package io.planbilling.lifecycle;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.shared.LifecycleStep;
import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

@ApiTest
@Import(OperatorToolsApiTest.RecordingStep.class)
class OperatorToolsApiTest {

    @Autowired
    TestApi api;

    @Autowired
    Clock clock;

    @Autowired
    RecordingStep recording;

    @Autowired
    JdbcClient jdbc;

    /**
     * A step registered the way a module registers one, recording the time it was run at.
     */
    @TestConfiguration
    static class RecordingStep {

        final AtomicReference<Instant> lastRun = new AtomicReference<>();

        @Bean
        LifecycleStep recordingStep() {
            return LifecycleStep.of("recording", 0, LifecycleStep.Concurrency.SHARED, now -> {
                lastRun.set(now);
                return Map.of("runs", 1L);
            });
        }

    }

    @Test
    void theAdjustableTestClockIsDocumented() {
        Response document = api.get("/v3/api-docs", null);

        assertThat(document.body().at("/paths/~1api~1v1~1admin~1clock/get").isMissingNode()).isFalse();
        assertThat(document.body().at("/paths/~1api~1v1~1admin~1clock/post").isMissingNode()).isFalse();
    }

    @Test
    void readsTheTestClock() {
        Response clockView = api.get("/api/v1/admin/clock", api.operator());

        assertThat(clockView.status()).isEqualTo(200);
        assertThat(clockView.body().get("adjustable").asBoolean()).isTrue();
        Instant shown = Instant.parse(clockView.text("/now"));
        assertThat(Duration.between(shown, clock.instant()).abs()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void advancesTheClockForEveryReaderOfTheDatabase() {
        Instant realBefore = Instant.now();
        Instant before = clock.instant();

        Response moved = api.post("/api/v1/admin/clock", api.operator(), Map.of("advance", "P3D"));

        Instant after = clock.instant();
        Duration elapsed = Duration.between(realBefore, Instant.now());
        assertThat(moved.status()).isEqualTo(200);
        Instant now = Instant.parse(moved.text("/now"));
        // three days plus at most the real time the exchange took, however long that
        // was; and this test's reading of the same clock (another reader of the
        // database) is already past the service's
        assertThat(Duration.between(before, now)).isBetween(Duration.ofDays(3), Duration.ofDays(3).plus(elapsed));
        assertThat(now).isBeforeOrEqualTo(after);
    }

    @Test
    void concurrentAdvancesAddUp() throws Exception {
        Instant before = clock.instant();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.List<java.util.concurrent.Callable<Response>> advances = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            advances.add(() -> api.post("/api/v1/admin/clock", api.operator(), Map.of("advance", "PT1H")));
        }

        for (java.util.concurrent.Future<Response> advanced : pool.invokeAll(advances)) {
            assertThat(advanced.get().status()).isEqualTo(200);
        }
        pool.shutdown();

        assertThat(Duration.between(before, clock.instant())).isBetween(Duration.ofHours(4),
                Duration.ofHours(4).plusSeconds(10));
    }

    @Test
    void advancesByCalendarMonthsInTheBillingZone() {
        Instant before = clock.instant();

        Response moved = api.post("/api/v1/admin/clock", api.operator(), Map.of("advance", "P1M"));

        assertThat(moved.status()).isEqualTo(200);
        assertThat(Duration.between(before, Instant.parse(moved.text("/now")))).isBetween(Duration.ofDays(28),
                Duration.ofDays(31).plusSeconds(10));
    }

    @Test
    void setsTheClockForwardButNeverBackwards() {
        Instant target = clock.instant().plus(Duration.ofHours(2));

        Response set = api.post("/api/v1/admin/clock", api.operator(), Map.of("set", target.toString()));

        assertThat(Duration.between(target, Instant.parse(set.text("/now"))).abs()).isLessThan(Duration.ofSeconds(5));
        assertProblem(api.post("/api/v1/admin/clock", api.operator(),
                Map.of("set", target.minus(Duration.ofDays(1)).toString())), 422, "CLOCK_CANNOT_GO_BACKWARDS");
    }

    /**
     * An advance that is not an ISO-8601 duration or period; the shape of a clock change
     * (exactly one of advance or set, an instant) is proven by the web slice
     * ({@code OperatorToolsWebTest}).
     */
    @Test
    void rejectsAnAdvanceThatIsNotADuration() {
        assertProblem(api.post("/api/v1/admin/clock", api.operator(), Map.of("advance", "tomorrow")), 400,
                "VALIDATION_FAILED");
    }

    @Test
    void runsEveryRegisteredStepAtTheServiceTimeAndReportsWhatEachDid() {
        api.post("/api/v1/admin/clock", api.operator(), Map.of("advance", "PT1H"));
        Instant serviceTime = clock.instant();

        Response run = api.post("/api/v1/admin/lifecycle/run", api.operator(), Map.of());

        assertThat(run.status()).isEqualTo(200);
        assertThat(Duration.between(serviceTime, Instant.parse(run.text("/at"))).abs())
            .isLessThan(Duration.ofSeconds(5));
        assertThat(recording.lastRun.get()).isEqualTo(Instant.parse(run.text("/at")));
        assertThat(run.body().get("steps").findValuesAsString("name")).contains("recording", "idempotency-key-purge");
        assertThat(run.body().at("/steps/0/name").asString()).isEqualTo("recording");
        assertThat(run.body().at("/steps/0/succeeded").asBoolean()).isTrue();
        assertThat(run.body().at("/steps/0/counts/runs").asLong()).isEqualTo(1);
    }

    @Test
    void aRunWaitsForAnotherInstancesRunAndThenGivesUp() {
        // another instance holds the lifecycle lock for the next minute
        jdbc.sql("""
                INSERT INTO shedlock (name, lock_until, locked_at, locked_by)
                VALUES (:name, now() + interval '1 minute', now(), 'another-instance')
                ON CONFLICT (name) DO UPDATE SET lock_until = EXCLUDED.lock_until, locked_by = EXCLUDED.locked_by""")
            .param("name", LifecycleRunner.LOCK)
            .update();
        try {
            Response busy = api.post("/api/v1/admin/lifecycle/run", api.operator(), Map.of());

            assertProblem(busy, 409, "LIFECYCLE_BUSY");
        }
        finally {
            jdbc.sql("UPDATE shedlock SET lock_until = now() WHERE name = :name")
                .param("name", LifecycleRunner.LOCK)
                .update();
        }
        assertThat(api.post("/api/v1/admin/lifecycle/run", api.operator(), Map.of()).status()).isEqualTo(200);
    }

}
