package io.planbilling.platform.web;

import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The cause chain of a failure, walked one way wherever the web layer looks into one (the
 * framework wraps what went wrong in exceptions of its own): outermost first, at most 32
 * deep, ending at a cause that is its own cause.
 */
final class Causes {

    private static final int MAX_DEPTH = 32;

    private Causes() {
    }

    /** Whether {@code failure} or one of its causes passes {@code test}. */
    static boolean anyMatch(Throwable failure, Predicate<Throwable> test) {
        return find(failure, Throwable.class, test) != null;
    }

    /** The outermost of {@code failure} and its causes that is a {@code type}, if any. */
    static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
        return find(failure, type, cause -> true);
    }

    private static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type, Predicate<Throwable> test) {
        Throwable cause = failure;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            if (type.isInstance(cause) && test.test(cause)) {
                return type.cast(cause);
            }
            Throwable next = cause.getCause();
            if (next == null || next == cause) {
                return null;
            }
            cause = next;
        }
        return null;
    }

}
