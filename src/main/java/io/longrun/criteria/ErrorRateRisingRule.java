package io.longrun.criteria;

import io.longrun.scenario.Conditions;
import io.longrun.scenario.Durations;
import io.longrun.scenario.Num;
import io.longrun.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * {@code error_rate_rising: { for: W, min_rise_pct: P }}: over the last W the error rate rose and did not settle.
 * The window is cut into {@link #BUCKETS} buckets (memory is bounded whatever W is); the rule judges only once the
 * buckets span W, and the condition holds when all three are true:
 * <ol>
 *   <li>the least-squares slope of the error rate over W is positive, with a t-statistic of at least 3 (not noise);</li>
 *   <li>the fitted rise over W is at least P percentage points (default 1);</li>
 *   <li>it has not settled: over the last quarter of W the slope is still at least a quarter of the slope over W
 *       (a rate that rose and then levelled off is a step, which error_rate judges, not a rise).</li>
 * </ol>
 */
final class ErrorRateRisingRule extends BaseRule {
    static final int BUCKETS = 120;
    private final Conditions.ErrorRateRising c;
    private final long width;
    private final ArrayDeque<long[]> buckets = new ArrayDeque<>(); // {index, errors, completed}
    private long first = Long.MIN_VALUE;

    ErrorRateRisingRule(Scenario.StopRule spec, Conditions.ErrorRateRising c) {
        super(spec, Duration.ZERO);
        this.c = c;
        this.width = Math.max(1, c.window().toNanos() / BUCKETS);
    }

    @Override
    public Reading onTick(TickSample s) {
        if (first == Long.MIN_VALUE) first = s.at();
        long index = (s.at() - first) / width;
        if (buckets.isEmpty() || buckets.peekLast()[0] != index) buckets.addLast(new long[] {index, 0, 0});
        long[] b = buckets.peekLast();
        b[1] += s.errors();
        b[2] += s.completed();
        while (!buckets.isEmpty() && index - buckets.peekFirst()[0] >= BUCKETS) buckets.removeFirst();
        if (s.at() - first < c.window().toNanos()) return null;
        return judge();
    }

    Reading judge() {
        int n = 0;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        double[] xs = new double[buckets.size()], ys = new double[buckets.size()];
        for (long[] b : buckets) {
            if (b[2] == 0) continue;
            double x = b[0] * (double) width / 60e9, y = 100.0 * b[1] / b[2]; // minutes, percent
            xs[n] = x;
            ys[n] = y;
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        if (n < 8) return null;
        double mx = sx / n, my = sy / n;
        double varx = sxx / n - mx * mx;
        if (varx <= 0) return null;
        double slope = (sxy / n - mx * my) / varx;   // points per minute
        double sse = 0;
        for (int i = 0; i < n; i++) {
            double r = ys[i] - (my + slope * (xs[i] - mx));
            sse += r * r;
        }
        double se = Math.sqrt(sse / Math.max(1, n - 2) / (varx * n));
        double t = se == 0 ? (slope > 0 ? Double.POSITIVE_INFINITY : 0) : slope / se;
        double rise = slope * (xs[n - 1] - xs[0]);
        double lastSlope = slope(xs, ys, n, xs[0] + (xs[n - 1] - xs[0]) * 0.75);
        boolean rising = slope > 0 && t >= 3 && rise >= c.minRisePct();
        boolean settled = !(lastSlope >= slope / 4);
        return new Reading(rising && !settled, rise, c.minRisePct(), String.format(Locale.ROOT,
                "error rate %s by %.2f points over the last %s (%.3f points/min, t = %.1f; %.3f points/min over its last quarter)%s; "
                        + "threshold: a rise of at least %s points that does not settle",
                slope > 0 ? "rose" : "fell", Math.abs(rise), Durations.format(c.window()), slope, t, lastSlope,
                rising && settled ? ", settled" : "", Num.text(c.minRisePct())));
    }

    /** The least-squares slope of the points from {@code from} on (NaN with fewer than three). */
    private static double slope(double[] xs, double[] ys, int n, double from) {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (xs[i] < from) continue;
            sx += xs[i];
            sy += ys[i];
            sxx += xs[i] * xs[i];
            sxy += xs[i] * ys[i];
            k++;
        }
        if (k < 3) return Double.NaN;
        double var = sxx / k - (sx / k) * (sx / k);
        return var <= 0 ? Double.NaN : (sxy / k - (sx / k) * (sy / k)) / var;
    }
}
