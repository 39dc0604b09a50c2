package io.longrun.pace;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.scenario.Scenario;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PacerTest {
    static Scenario.Schedule sched(double start, Double stop, double up, double down, double jitter) {
        return new Scenario.Schedule(d(start), Optional.ofNullable(stop).map(PacerTest::d), d(up), d(down), jitter);
    }

    static Duration d(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    /**
     * The exact reference: the trapezoid's area in closed form, independent of RateCurve. Rate R on
     * [s, e) with linear ramps of u and w seconds: R (e - s) - R u / 2 - R w / 2 when the ramps fit.
     */
    static double trapezoid(double rate, double s, double e, double u, double w) {
        return rate * (e - s) - rate * u / 2 - rate * w / 2;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // name, rate, start, stop, up, down, run, expected integral
                Arguments.of("constant 200/s for 5 s", 200.0, 0.0, null, 0.0, 0.0, 5.0, trapezoid(200, 0, 5, 0, 0)),
                Arguments.of("fractional rate 0.3/s for 100 s", 0.3, 0.0, null, 0.0, 0.0, 100.0, 30.0),
                Arguments.of("window [10 s, 40 s) of 60 s", 50.0, 10.0, 40.0, 0.0, 0.0, 60.0, trapezoid(50, 10, 40, 0, 0)),
                Arguments.of("ramps 10 s up and down in 60 s", 20.0, 0.0, null, 10.0, 10.0, 60.0, trapezoid(20, 0, 60, 10, 10)),
                Arguments.of("ramp up only, shifted start", 7.5, 3.0, null, 12.0, 0.0, 30.0, trapezoid(7.5, 3, 30, 12, 0)),
                Arguments.of("stop_after past the run end is clipped", 10.0, 0.0, 100.0, 0.0, 0.0, 20.0, 200.0),
                // Ramps longer than the window meet at the crossing point: a triangle of base 10 s and
                // peak 20 * 5 / 10 = 10/s, area 50.
                Arguments.of("ramps longer than the window", 20.0, 0.0, null, 10.0, 10.0, 10.0, 50.0),
                Arguments.of("a 6 h soak at 2000/s", 2000.0, 0.0, null, 600.0, 600.0, 21600.0, trapezoid(2000, 0, 21600, 600, 600)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theNumberOfEventsIsTheExactIntegralWithinOne(String name, double rate, double start, Double stop, double up, double down,
                                                    double run, double integral) {
        Schedule s = new Schedule(RateCurve.of(rate, sched(start, stop, up, down, 0), d(run)), 1.0, 0, 1, 1);
        assertThat(s.area(0, run)).as("RateCurve's integral").isCloseTo(integral, org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, integral)));
        Pacer p = new Pacer(s);
        long count = 0;
        double prev = Double.NEGATIVE_INFINITY;
        for (double t = p.nextDue(); !Double.isInfinite(t); t = p.nextDue()) {
            assertThat(t).as("due times never go backwards").isGreaterThanOrEqualTo(prev);
            assertThat(t).as("inside the window").isBetween(start, run);
            prev = t;
            count++;
        }
        assertThat((double) count).as(name).isBetween(integral - 1e-6, integral + 1);
        assertThat(count).isEqualTo((long) Math.ceil(integral - 1e-6));
    }

    @Test
    void theFirstEventIsDueAtTheWindowStartAndTheNextAtOneOverTheRate() {
        Pacer p = new Pacer(new Schedule(RateCurve.of(4, sched(10, null, 0, 0, 0), d(20)), 1, 0, 1, 1));
        assertThat(p.nextDue()).isEqualTo(10.0);
        assertThat(p.nextDue()).isCloseTo(10.25, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(p.nextDue()).isCloseTo(10.5, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void dueTimesComeFromTheStartSoNothingDriftsOverHours() {
        // event 7,200,000 of a 6 h run at 1000/s is due at exactly 7200 s, to the microsecond
        Pacer p = new Pacer(new Schedule(RateCurve.of(1000, sched(0, null, 0, 0, 0), d(21600)), 1, 0, 1, 1));
        double t = 0;
        for (long i = 0; i <= 7_200_000; i++) t = p.nextDue();
        assertThat(t).isCloseTo(7200.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void jitterMultipliesEachTicksRateAndTheCountFollowsTheJitteredIntegral() {
        double rate = 100, run = 120;
        Schedule s = new Schedule(RateCurve.of(rate, sched(0, null, 20, 20, 0), d(run)), 1.0, 0.3, 42, 9);
        // Reference: per tick, jitter(k) times the exact area of the trapezoid inside the tick.
        double ref = 0;
        for (int k = 0; k < run; k++) {
            double j = s.jitter(k);
            assertThat(j).isBetween(0.7, 1.3);
            ref += j * exactTrapezoidArea(rate, 0, run, 20, 20, k, k + 1);
        }
        Pacer p = new Pacer(s);
        long count = 0;
        while (!Double.isInfinite(p.nextDue())) count++;
        assertThat((double) count).isBetween(ref - 1e-6, ref + 1);
        // the jitter is not a constant: ticks differ
        assertThat(s.jitter(1)).isNotEqualTo(s.jitter(2));
    }

    /** The area of the trapezoid rate between a and b, by integrating each linear part in closed form. */
    static double exactTrapezoidArea(double rate, double s, double e, double up, double down, double a, double b) {
        double total = 0;
        double[][] parts = {{s, s + up, 0, rate}, {s + up, e - down, rate, rate}, {e - down, e, rate, 0}};
        for (double[] p : parts) {
            double lo = Math.max(a, p[0]), hi = Math.min(b, p[1]);
            if (hi <= lo) continue;
            double slope = (p[3] - p[2]) / (p[1] - p[0]);
            // integral of r0 + slope (t - t0) dt from lo to hi
            total += p[2] * (hi - lo) + slope / 2 * ((hi - p[0]) * (hi - p[0]) - (lo - p[0]) * (lo - p[0]));
        }
        return total;
    }

    @Test
    void theSameSeedGivesTheSameJitterAndAnotherSeedAnother() {
        Schedule a = new Schedule(RateCurve.of(10, sched(0, null, 0, 0, 0.5), d(60)), 1, 0.5, 42, 3);
        Schedule b = new Schedule(RateCurve.of(10, sched(0, null, 0, 0, 0.5), d(60)), 1, 0.5, 42, 3);
        Schedule c = new Schedule(RateCurve.of(10, sched(0, null, 0, 0, 0.5), d(60)), 1, 0.5, 43, 3);
        for (int k = 0; k < 60; k++) assertThat(a.jitter(k)).isEqualTo(b.jitter(k));
        assertThat(a.area(0, 60)).isNotEqualTo(c.area(0, 60));
    }

    @Test
    void effEpsIsTheTicksMeanRate() {
        Schedule s = new Schedule(RateCurve.of(20, sched(0, null, 10, 0, 0), d(60)), 1, 0, 1, 1);
        assertThat(s.effEps(0)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));  // mean of 0..2 over [0,1)
        assertThat(s.effEps(30)).isCloseTo(20.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.effEps(60)).isZero();
    }
}
