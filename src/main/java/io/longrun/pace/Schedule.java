package io.longrun.pace;

import io.longrun.random.SplitMix;
import io.longrun.scenario.Num;

/**
 * The rate of one emitter with its per-tick jitter: in tick k = floor(t / tick) the rate is
 * {@code curve(t) * jitter(k)}, with {@code jitter(k) = 1 + jitterPct * (2u - 1)} and u a seeded uniform draw for
 * (seed, emitter, k). Pure: the jitter of a tick is a function of its index, so anyone can recompute it.
 */
public final class Schedule {
    private final RateCurve curve;
    private final double tick;
    private final double jitterPct;
    private final long seed;
    private final long stream;

    public Schedule(RateCurve curve, double tickSeconds, double jitterPct, long seed, long stream) {
        if (!(tickSeconds > 0)) throw new IllegalArgumentException("tick must be > 0");
        this.curve = curve;
        this.tick = tickSeconds;
        this.jitterPct = jitterPct;
        this.seed = seed;
        this.stream = stream;
    }

    /** The same schedule, its rate times {@code factor} (the jitter's draws unchanged): a shard's expected share. */
    public Schedule scaled(double factor) {
        return new Schedule(curve.scaled(factor), tick, jitterPct, seed, stream);
    }

    public RateCurve curve() {
        return curve;
    }

    public double tick() {
        return tick;
    }

    /** The rate multiplier of tick k. */
    public double jitter(long k) {
        return jitterPct == 0 ? 1 : 1 + jitterPct * (2 * SplitMix.uniform(seed, stream, k) - 1);
    }

    /** The tick that holds t, robust to rounding at the boundaries. */
    public long tickOf(double t) {
        long k = (long) Math.floor(t / tick);
        if ((k + 1) * tick <= t) k++;
        else if (k * tick > t) k--;
        return k;
    }

    /** The effective rate at t, jitter included. */
    public double rate(double t) {
        return curve.rate(t) * jitter(tickOf(t));
    }

    /** Events expected in [a, b), jitter included: sum over ticks of jitter(k) times the curve's area in the tick. */
    public double area(double a, double b) {
        if (b <= a) return 0;
        a = Math.max(a, curve.start());
        b = Math.min(b, curve.end());
        double sum = 0;
        for (long k = tickOf(a); k * tick < b; k++) {
            double lo = Math.max(a, k * tick), hi = Math.min(b, (k + 1) * tick);
            if (hi > lo) sum += jitter(k) * curve.area(lo, hi);
        }
        return sum;
    }

    /** The mean effective rate over tick k, as seed 000's {@code eff_eps}. */
    public double effEps(long k) {
        return area(k * tick, (k + 1) * tick) / tick;
    }

    /** The highest rate anywhere in the schedule, jitter included: a bound for a warm-up. */
    public double peakRate() {
        double peak = 0;
        for (RateCurve.Segment s : curve.segments()) peak = Math.max(peak, Math.max(s.r0(), s.r1()));
        return peak * (1 + jitterPct);
    }

    /** When the schedule ends, in seconds from the start. */
    public double end() {
        return curve.end();
    }

    @Override
    public String toString() {
        return curve + (jitterPct > 0 ? " jitter ±" + Num.text(jitterPct * 100) + "%" : "");
    }
}
