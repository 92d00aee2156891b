package io.planbilling.trafficpackage;

/**
 * The arithmetic of traffic usage thresholds (docs/alerts.md), in whole numbers only: a
 * threshold of {@code t} percent is reached when
 * {@code usedBytes ≥ ⌈t × capacityBytes ÷ 100⌉}. Because {@code usedBytes} is a whole
 * number, that holds exactly when {@code t ≤ ⌊100 × usedBytes ÷ capacityBytes⌋}, the
 * percentage reached; so a change of usage from {@code before} to {@code after} reaches
 * exactly the thresholds {@code t} with
 * {@code percentReached(before) < t ≤ percentReached(after)}.
 */
final class UsageThresholds {

    private UsageThresholds() {
    }

    /**
     * The bytes at which {@code threshold} percent of {@code capacityBytes} is reached,
     * rounded up.
     */
    static long bytesFor(int threshold, long capacityBytes) {
        requireValid(threshold, capacityBytes);
        return Math.addExact(Math.multiplyExact(capacityBytes, threshold), 99L) / 100L;
    }

    /**
     * The highest whole percentage of {@code capacityBytes} that {@code usedBytes} has
     * reached (0 to 100).
     */
    static int percentReached(long usedBytes, long capacityBytes) {
        if (capacityBytes <= 0 || usedBytes < 0 || usedBytes > capacityBytes) {
            throw new IllegalArgumentException("used " + usedBytes + " of capacity " + capacityBytes);
        }
        return (int) (Math.multiplyExact(usedBytes, 100L) / capacityBytes);
    }

    /**
     * Whether {@code usedBytes} has reached {@code threshold} percent of
     * {@code capacityBytes}.
     */
    static boolean reached(int threshold, long usedBytes, long capacityBytes) {
        return usedBytes >= bytesFor(threshold, capacityBytes);
    }

    private static void requireValid(int threshold, long capacityBytes) {
        if (threshold < 1 || threshold > 100 || capacityBytes <= 0) {
            throw new IllegalArgumentException("threshold " + threshold + " of capacity " + capacityBytes);
        }
    }

}
