package io.longrun.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.scenario.Experiment.Recovery;
import io.longrun.scenario.Experiment.Signal;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The judge on synthetic series: a 1 s tick, stabilize 0–30 s, a fault on 30–60 s (confirmed on at 30.2 s, off at
 * 60.1 s), recover 60–120 s. Baseline: 100 events per tick, p95 40 ms, no errors, throughput and ingest at the schedule.
 */
class JudgeTest {
    static final Recovery DEFAULT = Recovery.DEFAULT; // all signals, 25 %, hold 10 s

    /** A series of {@code n} ticks; each signal's value at tick end t is given by a function of t. */
    static final class Build {
        final int n;
        final double[] t, dt, settled, eps, ingest;
        final Map<Signal, double[]> v = new EnumMap<>(Signal.class);

        Build(int n) {
            this.n = n;
            t = new double[n];
            dt = new double[n];
            settled = new double[n];
            eps = new double[n];
            ingest = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = i + 1;
                dt[i] = 1;
                settled[i] = 100;
                eps[i] = 100;
                ingest[i] = 100;
            }
            set(Signal.ERROR_RATE, x -> 0);
            set(Signal.P95, x -> 40);
            set(Signal.THROUGHPUT, x -> 1);
            set(Signal.INGEST, x -> 1);
        }

