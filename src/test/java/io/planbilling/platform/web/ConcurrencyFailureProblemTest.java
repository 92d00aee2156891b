package io.planbilling.platform.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A deadlock or a serialization failure cannot be provoked deterministically over HTTP,
 * so the mapping is proven on the advice itself: what the database reports as a
 * concurrency failure reaches the caller as a retryable 409.
 */
class ConcurrencyFailureProblemTest {

    @RestController
    static class RacingController {

        @PostMapping("/deadlock")
        void deadlock() {
            throw new PessimisticLockingFailureException("deadlock detected");
        }

        @PostMapping("/lock-timeout")
        void lockTimeout() {
            throw new CannotAcquireLockException("canceling statement due to lock timeout");
        }

    }

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new RacingController())
        .setControllerAdvice(new ProblemHandling())
        .build();

    @Test
    void concurrencyFailuresAreRetryableConflictsWithoutInternals() throws Exception {
        for (String path : new String[] { "/deadlock", "/lock-timeout" }) {
            mvc.perform(post(path))
                .andExpect(status().isConflict())
                .andExpect(header().string("Retry-After", "1"))
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(jsonPath("$.code").value("CONCURRENT_UPDATE"))
                .andExpect(jsonPath("$.detail")
                    .value(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("deadlock"))));
        }
    }

}
