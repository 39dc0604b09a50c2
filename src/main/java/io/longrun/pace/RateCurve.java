package io.longrun.pace;

import io.longrun.scenario.Durations;
import io.longrun.scenario.Num;
import io.longrun.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A piecewise-linear rate in events per second over time in seconds from the run's start; zero outside its
 * segments. Pure: no clock, no state.
 */
public final class RateCurve {
    /** The rate goes linearly from {@code r0} at {@code t0} to {@code r1} at {@code t1}. */
    public record Segment(double t0, double t1, double r0, double r1) {
        double rate(double t) {
            return t1 == t0 ? r0 : r0 + (r1 - r0) * (t - t0) / (t1 - t0);
        }

        /** Area (events) between a and b, clipped to the segment: the trapezoid rule is exact for a line. */
        double area(double a, double b) {
            double lo = Math.max(a, t0), hi = Math.min(b, t1);
            return hi <= lo ? 0 : (rate(lo) + rate(hi)) / 2 * (hi - lo);
        }
    }

    private final List<Segment> segments;
    private final String description;

    RateCurve(List<Segment> segments, String description) {
        this.segments = List.copyOf(segments);
        this.description = description;
    }

    /**
     * The rate of one emitter: {@code rate} at the plateau inside [start_after, stop_after), reached by a linear
     * ramp up and left by a linear ramp down. The window is clipped to the run's duration. When the ramps are
     * longer than the window the plateau is never reached: the two ramps meet at their crossing point.
     */
    public static RateCurve of(double rate, Scenario.Schedule s, Duration runDuration) {
        double run = Durations.seconds(runDuration);
        double start = Durations.seconds(s.startAfter());
        double stop = Math.min(run, s.stopAfter().map(Durations::seconds).orElse(run));
        double up = Durations.seconds(s.rampUp()), down = Durations.seconds(s.rampDown());
        List<Segment> segs = new ArrayList<>();
        if (stop > start) {
            if (up + down <= stop - start) {
                if (up > 0) segs.add(new Segment(start, start + up, 0, rate));
                if (stop - down > start + up) segs.add(new Segment(start + up, stop - down, rate, rate));
                if (down > 0) segs.add(new Segment(stop - down, stop, rate, 0));
            } else {
                // The ramps cross before the plateau: up(t) = rate (t - start) / up, down(t) = rate (stop - t) / down.
                double peakAt = (start * down + stop * up) / (up + down);
                double peak = up > 0 ? rate * (peakAt - start) / up : rate * (stop - peakAt) / down;
                if (peakAt > start) segs.add(new Segment(start, peakAt, 0, peak));
                if (stop > peakAt) segs.add(new Segment(peakAt, stop, peak, 0));
            }
        }
        String d = String.format(Locale.ROOT, "%s/s in [%s, %s)", Num.text(rate), Durations.format(s.startAfter()),
                Durations.format(Duration.ofNanos(Math.round(stop * 1e9))));
        if (up > 0 || down > 0) d += " ramp up " + Durations.format(s.rampUp()) + ", down " + Durations.format(s.rampDown());
        return new RateCurve(segs, d);
    }

    /** {@code rate} from 0 to {@code end} seconds: a warm-up's. */
    public static RateCurve constant(double rate, double end) {
        return new RateCurve(end > 0 ? List.of(new Segment(0, end, rate, rate)) : List.of(),
                Num.text(rate) + "/s in [0, " + Num.text(end) + "s)");
    }

    /**
     * k6's ramping arrival rate: from {@code startRate}, each stage goes linearly to its rate over its duration,
     * one after the other from {@code startAfter}; clipped to the run's duration. A stage with the same rate as
     * the one before holds it; the pacer carries the fraction of an event across stages.
     */
    public static RateCurve ofStages(double startRate, List<Scenario.Stage> stages, Duration startAfter, Duration runDuration) {
        double run = Durations.seconds(runDuration);
        double t = Durations.seconds(startAfter), r = startRate;
        List<Segment> segs = new ArrayList<>();
        StringBuilder d = new StringBuilder("stages from " + Num.text(startRate) + "/s:");
        for (Scenario.Stage st : stages) {
            double len = Durations.seconds(st.duration());
            d.append(' ').append(Num.text(st.rate())).append("/s over ").append(Durations.format(st.duration())).append(',');
            if (t < run) {
                double end = Math.min(t + len, run);
                double rEnd = r + (st.rate() - r) * (end - t) / len;
                if (end > t) segs.add(new Segment(t, end, r, rEnd));
            }
            t += len;
            r = st.rate();
        }
        return new RateCurve(segs, d.substring(0, d.length() - 1));
    }

    /** The same curve, zero from {@code end} on. */
    public RateCurve clip(double end) {
        List<Segment> segs = new ArrayList<>();
        for (Segment s : segments) {
            if (s.t0 >= end) break;
            segs.add(s.t1 <= end ? s : new Segment(s.t0, end, s.r0, s.rate(end)));
        }
        return new RateCurve(segs, description + " until " + Num.text(end) + "s");
    }

    /**
     * The same curve with the rate held at {@code rate} in [t0, t1) (a phase's {@code rate:}), whatever it was there;
     * outside that span it is unchanged. Pure, so the pacer's event times stay a function of the seed.
     */
    public RateCurve hold(double t0, double t1, double rate) {
        if (!(t1 > t0)) return this;
        List<Segment> segs = new ArrayList<>();
        for (Segment s : segments) {
            if (s.t0 < t0) segs.add(s.t1 <= t0 ? s : new Segment(s.t0, t0, s.r0, s.rate(t0)));
        }
        segs.add(new Segment(t0, t1, rate, rate));
        for (Segment s : segments) {
            if (s.t1 > t1) segs.add(s.t0 >= t1 ? s : new Segment(t1, s.t1, s.rate(t1), s.r1));
        }
        return new RateCurve(segs, description + String.format(Locale.ROOT, ", %s/s in [%s, %s)", Num.text(rate),
                Durations.format(Duration.ofNanos(Math.round(t0 * 1e9))), Durations.format(Duration.ofNanos(Math.round(t1 * 1e9)))));
    }

    /** The same curve times {@code factor}: a shard's share of it (1/N), or nothing (0). */
    public RateCurve scaled(double factor) {
        List<Segment> segs = new ArrayList<>();
        if (factor > 0) for (Segment s : segments) segs.add(new Segment(s.t0, s.t1, s.r0 * factor, s.r1 * factor));
        return new RateCurve(segs, factor == 1 ? description : description + " x " + Num.text(factor));
    }

    public List<Segment> segments() {
        return segments;
    }

    /** The rate at t. */
    public double rate(double t) {
        for (Segment s : segments) if (t >= s.t0 && t < s.t1) return s.rate(t);
        return 0;
    }

    /** Events expected in [a, b): the integral of the rate. */
    public double area(double a, double b) {
        double sum = 0;
        for (Segment s : segments) sum += s.area(a, b);
        return sum;
    }

    /** When the last segment ends; 0 for an empty curve. */
    public double end() {
        return segments.isEmpty() ? 0 : segments.get(segments.size() - 1).t1;
    }

    /** When the first segment starts; 0 for an empty curve. */
    public double start() {
        return segments.isEmpty() ? 0 : segments.get(0).t0;
    }

    @Override
    public String toString() {
        return description;
    }
}
