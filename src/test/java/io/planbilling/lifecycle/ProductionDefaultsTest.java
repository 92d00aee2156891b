package io.planbilling.lifecycle;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.TestApi;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The service as deployed: no test clock, and the lifecycle job scheduled under its database lock. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "billing.security.operator-api-key=" + TestApi.OPERATOR_KEY,
        "billing.lifecycle.interval=PT0.2S" })
@Import(TestApi.class)
class ProductionDefaultsTest {

    @Autowired
    TestApi api;

    @Autowired
    JdbcClient jdbc;

    @Test
    void theTestClockDoesNotExist() {
        assertProblem(api.get("/api/v1/admin/clock", api.operator()), 404, "NOT_FOUND");
        assertProblem(api.post("/api/v1/admin/clock", api.operator(), Map.of("advance", "P1D")), 404, "NOT_FOUND");
    }

    @Test
    void theLifecycleJobRunsOnScheduleUnderTheDatabaseLock() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        boolean locked = false;
        while (!locked && System.nanoTime() < deadline) {
            locked = jdbc.sql("SELECT count(*) FROM shedlock WHERE name = :name AND locked_at > now() - interval '1 minute'")
                    .param("name", LifecycleRunner.LOCK).query(Long.class).single() > 0;
            Thread.sleep(100);
        }

        assertThat(locked).as("a scheduled run took the shedlock lock").isTrue();
    }
}
