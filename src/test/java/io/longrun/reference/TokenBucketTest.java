package io.longrun.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.pace.FakeClock;
import org.junit.jupiter.api.Test;

/** rate_limit's bucket on a fake clock: a second's worth of tokens at most, refilled at the rate, never beyond. */
class TokenBucketTest {
    static final long MS = 1_000_000L;
    final FakeClock clock = new FakeClock();

    int take(TokenBucket b, int tries) {
        int taken = 0;
        for (int i = 0; i < tries; i++) if (b.tryTake()) taken++;
        return taken;
    }

    @Test
    void aFullBucketThenTheRateAndNeverMoreThanOneSecondsWorth() {
        TokenBucket b = new TokenBucket(5, clock);
        assertThat(take(b, 20)).as("at once: the full bucket, a second's worth").isEqualTo(5);
        clock.advance(100 * MS);
        assertThat(take(b, 20)).as("100 ms later: half a token, none whole").isZero();
        clock.advance(100 * MS);
        assertThat(take(b, 20)).as("200 ms later: one token").isEqualTo(1);
        clock.advance(60_000 * MS);
        assertThat(take(b, 20)).as("after a quiet minute: still one second's worth, not 300").isEqualTo(5);
    }

    @Test
    void aSteadyOverloadGetsTheRateExactly() {
        TokenBucket b = new TokenBucket(5, clock);
        // 50 tries a second against 5 a second, the last try 9.98 s after the first: the bucket's 5, then 5 a
        // second: floor(5 + 5 x 9.98) = 54
        int taken = 0;
        for (int i = 0; i < 500; i++) {
            if (b.tryTake()) taken++;
            clock.advance(20 * MS);
        }
        assertThat(taken).isEqualTo(54);
    }

    @Test
    void rateZeroIsNoLimit() {
        assertThat(take(new TokenBucket(0, clock), 1000)).isEqualTo(1000);
    }
}
