package io.longrun.experiment;

import io.longrun.scenario.Experiment.Signal;
import java.util.Locale;

/**
 * When a signal is within tolerance of its baseline, and how that reads in words.
 *
 * <p>With {@code tol = tolerance_pct / 100}:
 * <ul>
 *   <li>error rate (%): out when {@code v > base + max(base × tol, 1 point)};</li>
 *   <li>p95 (ms): out when {@code v > base + max(base × tol, 10 ms)};</li>
 *   <li>throughput and ingest (share of the schedule's planned/s): out when {@code v < base × (1 - tol)}.</li>
 * </ul>
 * The floors keep a near-zero baseline judgeable: 0 % errors × 1.25 is still 0 %, so a single failed request would
 * count as an impact, and a 2 ms p95 would be out at 2.6 ms, which one garbage collection does.
 */
public final class Tolerance {
    /** The least error rate rise that counts, in percentage points. */
    public static final double ERROR_FLOOR_POINTS = 1.0;
    /** The least p95 rise that counts, in ms. */
    public static final double P95_FLOOR_MS = 10.0;

    private final double tol;

    public Tolerance(double tolerancePct) {
        this.tol = tolerancePct / 100;
    }

    public double pct() {
        return tol * 100;
    }

    /** Whether higher is worse for this signal. */
    public static boolean higherIsWorse(Signal s) {
        return s == Signal.ERROR_RATE || s == Signal.P95;
    }

    /** The value beyond which the signal is out. */
    public double limit(Signal s, double base) {
        return switch (s) {
            case ERROR_RATE -> base + Math.max(base * tol, ERROR_FLOOR_POINTS);
            case P95 -> base + Math.max(base * tol, P95_FLOOR_MS);
            case THROUGHPUT, INGEST -> base * (1 - tol);
        };
    }

    /** Whether {@code v} is out of tolerance; NaN (no figure) never is. */
    public boolean out(Signal s, double v, double base) {
        if (Double.isNaN(v) || Double.isNaN(base)) return false;
        return higherIsWorse(s) ? v > limit(s, base) : v < limit(s, base);
    }

    /** Whether {@code a} is worse than {@code b} for this signal (NaN is never worse). */
    public static boolean worse(Signal s, double a, double b) {
        if (Double.isNaN(a)) return false;
        if (Double.isNaN(b)) return true;
        return higherIsWorse(s) ? a > b : a < b;
    }

    /** "above 1.25 × baseline 41 ms" or "above baseline 0.0 % + the 1-point floor". */
    public String limitText(Signal s, double base) {
        String factor = String.format(Locale.ROOT, "%.2f", higherIsWorse(s) ? 1 + tol : 1 - tol);
        return switch (s) {
            case ERROR_RATE -> base * tol >= ERROR_FLOOR_POINTS ? "above " + factor + " × baseline " + value(s, base)
                    : "above baseline " + value(s, base) + " + the " + fmt(ERROR_FLOOR_POINTS) + "-point floor";
            case P95 -> base * tol >= P95_FLOOR_MS ? "above " + factor + " × baseline " + value(s, base)
                    : "above baseline " + value(s, base) + " + the " + fmt(P95_FLOOR_MS) + " ms floor";
            case THROUGHPUT, INGEST -> "below " + factor + " × baseline " + value(s, base);
        };
    }

    /** The signal's name in words. */
    public static String name(Signal s) {
        return switch (s) {
            case ERROR_RATE -> "error rate";
            case P95 -> "p95";
            case THROUGHPUT -> "throughput";
            case INGEST -> "ingest";
        };
    }

    /** A value in words: "41 ms", "2.5 %", "97 % of schedule". */
    public static String value(Signal s, double v) {
        if (Double.isNaN(v)) return "–";
        return switch (s) {
            case ERROR_RATE -> String.format(Locale.ROOT, "%.1f %%", v);
            case P95 -> fmt(v) + " ms";
            case THROUGHPUT, INGEST -> String.format(Locale.ROOT, "%.0f %% of schedule", v * 100);
        };
    }

    static String fmt(double v) {
        if (Math.abs(v) >= 100 || v == Math.rint(v)) return String.format(Locale.ROOT, "%.0f", v);
        return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.2f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
