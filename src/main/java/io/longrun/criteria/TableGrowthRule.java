package io.longrun.criteria;

import io.longrun.scenario.Durations;
import io.longrun.scenario.Num;
import io.longrun.scenario.Scenario;
import io.longrun.watch.DbSample;
import java.util.Locale;

/**
 * {@code table_growth: { table: T, above_per_min: N, for: W }}: between consecutive database samples, T grew
 * faster than N rows per minute, throughout W. A sample without the table (the database did not answer)
 * carries the previous state, and so does one less than a second after the previous reading.
 */
final class TableGrowthRule extends BaseRule {
    static final long MIN_SPAN = 1_000_000_000L;
    private final Scenario.TableGrowth c;
    private long prevAt = Long.MIN_VALUE, prevRows;

    TableGrowthRule(Scenario.StopRule spec, Scenario.TableGrowth c) {
        super(spec, c.window());
        this.c = c;
    }

    @Override
    public Reading onDb(DbSample s, long accepted) {
        DbSample.Table t = s.tables().get(c.table());
        if (t == null) return null;
        if (prevAt == Long.MIN_VALUE) {
            prevAt = s.at();
            prevRows = t.rows();
            return null;
        }
        // A rate over less than a second is noise (the final sample comes right after the last timed one).
        if (s.at() - prevAt < MIN_SPAN) return null;
        double perMin = (t.rows() - prevRows) * 60e9 / (s.at() - prevAt);
        prevAt = s.at();
        prevRows = t.rows();
        return new Reading(perMin > c.abovePerMin(), perMin, c.abovePerMin(), String.format(Locale.ROOT,
                "table %s grew %.1f rows/min (now %d rows); threshold: above %s/min for %s",
                c.table(), perMin, t.rows(), Num.text(c.abovePerMin()), Durations.format(c.window())));
    }
}
