package io.planbilling.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.LifecycleStep;
import io.planbilling.shared.LifecycleStep.Concurrency;
import io.planbilling.shared.ProblemException;
import io.planbilling.testing.PostgresJdbcTest;
import io.planbilling.testing.Race;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The runner's split of a run (docs/operations.md, the lifecycle job) with the real
 * ShedLock lock in PostgreSQL and three steps of its own, in order: {@code first}
 * (shared), {@code alone} (exclusive), {@code last} (shared). Two calls of the runner at
 * once stand for two instances: the lock is the database's, whoever asks for it. The
 * steps block on latches and barriers, never on time: a barrier of two in a shared step
 * is passed only when both runs are in it at once. A manual run waits up to 5 s for the
 * exclusive step: room for the other run's turn on a loaded machine.
 */
@PostgresJdbcTest
@Import({ SchedulingConfiguration.class, LifecycleRunner.class, LifecycleRunnerTest.Steps.class })
@TestPropertySource(properties = { "billing.lifecycle.interval=P1D", "billing.lifecycle.manual-wait=PT5S" })
class LifecycleRunnerTest {

    @Autowired
    LifecycleRunner runner;

    @Autowired
    Steps steps;

    /** Three steps that count their runs and call {@link #hook} first. */
    @TestConfiguration(proxyBeanMethods = false)
    @EnableConfigurationProperties(LifecycleSettings.class)
    static class Steps {

        volatile Consumer<String> hook = name -> {
        };

        final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

        @Bean
        LifecycleStep firstStep() {
            return step("first", 1, Concurrency.SHARED);
        }

        @Bean
        LifecycleStep aloneStep() {
            return step("alone", 2, Concurrency.EXCLUSIVE);
        }

        @Bean
        LifecycleStep lastStep() {
            return step("last", 3, Concurrency.SHARED);
        }

        private LifecycleStep step(String name, int order, Concurrency concurrency) {
            return LifecycleStep.of(name, order, concurrency, now -> {
                hook.accept(name);
                runs.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
                return Map.of("runs", 1L);
            });
        }

        int runs(String name) {
            AtomicInteger count = runs.get(name);
            return count == null ? 0 : count.get();
        }

    }

    @AfterEach
    void reset() {
        steps.hook = name -> {
        };
        steps.runs.clear();
    }

    @Test
    void twoInstancesRunTheSharedStepsAtOnceAndTheExclusiveOneInTurn() {
        // each barrier opens only when both runs are in the step at once: a run holding
        // the lock over its shared steps would leave the other waiting for it, and both
        // steps would fail when the barrier breaks
        Map<String, CyclicBarrier> together = Map.of("first", new CyclicBarrier(2), "last", new CyclicBarrier(2));
        steps.hook = name -> {
            CyclicBarrier barrier = together.get(name);
            if (barrier != null) {
                await(barrier);
            }
        };

        List<LifecycleReport> reports = Race.run(List.<Callable<LifecycleReport>>of(runner::runNow, runner::runNow));

        for (LifecycleReport report : reports) {
            assertThat(report.steps()).extracting(LifecycleReport.StepReport::name)
                .containsExactly("first", "alone", "last");
            assertThat(report.steps()).allSatisfy(step -> assertThat(step.succeeded()).as("%s", step).isTrue());
        }
        assertThat(steps.runs("alone")).isEqualTo(2);
    }

    @Test
    void whileOneInstanceRunsTheExclusiveStepAManualRunElsewhereIsBusyAndAScheduledOneSkipsIt() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger alone = new AtomicInteger();
        steps.hook = name -> {
            if (name.equals("alone") && alone.incrementAndGet() == 1) {
                entered.countDown();
                await(release);
            }
        };
        CompletableFuture<LifecycleReport> holding = CompletableFuture.supplyAsync(runner::runNow);
        await(entered);

        try {
            // a manual run elsewhere runs the shared step before it, waits for the lock
            // and gives up
            assertThatExceptionOfType(ProblemException.class).isThrownBy(runner::runNow)
                .satisfies(busy -> assertThat(busy.code()).isEqualTo(ErrorCode.LIFECYCLE_BUSY))
                .withMessageContaining("(alone)");
            assertThat(steps.runs("first")).isEqualTo(2);
            assertThat(steps.runs("last")).isZero();

            // a scheduled run elsewhere runs both shared steps and leaves the exclusive
            // one to the instance holding the lock
            runner.scheduledRun();
            assertThat(steps.runs("first")).isEqualTo(3);
            assertThat(steps.runs("last")).isEqualTo(1);
            assertThat(alone.get()).isEqualTo(1);
        }
        finally {
            release.countDown();
        }

        LifecycleReport report = holding.get(30, TimeUnit.SECONDS);
        assertThat(report.steps()).extracting(LifecycleReport.StepReport::name)
            .containsExactly("first", "alone", "last");
        assertThat(steps.runs("alone")).isEqualTo(1);
        // the lock is free again
        assertThat(runner.runNow().steps()).extracting(LifecycleReport.StepReport::name)
            .containsExactly("first", "alone", "last");
        assertThat(steps.runs("alone")).isEqualTo(2);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            throw new IllegalStateException("the other run never joined: " + ex, ex);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

}
