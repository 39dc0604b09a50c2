package io.longrun.report;

/**
 * An ordinary least-squares line y = intercept + slope × x, fitted as samples arrive, in constant memory.
 *
 * <p>Sums are kept as Welford's running means and co-moments, which stay exact where the textbook sums
 * (Σx, Σx², …) lose digits: x in seconds since the run's start and y in rows or bytes can both be large.
 * <pre>
 *   Sxx = Σ(x − x̄)²,  Sxy = Σ(x − x̄)(y − ȳ),  Syy = Σ(y − ȳ)²
 *   slope = Sxy / Sxx,  intercept = ȳ − slope × x̄,  R² = Sxy² / (Sxx × Syy)
 * </pre>
 * With fewer than two distinct x the line is undefined: slope, intercept and R² are NaN. A flat series (every
 * y equal) has slope 0 and R² 1: the line passes through every sample, nothing is left unexplained.
 */
public final class Growth {
    private long n;
    private double meanX, meanY, sxx, sxy, syy;

    /** A line fitted to the points (xs[i], ys[i]). */
    public static Growth of(double[] xs, double[] ys) {
        if (xs.length != ys.length) throw new IllegalArgumentException("xs and ys differ in length: " + xs.length + " and " + ys.length);
        Growth g = new Growth();
        for (int i = 0; i < xs.length; i++) g.add(xs[i], ys[i]);
        return g;
    }

    /** Adds one sample. */
    public void add(double x, double y) {
        n++;
        double dx = x - meanX, dy = y - meanY;
        meanX += dx / n;
        meanY += dy / n;
        sxx += dx * (x - meanX);
        sxy += dx * (y - meanY);
        syy += dy * (y - meanY);
    }

    /** The number of samples. */
    public long n() {
        return n;
    }

    /** Whether a line is defined: at least two samples at different x. */
    public boolean defined() {
        return n >= 2 && sxx > 0;
    }

    /** Change of y per unit of x; NaN when undefined. */
    public double slope() {
        return defined() ? sxy / sxx : Double.NaN;
    }

    /** y at x = 0; NaN when undefined. */
    public double intercept() {
        return defined() ? meanY - slope() * meanX : Double.NaN;
    }

    /** The share of y's variance the line explains, 0..1; 1 for a flat series; NaN when undefined. */
    public double r2() {
        if (!defined()) return Double.NaN;
        if (syy == 0) return 1;
        return Math.min(1, sxy * sxy / (sxx * syy));
    }

    /** The line's y at x; NaN when undefined. */
    public double at(double x) {
        return defined() ? intercept() + slope() * x : Double.NaN;
    }

    /** The x at which the line reaches y; NaN when undefined or flat, and when it only gets there going back in x from {@code from}. */
    public double when(double y, double from) {
        double s = slope();
        if (!defined() || s == 0) return Double.NaN;
        double x = (y - intercept()) / s;
        return x >= from ? x : Double.NaN;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "Growth{n=%d, slope=%.6g, intercept=%.6g, r2=%.4f}", n, slope(), intercept(), r2());
    }
}
