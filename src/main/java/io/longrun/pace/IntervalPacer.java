package io.longrun.pace;

import io.longrun.random.SplitMix;

/**
 * Seed 002's emitter: it sends, then waits {@code interval ± jitter} (drawn uniformly), and again, inside its
 * window. Its first event comes at a seeded offset within the first interval, so that N emitters of a pool do not
 * all start on the same instant. Pure: the gaps are seeded draws for (seed, stream, index).
 */
public final class IntervalPacer implements DueTimes {
    private final double interval, jitter, end;
    private final long seed, stream;
    private double next;
    private long index;

    public IntervalPacer(double intervalSeconds, double jitterSeconds, double start, double end, long seed, long stream) {
        if (!(intervalSeconds > 0)) throw new IllegalArgumentException("interval must be > 0");
        if (!(jitterSeconds >= 0 && jitterSeconds < intervalSeconds)) throw new IllegalArgumentException("jitter must be in [0, interval)");
        this.interval = intervalSeconds;
        this.jitter = jitterSeconds;
        this.end = end;
        this.seed = seed;
        this.stream = stream;
        this.next = start + SplitMix.uniform(seed, stream, -1) * intervalSeconds;
    }

    @Override
    public long nextIndex() {
        return index;
    }

    @Override
    public double nextDue() {
        if (next >= end) return Double.POSITIVE_INFINITY;
        double due = next;
        next = due + interval + jitter * (2 * SplitMix.uniform(seed, stream, index) - 1);
        index++;
        return due;
    }
}
