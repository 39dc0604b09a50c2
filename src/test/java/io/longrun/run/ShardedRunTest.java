package io.longrun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.longrun.deliver.Outcomes;
import io.longrun.pace.Clock;
import io.longrun.pace.DueTimes;
import io.longrun.shard.Shard;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

class ShardedRunTest {
    private static final long MS = 1_000_000L;
    private static final Instant EPOCH = Instant.parse("2026-11-30T12:00:00Z");

    /** A clock whose waits wake {@code overshoot} late, as a loaded machine's do. */
    private static final class LateWaker implements Clock {
        long now;
        final long overshoot;

        LateWaker(long overshoot) {
            this.overshoot = overshoot;
        }

        public long nanoTime() {
            return now;
        }

        public Instant now() {
            return EPOCH.plusNanos(now);
        }

        public void parkUntil(long deadline) {
            if (deadline > now) now = deadline + overshoot;
        }

        public boolean tryAcquire(Semaphore permits, long deadline) {
            return permits.tryAcquire();
        }
    }

    /** 1,000 events a second from time zero. */
    private static DueTimes perMillisecond() {
        return new DueTimes() {
            long i;

            public long nextIndex() {
                return i;
            }

            public double nextDue() {
                return i++ / 1000.0;
            }
        };
    }

    @Test
    void aShardUpBeforeStartAtMissesNothingThoughItsWaitWakesLate() throws Exception {
        LateWaker clock = new LateWaker(7 * MS); // 7 events' worth
        ShardedRun run = new ShardedRun(Shard.ALL, Optional.of(EPOCH.plusSeconds(30)));
        run.wrap(perMillisecond());
        long zero = run.begin(clock, new Outcomes(List.of("a")));
        assertEquals(30_000 * MS, zero, "time zero is --start-at itself, not the moment the wait woke");
        assertEquals(0, run.missed());
        assertEquals(0, run.from());
    }

    @Test
    void aShardUpAfterStartAtCountsWhatFellDueAsMissed() throws Exception {
        LateWaker clock = new LateWaker(0);
        clock.now = 2_500 * MS; // up 2.5 s after --start-at
        ShardedRun run = new ShardedRun(Shard.ALL, Optional.of(EPOCH));
        run.wrap(perMillisecond());
        long zero = run.begin(clock, new Outcomes(List.of("a")));
        assertEquals(0, zero);
        assertEquals(2_500 * MS, run.from());
        assertEquals(2_500, run.missed(), "the events due at 0 .. 2.499 s");
    }
}
