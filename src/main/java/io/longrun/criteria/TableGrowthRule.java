package io.longrun.criteria;

import io.longrun.scenario.Durations;
import io.longrun.scenario.Num;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.WatchedTable;
import io.longrun.watch.DbSample;
import java.util.Locale;

/**
 * {@code table_growth: { table: T, above_per_min: N, for: W }}: T grew faster than N rows per minute, measured at
 * each database sample against the newest earlier sample at least a span before it ({@link RowsSpan}: 1 s for
 * counted rows, 10 s for rows from the statistics), throughout W. A sample without the table's rows (the database
 * did not answer, or a count was skipped behind a lock) carries the previous state.
 */
final class TableGrowthRule extends BaseRule {
    private final Scenario.TableGrowth c;
    private final RowsSpan span = new RowsSpan();

    TableGrowthRule(Scenario.StopRule spec, Scenario.TableGrowth c) {
        super(spec, c.window());
        this.c = c;
    }

    @Override
    public Reading onDb(DbSample s, long accepted) {
        DbSample.Table t = s.tables().get(c.table());
        if (t == null) return null;
        RowsSpan.Point base = span.add(s.at(), t.rows(), accepted, t.method());
        if (base == null) return null;
        double perMin = (t.rows() - base.rows()) * 60e9 / (s.at() - base.at());
        return new Reading(perMin > c.abovePerMin(), perMin, c.abovePerMin(), String.format(Locale.ROOT,
                "table %s grew %.1f rows/min (now %s%d rows); threshold: above %s/min for %s",
                c.table(), perMin, t.method() == WatchedTable.Counting.STATS ? "≈" : "", t.rows(), Num.text(c.abovePerMin()),
                Durations.format(c.window())));
    }
}
