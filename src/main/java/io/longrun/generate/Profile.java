package io.longrun.generate;

import io.longrun.random.SplitMix;
import java.util.List;
import java.util.Map;

/**
 * A value profile (seed 004's scenario profiles): a number that evolves with the run's time, for template
 * placeholders ({@code {{profile(name)}}}). A profile is a pure function of the time since the run's start (the
 * event's due time, in seconds) and the run's seed, so the same seed gives the same series, whatever the send
 * jitter and whichever thread renders.
 *
 * <p>The forms, with t in seconds:
 * <ul>
 * <li>{@code steady(v)}: v;
 * <li>{@code growth(start, pct_per_min)}: start · (1 + pct/100)^(t/60), compounding;
 * <li>{@code random_walk(start, step, min, max)}: from start, one seeded step a second, uniform in [-step, step],
 * held within [min, max];
 * <li>modifiers after a base, multiplying it: {@code crash(at, drop_pct, recover_over)} drops it by drop_pct % at
 * {@code at} and brings it back linearly over recover_over ({@code never}: it stays down);
 * {@code spike(at, factor, for)} multiplies it by factor from {@code at} for that long. {@code at} is a duration
 * since the run's start or the name of one of the scenario's phases (its start);
 * <li>{@code phases(P1 for D1, P2 for D2, ..., Pn)} chains profiles: each runs on its own clock from its segment's
 * start; {@code steady()} and {@code growth(pct_per_min)} without a start go on from the previous segment's last value.
 * </ul>
 */
public sealed interface Profile {
    /** The value at {@code t} seconds since the run's start, for a run with this seed. */
    double at(double t, long seed);

    /** The same profile with the phase names in its modifiers replaced by their start times (seconds). */
    default Profile resolve(Map<String, Double> phaseStarts) {
        return this;
    }

    /** Phase names this profile refers to. */
    default List<String> phases() {
        return List.of();
    }

    /** {@code steady(v)}; {@code steady()} inside {@code phases(...)} holds the previous segment's value (NaN here). */
    record Steady(double value) implements Profile {
        public double at(double t, long seed) {
            return value;
        }
    }

    /** {@code growth(start, pct_per_min)}: compounding; a NaN start goes on from the previous segment. */
    record Growth(double start, double pctPerMin) implements Profile {
        public double at(double t, long seed) {
            return start * Math.pow(1 + pctPerMin / 100, t / 60);
        }
    }

    /**
     * {@code random_walk(start, step, min, max)}: v(0) = start clamped; v(s) = clamp(v(s-1) + u_s · step) for each whole
     * second s, u_s uniform in [-1, 1] drawn from (seed, stream, s). The last computed second is cached, so walking
     * forward costs one step a second.
     */
    final class RandomWalk implements Profile {
        private final double start, step, min, max;
        private final long stream;
        private long cachedSeed;
        private long cachedSecond = -1;
        private double cachedValue;

        public RandomWalk(double start, double step, double min, double max, long stream) {
            this.start = start;
            this.step = step;
            this.min = min;
            this.max = max;
            this.stream = stream;
        }

        public double min() {
            return min;
        }

        public double max() {
            return max;
        }

        public synchronized double at(double t, long seed) {
            long s = (long) Math.floor(Math.max(0, t));
            if (cachedSecond < 0 || cachedSeed != seed || s < cachedSecond) {
                cachedSeed = seed;
                cachedSecond = 0;
                cachedValue = clamp(start);
            }
            while (cachedSecond < s) {
                cachedSecond++;
                double u = SplitMix.uniform(seed, stream, cachedSecond) * 2 - 1;
                cachedValue = clamp(cachedValue + u * step);
            }
            return cachedValue;
        }

        private double clamp(double v) {
            return Math.max(min, Math.min(max, v));
        }
    }

    /** When a modifier acts: seconds since the run's start, or a phase's start (by name, until resolved). */
    record At(double seconds, String phase) {
        static At of(double seconds) {
            return new At(seconds, null);
        }

        At resolve(Map<String, Double> starts) {
            return phase == null ? this : of(starts.get(phase));
        }
    }

