package io.planbilling.bandwidthplan;

import static io.planbilling.bandwidthplan.BandwidthFixtures.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import io.planbilling.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.config.ScheduledTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.scheduling.config.TaskExecutionOutcome;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The lifecycle run's own association step, with nobody else to apply the plan: the
 * association worker of this context runs once at start-up and then not for a day, and
 * the context has a database of its own, so the 1-second workers of the other live test
 * contexts cannot reach the plan either.
 */
@ApiTest
@TestPropertySource(properties = "billing.bandwidth.association-interval=P1D")
class BandwidthAssociationStepApiTest {

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry properties) {
        TestDatabase.useOwn(properties, "bandwidth_association_step");
    }

    @Autowired
    TestApi api;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    List<ScheduledTaskHolder> schedules;

    @Test
    void theLifecycleRunAppliesAChangingAssociationItself() {
        awaitTheWorkersStartUpRun();
        BandwidthFixtures fixtures = new BandwidthFixtures(api);
        TestAccount account = api.createAccount("lifecycle association", "1000.00");
        UUID network = fixtures.network(account);
        UUID plan = fixtures.buy(account, subscription("WEEK", 1, 10));
        assertThat(fixtures.associate(account, plan, network).status()).isEqualTo(202);

        Response run = fixtures.runLifecycle();

        assertThat(run.step("bandwidth-plan-associations").at("/counts/applied").asLong()).as("%s", run).isEqualTo(1);
        Response applied = fixtures.plan(account, plan);
        assertThat(applied.text("/status")).as("%s", applied).isEqualTo("IN_USE");
        assertThat(api.get("/api/v1/office-networks/" + network, account.apiKey()).text("/bandwidthMode"))
            .isEqualTo("PREMIUM");
        assertThat(jdbc
            .sql("SELECT request_id FROM audit_log WHERE table_name = 'bandwidth_plan_associations'"
                    + " AND resource_id = :plan AND operation = 'INSERT'")
            .param("plan", plan.toString())
            .query(String.class)
            .single()).as("written by the lifecycle run's request").isEqualTo(run.header("X-Request-Id").orElseThrow());
    }

    /**
     * The worker's one run at start-up (on an empty database) has finished; its next is a
     * day away.
     */
    private void awaitTheWorkersStartUpRun() {
        ScheduledTask worker = schedules.stream()
            .flatMap(holder -> holder.getScheduledTasks().stream())
            .filter(task -> task.toString().endsWith("BandwidthLifecycleSteps.associationWorker"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no association worker scheduled"));
        await().atMost(Duration.ofSeconds(20))
            .until(() -> worker.getTask().getLastExecutionOutcome().status(),
                    status -> status == TaskExecutionOutcome.Status.SUCCESS);
    }

}
