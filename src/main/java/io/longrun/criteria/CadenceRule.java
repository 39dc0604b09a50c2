package io.longrun.criteria;

import io.longrun.scenario.Conditions;
import io.longrun.scenario.Durations;
import io.longrun.scenario.Num;
import io.longrun.scenario.Scenario;
import io.longrun.watch.DbSample;
import io.longrun.watch.LogSample;
import java.util.Locale;

/**
 * {@code cadence: { log_regex: R | table: T, max_per_min: N, min_per_min: M, for: W }}: a scheduler's beat, as log
 * lines matching R or rows added to T, counted over the last minute: above N is a hot loop or a too-frequent tick;
 * below M (judged only once a whole minute has been watched) is a scheduler that stopped.
 */
final class CadenceRule extends BaseRule {
    private final Conditions.Cadence c;
    private final Windowed minute = new Windowed(60_000_000_000L);
    private long prevRows = -1;

    CadenceRule(Scenario.StopRule spec, Conditions.Cadence c) {
        super(spec, c.window());
        this.c = c;
    }

    @Override
    public Reading onLog(LogSample s) {
        if (c.logRegex().isEmpty()) return null;
        return judge(s.at(), s.matches().getOrDefault(c.logRegex().get(), 0L));
    }

    @Override
    public Reading onDb(DbSample s, long accepted) {
        if (c.table().isEmpty()) return null;
        DbSample.Table t = s.tables().get(c.table().get());
        if (t == null) return null;
        long added = prevRows < 0 ? 0 : Math.max(0, t.rows() - prevRows);
        boolean firstSample = prevRows < 0;
        prevRows = t.rows();
        Reading r = judge(s.at(), added);
        return firstSample ? null : r;
    }

    private Reading judge(long at, long n) {
        long perMin = minute.add(at, n);
        boolean tooMany = perMin > c.maxPerMin();
        boolean tooFew = c.minPerMin() > 0 && minute.full(at) && perMin < c.minPerMin();
        return new Reading(tooMany || tooFew, perMin, tooFew ? c.minPerMin() : c.maxPerMin(), String.format(Locale.ROOT,
                "%d %s in the last minute; expected %s per minute%s", perMin, c.what(),
                (c.minPerMin() > 0 ? Num.text(c.minPerMin()) + ".." : "at most ") + Num.text(c.maxPerMin()),
                c.window().isZero() ? "" : " (for " + Durations.format(c.window()) + ")"));
    }
}
