package io.planbilling.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Races: runs tasks on real threads, one each, released at the same moment once all are
 * ready, and collects their results in task order. The one race helper of every test that
 * proves a rule under concurrent requests.
 */
public final class Race {

    private Race() {
    }

    public static <T> List<T> run(List<Callable<T>> tasks) {
        ExecutorService executor = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch ready = new CountDownLatch(tasks.size());
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(executor.submit(() -> {
                    ready.countDown();
                    go.await();
                    return task.call();
                }));
            }
            ready.await(30, TimeUnit.SECONDS);
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(180, TimeUnit.SECONDS));
            }
            return results;
        }
        catch (Exception ex) {
            throw new IllegalStateException("race failed", ex);
        }
        finally {
            executor.shutdownNow();
        }
    }

    public static <T> List<T> times(int count, Callable<T> task) {
        List<Callable<T>> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tasks.add(task);
        }
        return run(tasks);
    }

}