    /** A multiplier of a base profile over time. */
    sealed interface Modifier {
        double factor(double t);

        Modifier resolve(Map<String, Double> starts);

        At at();
    }

    /** {@code crash(at, drop_pct, recover_over)}: recoverOver infinite for {@code never}. */
    record Crash(At at, double dropPct, double recoverOver) implements Modifier {
        public double factor(double t) {
            double from = at.seconds();
            if (t < from) return 1;
            double left = recoverOver == 0 ? 0 : Math.max(0, 1 - (t - from) / recoverOver);
            return 1 - dropPct / 100 * left;
        }

        public Modifier resolve(Map<String, Double> starts) {
            return new Crash(at.resolve(starts), dropPct, recoverOver);
        }
    }

    /** {@code spike(at, factor, for)}. */
    record Spike(At at, double times, double lasting) implements Modifier {
        public double factor(double t) {
            double from = at.seconds();
            return t >= from && t < from + lasting ? times : 1;
        }

        public Modifier resolve(Map<String, Double> starts) {
            return new Spike(at.resolve(starts), times, lasting);
        }
    }

    /** A base with its modifiers, applied in order. */
    record Modified(Profile base, List<Modifier> modifiers) implements Profile {
        public Modified {
            modifiers = List.copyOf(modifiers);
        }

        public double at(double t, long seed) {
            double v = base.at(t, seed);
            for (Modifier m : modifiers) v *= m.factor(t);
            return v;
        }

        public Profile resolve(Map<String, Double> starts) {
            return new Modified(base.resolve(starts), modifiers.stream().map(m -> m.resolve(starts)).toList());
        }

        public List<String> phases() {
            java.util.List<String> out = new java.util.ArrayList<>(base.phases());
            for (Modifier m : modifiers) if (m.at().phase() != null) out.add(m.at().phase());
            return out;
        }
    }

    /** One segment of {@code phases(...)}: a profile for a length of time (infinite for the last one). */
    record Segment(Profile profile, double seconds) {}

    /**
     * {@code phases(...)}: each segment runs on its own clock from its start; a segment whose base has no start value
     * ({@code steady()}, {@code growth(pct)}) goes on from the previous segment's value at its end.
     */
    final class Chain implements Profile {
        private final List<Segment> segments;
        private long cachedSeed;
        private Profile[] bound;

        public Chain(List<Segment> segments) {
            this.segments = List.copyOf(segments);
        }

        public List<Segment> segments() {
            return segments;
        }

        public double at(double t, long seed) {
            Profile[] ps = bind(seed);
            double from = 0;
            for (int i = 0; i < ps.length; i++) {
                double len = segments.get(i).seconds();
                if (t < from + len || i == ps.length - 1) return ps[i].at(Math.max(0, t - from), seed);
                from += len;
            }
            throw new IllegalStateException("a chain has at least one segment");
        }

        /** The segments with their missing start values filled in from the previous segment's end, for this seed. */
        private synchronized Profile[] bind(long seed) {
            if (bound != null && cachedSeed == seed) return bound;
            Profile[] out = new Profile[segments.size()];
            double last = 0;
            for (int i = 0; i < out.length; i++) {
                out[i] = continueFrom(segments.get(i).profile(), last);
                last = out[i].at(segments.get(i).seconds(), seed);
            }
            cachedSeed = seed;
            bound = out;
            return out;
        }

        private static Profile continueFrom(Profile p, double last) {
            if (p instanceof Steady s && Double.isNaN(s.value())) return new Steady(last);
            if (p instanceof Growth g && Double.isNaN(g.start())) return new Growth(last, g.pctPerMin());
            if (p instanceof Modified m) return new Modified(continueFrom(m.base(), last), m.modifiers());
            return p;
        }

        public Profile resolve(Map<String, Double> starts) {
            return new Chain(segments.stream().map(s -> new Segment(s.profile().resolve(starts), s.seconds())).toList());
        }

        public List<String> phases() {
            return segments.stream().flatMap(s -> s.profile().phases().stream()).toList();
        }
    }
}
