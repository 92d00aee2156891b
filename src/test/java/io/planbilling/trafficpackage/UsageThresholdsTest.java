package io.planbilling.trafficpackage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The whole-number arithmetic of usage thresholds, without Spring or a database
 * (docs/alerts.md).
 */
class UsageThresholdsTest {

    private static final long GB = TrafficPackageType.GB;

    @Test
    void aThresholdIsReachedAtTheCeilingOfItsShareOfTheCapacity() {
        // 33 % of 20 GiB is 7 086 696 038.4 bytes: reached at 7 086 696 039, not a byte
        // earlier
        assertThat(UsageThresholds.bytesFor(33, 20 * GB)).isEqualTo(7_086_696_039L);
        assertThat(UsageThresholds.reached(33, 7_086_696_038L, 20 * GB)).isFalse();
        assertThat(UsageThresholds.reached(33, 7_086_696_039L, 20 * GB)).isTrue();
        // an exact share needs no rounding
        assertThat(UsageThresholds.bytesFor(80, 20 * GB)).isEqualTo(16 * GB);
        assertThat(UsageThresholds.bytesFor(100, 500 * GB)).isEqualTo(500 * GB);
        // a tiny capacity: 1 % of 7 bytes is 0.07, so the first byte reaches it
        assertThat(UsageThresholds.bytesFor(1, 7)).isEqualTo(1);
    }

    @Test
    void thePercentageReachedIsTheFloorOfTheShareUsed() {
        assertThat(UsageThresholds.percentReached(0, 20 * GB)).isZero();
        assertThat(UsageThresholds.percentReached(16 * GB - 1, 20 * GB)).isEqualTo(79);
        assertThat(UsageThresholds.percentReached(16 * GB, 20 * GB)).isEqualTo(80);
        assertThat(UsageThresholds.percentReached(20 * GB, 20 * GB)).isEqualTo(100);
        assertThat(UsageThresholds.percentReached(500 * GB - 1, 500 * GB)).isEqualTo(99);
    }

    /**
     * What lets ingestion compare whole percentages: t is reached exactly when t ≤ the
     * percentage reached.
     */
    @Test
    void aThresholdIsReachedExactlyWhenItIsAtMostThePercentageReached() {
        for (long capacity : new long[] { 1, 3, 7, 99, 100, 101, 997, 20 * GB, 50 * GB, 500 * GB }) {
            for (int threshold = 1; threshold <= 100; threshold++) {
                long at = UsageThresholds.bytesFor(threshold, capacity);
                for (long used : new long[] { 0, at - 1, at, at + 1, capacity }) {
                    if (used < 0 || used > capacity) {
                        continue;
                    }
                    assertThat(UsageThresholds.reached(threshold, used, capacity))
                        .as("%d %% of %d at %d bytes", threshold, capacity, used)
                        .isEqualTo(threshold <= UsageThresholds.percentReached(used, capacity));
                }
            }
        }
    }

    @Test
    void refusesWhatIsNotAThresholdOrAUsage() {
        assertThatThrownBy(() -> UsageThresholds.bytesFor(0, 20 * GB)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UsageThresholds.bytesFor(101, 20 * GB)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UsageThresholds.percentReached(21 * GB, 20 * GB))
            .isInstanceOf(IllegalArgumentException.class);
    }

}
