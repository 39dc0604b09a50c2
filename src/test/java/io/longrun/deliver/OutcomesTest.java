package io.longrun.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomesTest {
    static final long MS = 1_000_000L, S = 1_000_000_000L;

    /**
     * One completed request at monotonic time {@code end}, due {@code intended} and sent {@code service} before it.
     * Its sequence number (-1, below any settled prefix) keeps it out of the checkpoint, which is not this test's subject.
     */
    static void complete(Outcomes o, int emitter, long end, long intended, long service) {
        o.completed(emitter, -1, Outcome.ACCEPTED, "204", end - intended, end - service, end);
    }

    @Test
    void latencyHistogramsTakeTheSameMemoryFromTheFirstTickToTheLastOfASixHourRunWhateverItsLatencies() {
        Outcomes o = new Outcomes(List.of("a", "b"));
        long bytes = o.histogramBytes();
        long end = 0;
        // 6 hours of 1 s ticks. Each tick's slowest request sets a new record now and then (1 ms doubled every ten
        // minutes, past the hour the histograms cover): an auto-resizing histogram would reallocate larger counts
        // at each doubling, and the heap after GC of a soak would rise a step at each latency spike.
        for (int tick = 0; tick < 6 * 3600; tick++) {
            end += S;
            long slowest = MS << Math.min(40, tick / 600);
            for (int e = 0; e < 2; e++) {
                complete(o, e, end, 2 * MS, MS);
                complete(o, e, end, slowest, slowest / 2);
            }
            o.snapshot();
            if (tick % 600 == 0) assertThat(o.histogramBytes()).as("after tick %d", tick).isEqualTo(bytes);
        }
        assertThat(o.histogramBytes()).isEqualTo(bytes);
        // the counts are all there; a latency beyond the range counts as the longest the histograms tell apart
        Outcomes.Stats total = o.totals().get(0);
        assertThat(total.intended().count()).isEqualTo(2L * 6 * 3600);
        assertThat(total.intended().max()).isCloseTo(Histograms.MAX_LATENCY_MICROS / 1000.0, within(Histograms.MAX_LATENCY_MICROS / 1000.0 / 500));
        assertThat(o.totalLatency()[0].count()).isEqualTo(4L * 6 * 3600);
    }

    @Test
    void eachSnapshotHasTheLatenciesSinceThePreviousOneAndTheTotalsAllOfThem() {
        Outcomes o = new Outcomes(List.of("a"));
        for (int i = 1; i <= 100; i++) complete(o, 0, 10 * S, i * MS, i * MS / 10); // 1..100 ms, service a tenth
        Outcomes.Stats first = o.snapshot().get(0);
        assertThat(first.intended().count()).isEqualTo(100);
        assertThat(first.intended().p50()).isCloseTo(50, within(0.1));
        assertThat(first.intended().p99()).isCloseTo(99, within(0.1));
        assertThat(first.intended().max()).isCloseTo(100, within(0.1));
        assertThat(first.service().p95()).isCloseTo(9.5, within(0.01));
        assertThat(o.snapshot().get(0).intended()).isEqualTo(Latency.NONE); // nothing completed since
        complete(o, 0, 20 * S, 300 * MS, 3 * MS);
        Outcomes.Stats third = o.snapshot().get(0);
        assertThat(third.intended().count()).isEqualTo(1);
        assertThat(third.intended().max()).isCloseTo(300, within(0.5));
        Outcomes.Stats total = o.totals().get(0);
        assertThat(total.intended().count()).isEqualTo(101);
        assertThat(total.intended().p50()).isCloseTo(51, within(0.1));
        assertThat(total.intended().max()).isCloseTo(300, within(0.5));
        assertThat(total.accepted()).isEqualTo(101);
    }

    @Test
    void aLatencyBeforeItsDueTimeOrBeyondTheRangeIsKeptInRange() {
        assertThat(Histograms.micros(-5 * MS)).as("answered before its due time: the histograms' floor").isEqualTo(1);
        assertThat(Histograms.micros(0)).isEqualTo(1);
        assertThat(Histograms.micros(1_500)).isEqualTo(1);
        assertThat(Histograms.micros(2_500)).isEqualTo(2);
        assertThat(Histograms.micros(Long.MAX_VALUE)).isEqualTo(Histograms.MAX_LATENCY_MICROS);
    }

    @Test
    void theWarmUpsCompletionsAreRecordedApartAndReachNeitherTheRunsFiguresNorItsLatencyListener() {
        Outcomes o = new Outcomes(List.of("a"));
        long[] heard = new long[2];
        o.onLatency((i, s) -> heard[0]++);
        o.warm().onLatency((i, s) -> heard[1]++);
        assertThat(o.warm()).as("one twin, the same every time").isSameAs(o.warm());
        for (int k = 0; k < 1000; k++) o.warm().completed(0, k, Outcome.ACCEPTED, "204", 0, MS, 2 * MS);
        complete(o, 0, 10 * MS, 2 * MS, MS);
        o.snapshot();
        o.warm().snapshot();
        assertThat(o.totals().get(0).accepted()).as("the run's own accepted events").isEqualTo(1);
        assertThat(o.totals().get(0).intended().count()).isEqualTo(1);
        assertThat(o.warm().totals().get(0).accepted()).isEqualTo(1000);
        assertThat(heard).containsExactly(1, 1000);
    }

    @Test
    void aShardsSettledPrefixCountsItsOwnEventsOnlyAndNamesTheGlobalIndex() {
        Outcomes o = new Outcomes(java.util.List.of("e"));
        o.split(0, 3, 1); // shard 1/3: events 1, 4, 7, 10, ...
        for (long seq : new long[] {1, 4, 10}) {
            o.planned(0);
            o.sent(0);
            o.completed(0, seq, Outcome.ACCEPTED, "204", 0, MS, 2 * MS);
        }
        // 7 has not come back: the prefix holds at it
        assertThat(o.checkpoint().get(0).next()).isEqualTo(7);
        assertThat(o.checkpoint().get(0).accepted()).isEqualTo(2);
        o.planned(0);
        o.dropped(0, 7);
        assertThat(o.checkpoint().get(0).next()).isEqualTo(13);
        assertThat(o.checkpoint().get(0).planned()).isEqualTo(4);
    }
}
