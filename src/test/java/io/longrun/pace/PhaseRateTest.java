package io.longrun.pace;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.scenario.Overrides;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.ScenarioReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** A phase's {@code rate:} holds each emitter's rate over that phase, and the schedule stays a function of the seed. */
class PhaseRateTest {
    static Scenario scenario(String emitter) throws Exception {
        return ScenarioReader.read("s.yaml", "s", new StringReader("""
                target: { url: "http://127.0.0.1:8000/event" }
                emitters: [ %s ]
                phases:
                  - { name: a, duration: 10s }
                  - { name: b, duration: 10s, rate: 50 }
                  - { name: c, duration: 10s }
                """.formatted(emitter)), Overrides.NONE);
    }

    static long[] perPhase(DueTimes d) {
        long[] n = new long[3];
        for (double due = d.nextDue(); !Double.isInfinite(due); due = d.nextDue()) n[(int) Math.min(2, Math.floor(due / 10))]++;
        return n;
    }

    @Test
    void thePhaseRateReplacesTheEmittersRateOverThatPhaseOnly() throws Exception {
        Scenario sc = scenario("{ name: e, rate: 10, schedule: { ramp_up: 4s } }");
        Traffic t = Traffic.of(sc.emitters().get(0), sc, 7, 1);
        // phase a: 10/s after a 4 s ramp (80); b: held at 50/s (500); c: back to 10/s (100)
        assertThat(t.schedule().area(0, 10)).isCloseTo(80, Offset.offset(1e-9));
        assertThat(t.schedule().area(10, 20)).isCloseTo(500, Offset.offset(1e-9));
        assertThat(t.schedule().area(20, 30)).isCloseTo(100, Offset.offset(1e-9));
        assertThat(t.schedule().rate(2)).isCloseTo(5, Offset.offset(1e-9));
        assertThat(perPhase(t.dueTimes())).containsExactly(80, 500, 100);
        // stages too: the phase holds its rate over whatever the stage does there
        Scenario st = scenario("{ name: e, start_rate: 0, stages: [ { duration: 30s, rate: 30 } ] }");
        Traffic s = Traffic.of(st.emitters().get(0), st, 7, 1);
        assertThat(s.schedule().area(0, 10)).isCloseTo(50, Offset.offset(1e-9)); // 0 to 10/s
        assertThat(s.schedule().area(10, 20)).isCloseTo(500, Offset.offset(1e-9));
        assertThat(s.schedule().area(20, 30)).isCloseTo(250, Offset.offset(1e-9)); // 20 to 30/s
    }

    @Test
    void theScheduleWithPhaseRatesIsDeterministicFromTheSeed() throws Exception {
        Scenario sc = scenario("{ name: e, rate: 20, arrivals: poisson, schedule: { jitter_pct: 0.2 } }");
        List<Double> one = dues(Traffic.of(sc.emitters().get(0), sc, 42, 3).dueTimes());
        List<Double> two = dues(Traffic.of(sc.emitters().get(0), sc, 42, 3).dueTimes());
        List<Double> other = dues(Traffic.of(sc.emitters().get(0), sc, 43, 3).dueTimes());
        assertThat(one).isEqualTo(two).isNotEqualTo(other);
        long inB = one.stream().filter(d -> d >= 10 && d < 20).count();
        assertThat(inB).isBetween(350L, 650L); // 50/s ± 20 % jitter and poisson spread over 10 s
    }

    static List<Double> dues(DueTimes d) {
        List<Double> out = new ArrayList<>();
        for (double due = d.nextDue(); !Double.isInfinite(due); due = d.nextDue()) out.add(due);
        return out;
    }
}
