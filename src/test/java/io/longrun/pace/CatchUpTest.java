package io.longrun.pace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CatchUpTest {
    static final long MS = 1_000_000L, TICK = 1_000 * MS;

    @Test
    void onScheduleAnEventIsReleasedAtItsDueTime() {
        CatchUp c = new CatchUp(0.10, TICK);
        assertThat(c.release(5 * MS)).isEqualTo(5 * MS);
        c.sent(5 * MS, 5 * MS, 5 * MS);
        assertThat(c.release(6 * MS)).isEqualTo(6 * MS);
    }

    @Test
    void afterAStallEventsAreSpacedAtTheirGapDividedByOnePlusTheCap() {
        CatchUp c = new CatchUp(0.10, TICK);
        c.sent(0, 0, 100 * MS); // the first event went 100 ms late: a stall
        long r = c.release(10 * MS); // the next, due 10 ms after it: 10 ms of lateness is allowed
        assertThat(r).isEqualTo(100 * MS - CatchUp.ALLOWANCE + (long) (10 * MS / 1.1));
        c.sent(10 * MS, r, r);
        // 11 events, each due 10 ms after the other, take 100 ms / 1.1 once the stall is over: 10% faster
        long at = r;
        for (int i = 2; i <= 11; i++) {
            at = c.release(i * 10 * MS);
            c.sent(i * 10 * MS, at, at);
        }
        assertThat(at - r).isBetween(Math.round(100 * MS / 1.1) - 10, Math.round(100 * MS / 1.1) + 10);
        assertThat(at - 110 * MS).as("still behind: 90 ms less 10 %% of 100 ms").isCloseTo(80 * MS, org.assertj.core.data.Offset.offset(MS));
        // the lag shrinks by 10% of the time passed, never to below zero
        assertThat(at - 110 * MS).isPositive();
    }

    @Test
    void anEventTakenEarlyToShareAWakeUpIsSpacedFromItsReleaseNotFromTheEarlierTime() {
        CatchUp c = new CatchUp(0.10, TICK);
        c.sent(0, 50 * MS, 49 * MS); // released at 50 ms, taken 1 ms early
        assertThat(c.release(1 * MS)).isEqualTo(50 * MS + (long) (MS / 1.1));
    }

    @Test
    void anEventTheCapWouldSendMoreThanATickLateIsTooLate() {
        CatchUp c = new CatchUp(0.10, TICK);
        assertThat(c.tooLate(0, 0, TICK)).isFalse();
        assertThat(c.tooLate(0, 0, TICK + 1)).isTrue();
        assertThat(c.tooLate(0, TICK + 1, 0)).isTrue();
    }

    @Test
    void aZeroCapNeverCatchesUpAndANegativeOneIsRefused() {
        CatchUp c = new CatchUp(0, TICK);
        c.sent(0, 0, 300 * MS);
        assertThat(c.release(10 * MS)).isEqualTo(300 * MS);
        assertThatThrownBy(() -> new CatchUp(-0.1, TICK)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lateWakeUpsWithinTheAllowanceLeaveNoLagBehind() {
        CatchUp c = new CatchUp(0.10, TICK);
        long gap = 50_000; // 20,000/s
        for (int i = 0; i < 100_000; i++) {
            long due = i * gap, release = c.release(due);
            assertThat(release).as("event %d", i).isEqualTo(due);
            c.sent(due, release, release + 2 * MS); // every wake-up 2 ms late, as on a busy machine
        }
    }
}
