package io.longrun.criteria;

import io.longrun.scenario.Conditions;
import io.longrun.scenario.Durations;
import io.longrun.scenario.Num;
import io.longrun.scenario.Scenario;
import io.longrun.watch.DbSample;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * {@code db_size_growth: { above_mb_per_hour: X, limit_mb: L, over: 5m, for: W }}: pg_database_size's least-squares
 * slope over the last {@code over} is above X MB/h, or, at that slope, the database passes L MB before the run's
 * planned end. It judges once it has three samples spanning at least half of {@code over}.
 */
final class DbSizeGrowthRule extends BaseRule {
    private final Conditions.DbSizeGrowth c;
    private final Duration runLength;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>(); // {at, bytes}
    private long first = Long.MIN_VALUE;

    DbSizeGrowthRule(Scenario.StopRule spec, Conditions.DbSizeGrowth c, Duration runLength) {
        super(spec, c.window());
        this.c = c;
        this.runLength = runLength;
    }

    @Override
    public Reading onDb(DbSample s, long accepted) {
        if (s.error().isPresent() || s.databaseBytes() <= 0) return null;
        if (first == Long.MIN_VALUE) first = s.at();
        samples.addLast(new long[] {s.at(), s.databaseBytes()});
        while (s.at() - samples.peekFirst()[0] > c.over().toNanos()) samples.removeFirst();
        if (samples.size() < 3 || s.at() - samples.peekFirst()[0] < c.over().toNanos() / 2) return null;
        double n = samples.size(), sx = 0, sy = 0, sxx = 0, sxy = 0;
        long x0 = samples.peekFirst()[0];
        for (long[] p : samples) {
            double x = (p[0] - x0) / 3600e9, y = p[1] / 1048576.0; // hours, MB
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double var = sxx / n - (sx / n) * (sx / n);
        if (var <= 0) return null;
        double mbPerHour = (sxy / n - (sx / n) * (sy / n)) / var;
        double nowMb = s.databaseBytes() / 1048576.0;
        double hoursLeft = Math.max(0, (runLength.toNanos() - (s.at() - first)) / 3600e9);
        double atEnd = nowMb + Math.max(0, mbPerHour) * hoursLeft;
        boolean fast = mbPerHour > c.aboveMbPerHour();
        boolean full = c.limitMb().isPresent() && atEnd > c.limitMb().get();
        return new Reading(fast || full, mbPerHour, c.aboveMbPerHour(), String.format(Locale.ROOT,
                "database %.1f MB, growing %.1f MB/h over the last %s; %.1f MB projected at the run's end%s%s", nowMb, mbPerHour,
                Durations.elapsed(Duration.ofNanos(s.at() - x0)), atEnd,
                Double.isInfinite(c.aboveMbPerHour()) ? "" : "; threshold: above " + Num.text(c.aboveMbPerHour()) + " MB/h",
                c.limitMb().map(l -> "; limit " + Num.text(l) + " MB").orElse("")));
    }
}
