package io.longrun.pace;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Stages, poisson arrivals, seed 002's intervals, and seed 000's per-tick counts. */
class TrafficTest {
    static Duration s(double sec) {
        return Duration.ofNanos(Math.round(sec * 1e9));
    }

    static long count(DueTimes d) {
        long n = 0;
        while (!Double.isInfinite(d.nextDue())) n++;
        return n;
    }

    static Scenario.Emitter stages(double startRate, List<Scenario.Stage> st, Scenario.Schedule sched, Arrivals a) {
        return new Scenario.Emitter("e", "agingos-event", Scenario.FormatOptions.DEFAULT, 0, sched, st, startRate, a, Optional.empty(),
                Optional.empty(), java.util.Map.of(), Optional.empty());
    }

    @Test
    void stagesArePiecewiseLinearAndTheCountIsTheirExactIntegral() {
        // k6's example: from 0, up to 50/s over 30 s, hold 50/s for 60 s, down to 0 over 30 s
        List<Scenario.Stage> st = List.of(new Scenario.Stage(s(30), 50), new Scenario.Stage(s(60), 50), new Scenario.Stage(s(30), 0));
        Traffic t = Traffic.of(stages(0, st, Scenario.Schedule.ALWAYS, Arrivals.UNIFORM), s(120), s(1), 1, 1);
        double exact = 50 * 30 / 2.0 + 50 * 60 + 50 * 30 / 2.0; // 4500
        assertThat(t.schedule().area(0, 120)).isCloseTo(exact, Offset.offset(1e-6));
        assertThat(count(t.dueTimes())).isEqualTo(4500);
        assertThat(t.schedule().rate(15)).isCloseTo(25, Offset.offset(1e-9));
        assertThat(t.schedule().rate(100)).isCloseTo(50.0 * 20 / 30, Offset.offset(1e-9));
    }

    @Test
    void stagesCarryTheFractionAcrossStagesAndAreClippedToTheRun() {
        // from 0.5/s: hold 0.5/s for 3 s (1.5 events), then up to 1.5/s over 3 s (3 events); the first stage ends
        // mid-event, and the pacer carries that half into the second: 5 events, not 2 + 3
        List<Scenario.Stage> st = List.of(new Scenario.Stage(s(3), 0.5), new Scenario.Stage(s(3), 1.5));
        Traffic flat = Traffic.of(stages(0.5, st, Scenario.Schedule.ALWAYS, Arrivals.UNIFORM), s(6), s(1), 1, 1);
        assertThat(flat.schedule().area(0, 6)).isCloseTo(4.5, Offset.offset(1e-9));
        assertThat(count(flat.dueTimes())).isEqualTo(5);
        Traffic clipped = Traffic.of(stages(10, List.of(new Scenario.Stage(s(60), 10)), Scenario.Schedule.ALWAYS, Arrivals.UNIFORM), s(20), s(1), 1, 1);
        assertThat(count(clipped.dueTimes())).isEqualTo(200);
    }

    @Test
    void poissonArrivalsKeepTheRateWithExponentialGaps() {
        Scenario.Emitter e = Scenario.Emitter.of("e", "agingos-event", 100, Scenario.Schedule.ALWAYS);
        Scenario.Emitter p = new Scenario.Emitter("e", e.format(), e.options(), 100, e.schedule(), List.of(), 0, Arrivals.POISSON,
                Optional.empty(), Optional.empty(), java.util.Map.of(), Optional.empty());
        DueTimes d = Traffic.of(p, s(600), s(1), 42, 7).dueTimes();
        List<Double> gaps = new ArrayList<>();
        double prev = 0;
        long n = 0;
        for (double t = d.nextDue(); !Double.isInfinite(t); t = d.nextDue()) {
            if (n++ > 0) gaps.add(t - prev);
            prev = t;
        }
        assertThat(n / 60_000.0).as("60,000 expected, a Poisson count's sd is ~245").isBetween(0.985, 1.015);
        double mean = gaps.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double var = gaps.stream().mapToDouble(g -> (g - mean) * (g - mean)).sum() / gaps.size();
        assertThat(mean).isCloseTo(0.01, Offset.offset(0.0002));
        assertThat(Math.sqrt(var) / mean).as("an exponential's sd equals its mean").isBetween(0.97, 1.03);
        // the same seed gives the same arrivals
        DueTimes a = Traffic.of(p, s(10), s(1), 42, 7).dueTimes(), b = Traffic.of(p, s(10), s(1), 42, 7).dueTimes();
        for (int i = 0; i < 500; i++) assertThat(a.nextDue()).isEqualTo(b.nextDue());
    }

    @Test
    void anIntervalEmitterSendsAtXPlusOrMinusY() {
        IntervalPacer p = new IntervalPacer(1.0, 0.5, 0, 3600, 3, 9);
        double prev = p.nextDue();
        assertThat(prev).as("first event inside the first interval").isBetween(0.0, 1.0);
        double min = 9, max = 0, sum = 0;
        int n = 0;
        for (double t = p.nextDue(); !Double.isInfinite(t); t = p.nextDue(), n++) {
            double gap = t - prev;
            min = Math.min(min, gap);
            max = Math.max(max, gap);
            sum += gap;
            prev = t;
        }
        assertThat(min).isGreaterThanOrEqualTo(0.5);
        assertThat(max).isLessThanOrEqualTo(1.5);
        assertThat(min).isLessThan(0.55);
        assertThat(max).isGreaterThan(1.45);
        assertThat(sum / n).isCloseTo(1.0, Offset.offset(0.02));
    }

    @Test
    void perTickTheCountIsEffEpsTimesTheTickWithTheFractionCarried() {
        // seed 000: events_in_tick = eff_eps * tick; here 2.5/s with 1 s ticks and ±20% jitter
        Scenario.Schedule sched = new Scenario.Schedule(Duration.ZERO, Optional.empty(), Duration.ZERO, Duration.ZERO, 0.2);
        Traffic t = Traffic.of(Scenario.Emitter.of("e", "agingos-event", 2.5, sched), s(100), s(1), 5, 5);
        int[] perTick = new int[100];
        for (double due = t.dueTimes().nextDue(); !Double.isInfinite(due); due = t.dueTimes().nextDue()) perTick[(int) due]++;
        double carried = 0;
        for (int k = 0; k < 100; k++) {
            double effEps = t.schedule().effEps(k);
            assertThat(effEps).isBetween(2.0, 3.0);
            // the count in a tick is eff_eps x tick, rounded either way, and the running total never strays by 1
            assertThat((double) perTick[k]).isBetween(Math.floor(effEps) - 1, Math.ceil(effEps) + 1);
            carried += effEps - perTick[k];
            assertThat(Math.abs(carried)).isLessThan(1.0 + 1e-9);
        }
    }
}
