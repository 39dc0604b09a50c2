package io.longrun.fault;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The emulated loss's model as a pure function: the waits it draws, against the formulas the README gives. */
class LossModelTest {
    static final long RTO = LossStage.RTO_MIN_NANOS;

    @Test
    void theMeanWaitPerSegmentIs200msTimesPOver1Minus2P() {
        // E[wait] = sum over k of p^(k+1) * 200 ms * 2^k = 200 ms * p / (1 - 2p), for p < 1/2 (the 120 s cap and the
        // 15 retries are too far out to matter at these p)
        for (double p : new double[] {0.02, 0.05, 0.10, 0.20}) {
            int n = 200_000;
            double sum = 0;
            int stalled = 0;
            for (int i = 0; i < n; i++) {
                long w = LossStage.stall(42, 7, i, p, RTO);
                sum += w;
                if (w > 0) stalled++;
            }
            double expectedMs = 200 * p / (1 - 2 * p);
            assertThat(sum / n / 1e6).as("mean wait at p=%s", p).isCloseTo(expectedMs, org.assertj.core.data.Percentage.withPercentage(5));
            assertThat((double) stalled / n).as("share stalled at p=%s", p).isCloseTo(p, org.assertj.core.data.Percentage.withPercentage(3));
        }
    }

    @Test
    void aLossInARowDoublesTheTimeoutAndSixteenInARowTimeTheConnectionOut() {
        // below the 120 s cap, every wait is a sum of 200 ms * 2^k: 0, 200, 600, 1400 ms, ...
        int doubled = 0;
        for (int i = 0; i < 10_000; i++) {
            long w = LossStage.stall(1, 2, i, 0.5, RTO) / 1_000_000;
            if (w >= 204_600) continue;
            assertThat(w + 200).as("wait %d ms + 200 is a power of two times 200", w).matches(x -> x % 200 == 0 && Long.bitCount(x / 200) == 1);
            if (w >= 600) doubled++;
        }
        assertThat(doubled).as("segments lost twice or more in a row, about a quarter at p = 0.5").isBetween(2000, 3000);
        // always lost: 200 ms * (2^10 - 1) before the 120 s cap, then 6 * 120 s: 924.6 s, and the connection times out
        assertThat(LossStage.stall(1, 2, 3, 1.0, RTO)).isEqualTo(-924_600_000_000L);
        assertThat(LossStage.stall(1, 2, 3, 0.0, RTO)).isZero();
    }

    @Test
    void aSegmentsWaitDependsOnlyOnTheSeedTheStreamAndItsNumber() {
        long a = LossStage.stall(9, 5, 1234, 0.3, RTO);
        for (int i = 0; i < 1000; i++) LossStage.stall(9, 5, i, 0.3, RTO); // other draws in between change nothing
        assertThat(LossStage.stall(9, 5, 1234, 0.3, RTO)).isEqualTo(a);
        int differ = 0;
        for (int i = 0; i < 1000; i++) if (LossStage.stall(9, 5, i, 0.3, RTO) != LossStage.stall(10, 5, i, 0.3, RTO)) differ++;
        assertThat(differ).as("another seed, other waits").isGreaterThan(100);
    }
}
