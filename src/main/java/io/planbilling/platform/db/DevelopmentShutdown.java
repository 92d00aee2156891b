package io.planbilling.platform.db;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In development (the embedded PostgreSQL is running) SIGTERM is a normal stop: the JVM
 * exits with 0 after the same orderly shutdown as ever (Spring's shutdown hook: drain
 * requests, stop the schedulers, close the pool, stop PostgreSQL) instead of the JVM's
 * 143, which {@code ./mvnw spring-boot:run} reports as {@code BUILD FAILURE} ("Process
 * terminated with exit code: 143"). Ctrl-C (SIGINT, exit code 130) is accepted by the run
 * goal as it is. The packaged jar never installs this, so in production SIGTERM keeps the
 * JVM's usual status.
 */
final class DevelopmentShutdown {

    private static final Logger log = LoggerFactory.getLogger(DevelopmentShutdown.class);

    private static final AtomicBoolean installed = new AtomicBoolean();

    private DevelopmentShutdown() {
    }

    static void exitNormallyOnSigterm() {
        if (!installed.compareAndSet(false, true)) {
            return;
        }
        try {
            // System.exit runs the shutdown hooks exactly as the JVM's own SIGTERM
            // handler would, with status 0
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> System.exit(0));
        }
        catch (IllegalArgumentException | UnsupportedOperationException ex) {
            log.debug("SIGTERM keeps the JVM's own handler: {}", ex.toString());
        }
    }

}
