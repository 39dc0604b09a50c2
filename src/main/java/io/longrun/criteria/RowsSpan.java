package io.longrun.criteria;

import io.longrun.scenario.WatchedTable.Counting;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A table's recent figures, for growth over a span long enough for how the rows were counted: each new figure is
 * compared with the newest one at least {@link #span} before it. Memory: the figures of the longest span.
 */
final class RowsSpan {
    /**
     * Counted rows (exact, keyset): a rate over less than a second is noise (the final figure comes right after the
     * last timed one).
     */
    static final long COUNTED = 1_000_000_000L;
    /**
     * Rows from the statistics: a busy writer's changes reach them about a second late, and the last changes before
     * a writer goes quiet up to 10 s late (PostgreSQL's PGSTAT_IDLE_INTERVAL). Over 10 s, that second is a tenth of
     * the span at most, where over a 1 s span it would read as no growth, then double.
     */
    static final long STATS = 10_000_000_000L;

    /** A figure: when, the rows, and the events accepted by then. */
    record Point(long at, long rows, long accepted) {}

    private final ArrayDeque<Point> points = new ArrayDeque<>();

    static long span(Counting method) {
        return method == Counting.STATS ? STATS : COUNTED;
    }

    /** Adds a figure and returns the newest earlier one at least its method's span before it, or null while there is none. */
    Point add(long at, long rows, long accepted, Counting method) {
        long span = span(method);
        Point base = null;
        for (Iterator<Point> it = points.descendingIterator(); it.hasNext(); ) {
            Point p = it.next();
            if (at - p.at() >= span) {
                base = p;
                break;
            }
        }
        points.addLast(new Point(at, rows, accepted));
        // keep what the longest span can still need: every point after the newest one at least STATS old
        while (points.size() > 1 && at - second().at() >= STATS) points.removeFirst();
        return base;
    }

    private Point second() {
        Iterator<Point> it = points.iterator();
        it.next();
        return it.next();
    }
}
