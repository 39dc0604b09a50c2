package io.longrun.report;

import java.util.Arrays;

/**
 * A series over time in at most {@code capacity} buckets of equal width, so that a report of a 6-hour run holds
 * as little as one of a minute's. When a sample falls beyond the last bucket, the width doubles and each pair of
 * neighbours merges into one: memory is fixed, and each bucket still covers an equal share of the run.
 *
 * <p>Each column is aggregated its own way: counts are summed, percentiles keep the highest (a spike is never
 * averaged away), levels such as row counts keep the last value. A NaN value is "no value" and is ignored.
 */
final class Buckets {
    /** How the samples that share a bucket combine. */
    enum Agg { SUM, MAX, MEAN, LAST }

    private final Agg[] aggs;
    private final int capacity;
    private final double t0;
    private double width;
    private final double[] tSum, tLast;
    private final int[] n;
    private final double[][] v;
    private final int[][] counts;
    private int used; // buckets [0, used) may hold samples

    /** Buckets from {@code t0} (seconds), first {@code width} seconds wide. */
    Buckets(double t0, double width, int capacity, Agg... aggs) {
        if (capacity < 2 || capacity % 2 != 0) throw new IllegalArgumentException("capacity must be even and at least 2, got " + capacity);
        this.aggs = aggs.clone();
        this.capacity = capacity;
        this.t0 = t0;
        this.width = width;
        tSum = new double[capacity];
        tLast = new double[capacity];
        Arrays.fill(tLast, Double.NEGATIVE_INFINITY);
        n = new int[capacity];
        v = new double[aggs.length][capacity];
        counts = new int[aggs.length][capacity];
    }

    /** Adds a sample at time t (seconds) with one value per column. */
    void add(double t, double... values) {
        int i = (int) Math.floor((t - t0) / width);
        if (i < 0) i = 0; // a sample stamped a little before the first one
        while (i >= capacity) {
            compact();
            i = (int) Math.floor((t - t0) / width);
        }
        used = Math.max(used, i + 1);
        boolean latest = t >= tLast[i];
        tSum[i] += t;
        n[i]++;
        if (latest) tLast[i] = t;
        for (int c = 0; c < aggs.length; c++) {
            double x = values[c];
            if (Double.isNaN(x)) continue;
            int k = counts[c][i]++;
            switch (aggs[c]) {
                case SUM, MEAN -> v[c][i] += x;
                case MAX -> v[c][i] = k == 0 ? x : Math.max(v[c][i], x);
                case LAST -> {
                    if (latest || k == 0) v[c][i] = x;
                }
            }
        }
    }

    /** Doubles the width: buckets 2j and 2j+1 become bucket j. */
    private void compact() {
        width *= 2;
        int half = capacity / 2;
        for (int j = 0; j < half; j++) {
            int a = 2 * j, b = a + 1;
            boolean bLater = tLast[b] >= tLast[a] && n[b] > 0;
            for (int c = 0; c < aggs.length; c++) {
                int ca = counts[c][a], cb = counts[c][b];
                double va = v[c][a], vb = v[c][b], merged = switch (aggs[c]) {
                    case SUM, MEAN -> va + vb;
                    case MAX -> ca == 0 ? vb : cb == 0 ? va : Math.max(va, vb);
                    case LAST -> cb > 0 && (bLater || ca == 0) ? vb : va;
                };
                v[c][j] = merged;
                counts[c][j] = ca + cb;
            }
            tSum[j] = tSum[a] + tSum[b];
            n[j] = n[a] + n[b];
            tLast[j] = Math.max(tLast[a], tLast[b]);
        }
        for (int j = half; j < capacity; j++) {
            tSum[j] = 0;
            n[j] = 0;
            tLast[j] = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < aggs.length; c++) {
                v[c][j] = 0;
                counts[c][j] = 0;
            }
        }
        used = (used + 1) / 2;
    }

    /** The seconds each bucket covers now. */
    double width() {
        return width;
    }

    /** The buckets that hold samples, in time order: {@code [0]} the mean sample time of each, then one array per column (NaN: no value). */
    double[][] points() {
        int m = 0;
        for (int i = 0; i < used; i++) if (n[i] > 0) m++;
        double[][] out = new double[aggs.length + 1][m];
        int k = 0;
        for (int i = 0; i < used; i++) {
            if (n[i] == 0) continue;
            out[0][k] = tSum[i] / n[i];
            for (int c = 0; c < aggs.length; c++) {
                int cnt = counts[c][i];
                out[c + 1][k] = cnt == 0 ? Double.NaN : aggs[c] == Agg.MEAN ? v[c][i] / cnt : v[c][i];
            }
            k++;
        }
        return out;
    }
}
