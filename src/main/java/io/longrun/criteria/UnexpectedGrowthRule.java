package io.longrun.criteria;

import io.longrun.scenario.Conditions;
import io.longrun.scenario.Durations;
import io.longrun.scenario.Num;
import io.longrun.scenario.Scenario;
import io.longrun.watch.DbSample;
import java.util.Locale;

/**
 * {@code unexpected_growth: { table: T, per_accepted_event: K, tolerance_pct: P, for: W }}: at each database sample,
 * against the newest earlier sample at least a span before it ({@link RowsSpan}: 1 s for counted rows, 10 s for
 * rows from the statistics), T grew by more or less than K rows per event accepted in between, by more than P% of
 * that (or, for K = 0, T grew at all). Requests in flight when a sample is taken, and the statistics' lag, make rows
 * and acceptances differ for a while: that is what the window W is for.
 */
final class UnexpectedGrowthRule extends BaseRule {
    private final Conditions.UnexpectedGrowth c;
    private final RowsSpan recent = new RowsSpan();

    UnexpectedGrowthRule(Scenario.StopRule spec, Conditions.UnexpectedGrowth c) {
        super(spec, c.window());
        this.c = c;
    }

    @Override
    public Reading onDb(DbSample s, long accepted) {
        DbSample.Table t = s.tables().get(c.table());
        if (t == null) return null;
        RowsSpan.Point base = recent.add(s.at(), t.rows(), accepted, t.method());
        if (base == null) return null;
        long rows = t.rows() - base.rows(), acc = accepted - base.accepted();
        double span = (s.at() - base.at()) / 60e9;
        double expected = acc * c.perAcceptedEvent();
        double allowed = expected * c.tolerancePct() / 100;
        boolean breached = Math.abs(rows - expected) > allowed;
        double perEvent = acc == 0 ? (rows == 0 ? c.perAcceptedEvent() : Double.POSITIVE_INFINITY) : (double) rows / acc;
        String model = c.perAcceptedEvent() == 0 ? "expected static" : "expected " + Num.text(c.perAcceptedEvent()) + " per accepted event ±"
                + Num.text(c.tolerancePct()) + "%";
        return new Reading(breached, Double.isInfinite(perEvent) ? rows : perEvent, c.perAcceptedEvent(), String.format(Locale.ROOT,
                "table %s grew %d rows for %d accepted events over %.1f min (%s row(s) per event, %.1f rows/min); %s, for %s",
                c.table(), rows, acc, span, acc == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", perEvent), rows / span, model,
                Durations.format(c.window())));
    }
}
