package io.longrun.deliver;

import org.HdrHistogram.Histogram;

/** Latency percentiles in milliseconds, read from a histogram of microseconds. */
public record Latency(long count, double p50, double p95, double p99, double max) {
    public static final Latency NONE = new Latency(0, 0, 0, 0, 0);

    /** The percentiles of a histogram of microseconds. */
    public static Latency of(Histogram h) {
        if (h.getTotalCount() == 0) return NONE;
        return new Latency(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)),
                ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()));
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }
}