        Build set(Signal s, DoubleUnaryOperator f) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) a[i] = f.applyAsDouble(t[i]);
            v.put(s, a);
            return this;
        }

        Build settled(double each) {
            Arrays.fill(settled, each);
            return this;
        }

        Series series() {
            return new Series(t, dt, settled, eps, ingest, v);
        }
    }

    static FaultSpan latency(long bytes) {
        return new FaultSpan("latency", "db", "latency 200 ms on db", 30.2, 60.1, bytes, bytes, null);
    }

    static List<PhaseSpan> phases(FaultSpan... faults) {
        return List.of(new PhaseSpan("stabilize", 0, 0, 30, true, List.of(), false),
                new PhaseSpan("fault", 1, 30, 60, false, List.of(faults), false),
                new PhaseSpan("recover", 2, 60, 120, false, List.of(), false));
    }

    static Verdict judge(Build b, FaultSpan... faults) {
        return Judge.judge(phases(faults), b.series(), DEFAULT);
    }

    @Test
    void passedWhenNoSignalLeavesTheTolerance() {
        // p95 rises by 8 ms during the fault: within the 10 ms floor above a 40 ms baseline (limit 50 ms)
        Verdict v = judge(new Build(120).set(Signal.P95, t -> t > 30 && t <= 60 ? 48 : 40), latency(5000));
        assertThat(v.kind()).isEqualTo(Verdict.Kind.PASSED);
        assertThat(v.recoveryS()).isNull();
        assertThat(v.reason()).startsWith("no signal left 25 % of its baseline").contains("worst p95 48 ms against 40 ms");
        assertThat(v.phases().get(1).effective()).isTrue();
        assertThat(v.phases().get(1).impactS()).isNull();
        assertThat(v.phases().get(1).worst()).containsEntry("p95_ms", 48.0);
        assertThat(v.baseline().median(Signal.P95)).isEqualTo(40.0);
    }

    @Test
    void recoveredWithTheTimeFromTheFaultsRemovalToTheHoldsStart() {
        // p95 240 ms from t=32 (tick 31–32) until t=65, then back at 40: within from the tick beginning at 65
        Verdict v = judge(new Build(120).set(Signal.P95, t -> t > 31 && t <= 65 ? 240 : 40), latency(5000));
        assertThat(v.kind()).isEqualTo(Verdict.Kind.RECOVERED);
        assertThat(v.recoveryS()).isEqualTo(4.9); // 65.0 - 60.1
        assertThat(v.phases().get(1).impactS()).isEqualTo(1.8); // the first tick out ends at 32, the fault came on at 30.2
        assertThat(v.reason()).isEqualTo("p95 left the tolerance 1.8 s after latency 200 ms on db came on (worst 240 ms, above 1.25 × baseline 40 ms); "
                + "every signal was back within tolerance for 10 s from 4.9 s after the last fault came off");
    }

    @Test
    void recoveryWaitsForTheWholeHold() {
        // back at 70, out again for 3 ticks on 75–78 (before 10 s held), then within for good: recovery starts at 78
        Verdict v = judge(new Build(120).set(Signal.P95, t -> (t > 31 && t <= 70) || (t > 75 && t <= 78) ? 240 : 40), latency(5000));
        assertThat(v.kind()).isEqualTo(Verdict.Kind.RECOVERED);
        assertThat(v.recoveryS()).isEqualTo(17.9);
    }

    @Test
    void notRecoveredWhenASignalIsStillOutAtTheEnd() {
        Verdict v = judge(new Build(120).set(Signal.P95, t -> t > 31 ? 312 : 40), latency(5000));
        assertThat(v.kind()).isEqualTo(Verdict.Kind.NOT_RECOVERED);
        assertThat(v.kind().exitCode()).isEqualTo(5);
        assertThat(v.recoveryS()).isNull();
        assertThat(v.reason()).endsWith("p95 312 ms stayed above 1.25 × baseline 40 ms until the end");
    }

    @Test
    void aLastTickTooThinToJudgeDoesNotHideTheSignalThatStayedOut() {
        // a loaded machine's last tick held too few events for a p95: the tick before it still names what stayed out
        Verdict v = judge(new Build(120).set(Signal.P95, t -> t == 120 ? Double.NaN : t > 31 ? 312 : 40), latency(5000));
        assertThat(v.kind()).isEqualTo(Verdict.Kind.NOT_RECOVERED);
        assertThat(v.reason()).endsWith("p95 312 ms stayed above 1.25 × baseline 40 ms until the end");
    }

    @Test
    void notRecoveredWhenBackOnlyForLessThanTheHoldAtTheEnd() {
        Verdict v = judge(new Build(120).set(Signal.THROUGHPUT, t -> t > 31 && t <= 114 ? 0.3 : 1), latency(5000));
        assertThat(v.kind()).isEqualTo(Verdict.Kind.NOT_RECOVERED);
        assertThat(v.reason()).startsWith("throughput left the tolerance").contains("(worst 30 % of schedule, below 0.75 × baseline 100 % of schedule)")
                .endsWith("no stretch of 10 s with every signal within tolerance in the 59.9 s from the last fault's removal to the end");
    }

    @Test
    void aSingleTickOutIsNoise() {
        Verdict v = judge(new Build(120).set(Signal.P95, t -> t == 45 || t == 90 ? 900 : 40), latency(5000));
        assertThat(v.kind()).isEqualTo(Verdict.Kind.PASSED);
    }

    @Test
    void inconclusiveWhenTheBaselineIsUnstable() {
        // p95 swings between 40 and 90 ms every other tick in the baseline: half its ticks are out of 25 % of the median
        Verdict v = judge(new Build(120).set(Signal.P95, t -> t <= 30 && ((int) t) % 2 == 0 ? 90 : 40), latency(5000));
        assertThat(v.kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);
        assertThat(v.kind().exitCode()).isEqualTo(6);
        assertThat(v.reason()).startsWith("the baseline was not stable: only 50 % of the baseline phase's ticks had p95 within tolerance of its median")
                .containsPattern("a tick above 1\\.25 × baseline [0-9.]+ ms is out").endsWith("; 80 % needed)");
    }

    @Test
    void anUnstableBaselineNamesTheFloorWhenTheFloorIsTheBand() {
        // p95 swings between 12 and 40 ms: the median (26 ms) × 25 % is 6.5 ms, under the 10 ms floor, so the band is the floor
        Verdict v = judge(new Build(120).set(Signal.P95, t -> t <= 30 && ((int) t) % 2 == 0 ? 40 : 12), latency(5000));
        assertThat(v.kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);
        assertThat(v.reason()).containsPattern("a tick above baseline [0-9.]+ ms \\+ the 10 ms floor is out");
    }

    @Test
    void inconclusiveWhenTheFaultNeverTookEffect() {
        Verdict v = judge(new Build(120).set(Signal.P95, t -> t > 31 ? 312 : 40), latency(0));
        assertThat(v.kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);
        assertThat(v.reason()).isEqualTo("the fault never took effect: proxy db carried no bytes while latency 200 ms on db was on");
        assertThat(v.phases().get(1).effective()).isFalse();
    }

    @Test
    void aFaultThatNeverTookEffectIsSaidFirstWhateverTheBaselineDid() {
        Verdict v = judge(new Build(120).settled(4), latency(0));
        assertThat(v.reason()).startsWith("the fault never took effect");
    }

    @Test
    void inconclusiveWhenTheFaultWasNeverApplied() {
        FaultSpan never = new FaultSpan("latency", "db", "latency 200 ms on db", Double.NaN, Double.NaN, null, null, "proxy db: connection refused");
        Verdict v = judge(new Build(120), never);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);
        assertThat(v.reason()).isEqualTo("the fault never took effect: latency 200 ms on db was never applied (proxy db: connection refused)");
    }

    @Test
    void inconclusiveWithTooFewEvents() {
        // 4 events per tick: 20 ticks after the first 10 s settle 80, under 100
        Verdict v = judge(new Build(120).settled(4), latency(5000));
        assertThat(v.kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);
        assertThat(v.reason()).isEqualTo("too few events to judge: the baseline phase stabilize settled 80 event(s) in 20 tick(s) after its first 10 s "
                + "(at least 100 events and 3 ticks are needed)");
    }

    @Test
    void aDownFaultCarriesNothingButCountsWhenItHurts() {
        FaultSpan down = new FaultSpan("down", "db", "down db", 30.2, 60.1, 0L, 0L, null);
        Verdict hurt = judge(new Build(120).set(Signal.ERROR_RATE, t -> t > 31 && t <= 61 ? 100 : 0), down);
        assertThat(hurt.kind()).isEqualTo(Verdict.Kind.RECOVERED);
        assertThat(hurt.phases().get(1).effective()).isTrue();
        Verdict idle = judge(new Build(120), down);
        assertThat(idle.kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);
        // the proxy carried bytes in the phase before it went down: it did cut traffic off
        FaultSpan cutOff = new FaultSpan("down", "db", "down db", 30.2, 60.1, 0L, 0L, null, 52_000L);
        assertThat(judge(new Build(120), cutOff).phases().get(1).effective()).isTrue();
    }

    @Test
    void anEngineThatCannotCountBytesCountsAsEffective() {
        FaultSpan unknown = new FaultSpan("latency", "db", "latency 200 ms on db", 30.2, 60.1, null, null, null);
        assertThat(judge(new Build(120), unknown).kind()).isEqualTo(Verdict.Kind.PASSED);
    }

    @Test
    void floorsKeepANearZeroBaselineJudgeable() {
        Tolerance tol = new Tolerance(25);
        // error rate 0 %: 0 × 1.25 would make one failure an impact; the floor is 1 point
        assertThat(tol.out(Signal.ERROR_RATE, 0.9, 0)).isFalse();
        assertThat(tol.out(Signal.ERROR_RATE, 1.1, 0)).isTrue();
        // above 4 % the proportional part (25 % of it) is larger than the floor
        assertThat(tol.out(Signal.ERROR_RATE, 12.4, 10)).isFalse();
        assertThat(tol.out(Signal.ERROR_RATE, 12.6, 10)).isTrue();
        // p95 2 ms: out above 12 ms, not above 2.5 ms
        assertThat(tol.out(Signal.P95, 11.9, 2)).isFalse();
        assertThat(tol.out(Signal.P95, 12.1, 2)).isTrue();
        assertThat(tol.out(Signal.P95, 101, 80)).isTrue();
        // throughput is judged as a share of the schedule; lower is worse
        assertThat(tol.out(Signal.THROUGHPUT, 0.76, 1)).isFalse();
        assertThat(tol.out(Signal.THROUGHPUT, 0.74, 1)).isTrue();
        assertThat(tol.out(Signal.THROUGHPUT, Double.NaN, 1)).isFalse();
        assertThat(tol.limitText(Signal.ERROR_RATE, 0)).isEqualTo("above baseline 0.0 % + the 1-point floor");
        assertThat(tol.limitText(Signal.P95, 30)).isEqualTo("above baseline 30 ms + the 10 ms floor");
        assertThat(tol.limitText(Signal.P95, 80)).isEqualTo("above 1.25 × baseline 80 ms");
        // an error-rate impact from a zero baseline is judged with the floor
        Verdict v = judge(new Build(120).set(Signal.ERROR_RATE, t -> t > 31 && t <= 40 ? 3 : 0), latency(5000));
        assertThat(v.kind()).isEqualTo(Verdict.Kind.RECOVERED);
        assertThat(v.reason()).contains("error rate left the tolerance").contains("above baseline 0.0 % + the 1-point floor");
    }

    @Test
    void aSignalWithoutBaselineFiguresIsNotJudgedAndSaysSo() {
        Build b = new Build(120).set(Signal.INGEST, t -> Double.NaN);
        Verdict v = Judge.judge(phases(latency(5000)), b.series(), new Recovery(List.of(Signal.values()), 25, Duration.ofSeconds(10)));
        assertThat(v.judged()).doesNotContain(Signal.INGEST);
        assertThat(v.notes()).anyMatch(n -> n.startsWith("ingest not judged"));
    }
}
