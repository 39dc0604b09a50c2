package io.longrun.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AcceptedHistoryTest {
    static final long S = 1_000_000_000L, MS = 1_000_000L;

    @Test
    void sixHoursOfTicksKeepOnlyTheSpanAndTheArraysStopGrowingOnceTheyHoldIt() {
        AcceptedHistory h = new AcceptedHistory(RunMonitor.ACCEPTED_HISTORY); // 15 minutes
        h.add(0, 0);
        int capacity = 0;
        for (long tick = 1; tick <= 6 * 3600; tick++) {
            h.add(tick * S, tick * 2000);
            assertThat(h.size()).isLessThanOrEqualTo(15 * 60 + 2); // the ticks of the span, and one before it
            if (tick == 20 * 60) capacity = h.capacity();
        }
        assertThat(capacity).isEqualTo(1024);
        assertThat(h.capacity()).as("no growth after the first 20 minutes").isEqualTo(capacity);
        long now = 6 * 3600 * S;
        assertThat(h.at(now)).isEqualTo(6 * 3600 * 2000L);
        assertThat(h.at(now - 10 * 60 * S + 500 * MS)).isEqualTo((6 * 3600 - 600) * 2000L); // as of the tick before
        assertThat(h.at(now - 15 * 60 * S)).isEqualTo((6 * 3600 - 900) * 2000L);
    }

    @Test
    void shortTicksGrowTheArraysOnlyToTheSpan() {
        AcceptedHistory h = new AcceptedHistory(RunMonitor.ACCEPTED_HISTORY);
        for (long tick = 0; tick <= 2 * 3600 * 10; tick++) h.add(tick * 100 * MS, tick); // 100 ms ticks for 2 hours
        assertThat(h.size()).isLessThanOrEqualTo(15 * 60 * 10 + 2);
        assertThat(h.capacity()).isEqualTo(16384);
    }

    @Test
    void aTimeBeforeTheFirstTickHasNoneAcceptedAndEachTimeHasTheCountOfTheTickAtOrBeforeIt() {
        AcceptedHistory h = new AcceptedHistory(60 * S);
        assertThat(h.at(5 * S)).isZero();
        h.add(10 * S, 0);
        h.add(11 * S, 100);
        h.add(12 * S, 250);
        assertThat(h.at(9 * S)).isZero();
        assertThat(h.at(10 * S)).isZero();
        assertThat(h.at(11 * S)).isEqualTo(100);
        assertThat(h.at(11 * S + 999 * MS)).isEqualTo(100);
        assertThat(h.at(100 * S)).isEqualTo(250);
        // past the span: the oldest entry kept is the one just before it
        for (int t = 13; t <= 200; t++) h.add(t * S, t * 100L);
        assertThat(h.size()).isEqualTo(62);
        assertThat(h.at(200 * S - 60 * S)).isEqualTo(140 * 100L);
        assertThat(h.at(200 * S - 60 * S - 500 * MS)).isEqualTo(139 * 100L);
        assertThat(h.at(100 * S)).isZero(); // forgotten
        h.clear();
        assertThat(h.size()).isZero();
        assertThat(h.at(200 * S)).isZero();
    }
}
