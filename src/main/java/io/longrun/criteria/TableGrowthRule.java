package io.longrun.criteria;

import io.longrun.scenario.Durations;
import io.longrun.scenario.Num;
import io.longrun.scenario.Scenario;
import io.longrun.watch.DbSample;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code table_growth: { table: T, above_per_min: N, for: W }}: between consecutive database samples, T grew
 * faster than N rows per minute, throughout W. A sample without the table (the database did not answer)
 * carries the previous state.
 */
final class TableGrowthRule implements Rule {
    private final Scenario.StopRule spec;
    private final Scenario.TableGrowth c;
    private long prevAt = Long.MIN_VALUE, prevRows;

    TableGrowthRule(Scenario.StopRule spec, Scenario.TableGrowth c) {
        this.spec = spec;
        this.c = c;
    }

    @Override
    public Scenario.StopRule spec() {
        return spec;
    }

    @Override
    public Duration window() {
        return c.window();
    }

    @Override
    public Reading onDb(DbSample s) {
        DbSample.Table t = s.tables().get(c.table());
        if (t == null) return null;
        if (prevAt == Long.MIN_VALUE || s.at() <= prevAt) {
            prevAt = s.at();
            prevRows = t.rows();
            return null;
        }
        double perMin = (t.rows() - prevRows) * 60e9 / (s.at() - prevAt);
        prevAt = s.at();
        prevRows = t.rows();
        return new Reading(perMin > c.abovePerMin(), perMin, c.abovePerMin(), String.format(Locale.ROOT,
                "table %s grew %.1f rows/min (now %d rows); threshold: above %s/min for %s",
                c.table(), perMin, t.rows(), Num.text(c.abovePerMin()), Durations.format(c.window())));
    }
}
