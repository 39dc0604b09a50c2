package io.longrun.pace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SkippingTest {
    /** A schedule with a ramp and seeded jitter, uniform or poisson: no shortcut to event i but the walk. */
    static DueTimes schedule(Arrivals arrivals) {
        io.longrun.scenario.Scenario.Schedule shape = new io.longrun.scenario.Scenario.Schedule(Duration.ZERO, java.util.Optional.empty(),
                Duration.ofSeconds(10), Duration.ZERO, 0.2);
        Schedule s = new Schedule(RateCurve.of(100, shape, Duration.ofSeconds(60)), 1.0, 0.2, 42, 7);
        return new Pacer(s, arrivals, 42, 7);
    }

    @Test
    void afterSkippingTheEventsKeepTheIndexAndDueTimeOfAnUninterruptedRun() {
        for (Arrivals a : Arrivals.values()) {
            DueTimes whole = schedule(a);
            Skipping resumed = new Skipping(schedule(a));
            long skipped = resumed.skipUntil(25.0);
            // the uninterrupted run, walked to the same point
            long index = whole.nextIndex();
            double due = whole.nextDue();
            long before = 0;
            while (due < 25.0) {
                before++;
                index = whole.nextIndex();
                due = whole.nextDue();
            }
            assertThat(skipped).as("%s: events due before 25 s", a).isEqualTo(before).isPositive();
            for (int i = 0; i < 500; i++) {
                assertThat(resumed.nextIndex()).as("%s event %d", a, i).isEqualTo(index);
                assertThat(resumed.nextDue()).as("%s event %d", a, i).isEqualTo(due);
                index = whole.nextIndex();
                due = whole.nextDue();
            }
        }
    }

    @Test
    void skippingInStepsPassesOverTheSameEventsAsInOneGo() {
        Skipping steps = new Skipping(schedule(Arrivals.POISSON)), once = new Skipping(schedule(Arrivals.POISSON));
        steps.skipUntil(10.0);
        long mid = steps.nextIndex();
        steps.skipUntil(10.0); // again at the same time: nothing more
        assertThat(steps.nextIndex()).isEqualTo(mid);
        steps.skipUntil(30.0);
        once.skipUntil(30.0);
        assertThat(steps.skipped()).isEqualTo(once.skipped());
        assertThat(steps.nextIndex()).isEqualTo(once.nextIndex());
        assertThat(steps.nextDue()).isEqualTo(once.nextDue());
    }

    @Test
    void skippingPastTheEndLeavesNothing() {
        Skipping s = new Skipping(schedule(Arrivals.UNIFORM));
        s.skipUntil(Duration.ofHours(1).toSeconds());
        assertThat(s.nextDue()).isInfinite();
    }

    @Test
    void anEventReadAheadAndTakenBackIsPassedOverBySkippingAsIfItHadNeverBeenRead() {
        // a resume: the dispatcher reads each emitter's first event before its warm-up, then the schedule passes
        // over what fell due during the warm-up; the event read first must be among those passed over, not sent too
        Skipping early = new Skipping(schedule(Arrivals.UNIFORM)), plain = new Skipping(schedule(Arrivals.UNIFORM));
        early.skipUntil(10.0);
        plain.skipUntil(10.0);
        long first = early.nextIndex();
        double due = early.nextDue();
        early.unread(first, due);
        assertThat(early.nextIndex()).isEqualTo(first);
        early.skipUntil(20.0);
        plain.skipUntil(20.0);
        assertThat(early.skipped()).isEqualTo(plain.skipped());
        assertThat(early.nextIndex()).isEqualTo(plain.nextIndex()).isGreaterThan(first);
        assertThat(early.nextDue()).isEqualTo(plain.nextDue());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> { early.unread(1, 1.0); early.unread(2, 2.0); })
                .isInstanceOf(IllegalStateException.class);
    }
}
