package io.longrun.watch;

import io.longrun.db.StatsQuery.Leaf;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A table's rows from PostgreSQL's statistics: the exact count at its base, plus, at every poll, the change the
 * counters show since the previous one, summed over the table's leaves (itself, or its partitions). Per leaf, as
 * checked on PostgreSQL 15 and 18 (README, "Database watcher"):
 * <pre>
 *   no vacuum or analyze in between:   Δ = Δn_live_tup             (committed inserts − committed deletes; an
 *                                                                   aborted insert, a late ON CONFLICT, an update
 *                                                                   leave it)
 *   a vacuum or analyze in between:    Δ = Δn_tup_ins − Δn_tup_del (they overwrite n_live_tup with an estimate;
 *                                                                   aborted inserts and deletes count here)
 *   a counter went down (a reset):     Δ = max(0, n_live_tup), or max(0, n_tup_ins − n_tup_del) when a vacuum or
 *                                          analyze ran since: what the counters show since the reset, never less
 * </pre>
 * A leaf rewritten since (TRUNCATE) is counted exactly instead ({@link #rewritten}). Leaves are kept by oid: a partition attached while running counts from the poll that first sees it (its rows
 * until then are not growth), a detached one stops counting; neither reads as a reset or a jump.
 */
final class StatsRows {
    private Map<Long, Leaf> leaves = new HashMap<>();
    private long rows;

    /** The rows now, and whether a statistics reset was seen in this step. */
    record Step(long rows, boolean reset) {}

    /** Starts again from an exact count, with the counters read just before it. */
    void rebase(List<Leaf> now, long exact) {
        leaves = byOid(now);
        rows = exact;
    }

    long rows() {
        return rows;
    }

    Step update(List<Leaf> now) {
        long delta = 0;
        boolean reset = false;
        for (Leaf c : now) {
            Leaf p = leaves.get(c.oid());
            if (p == null) continue; // new since the previous poll: counted from here on
            if (wentDown(p, c)) {
                reset = true;
                delta += Math.max(0, c.maintenance() == 0 ? c.live() : c.inserted() - c.deleted());
            } else if (c.maintenance() != p.maintenance()) {
                delta += (c.inserted() - p.inserted()) - (c.deleted() - p.deleted());
            } else {
                delta += c.live() - p.live();
            }
        }
        leaves = byOid(now);
        rows = Math.max(0, rows + delta);
        return new Step(rows, reset);
    }

    /**
     * Whether a leaf seen before has another file node: it was rewritten. TRUNCATE sets n_live_tup to 0, which
     * reads as the right drop only while n_live_tup held the table's rows (not after a statistics reset, for one);
     * VACUUM FULL and CLUSTER rewrite without changing the rows. The statistics cannot tell them apart: the
     * watcher counts such a table exactly, once, and starts again from there.
     */
    boolean rewritten(List<Leaf> now) {
        for (Leaf c : now) {
            Leaf p = leaves.get(c.oid());
            if (p != null && p.filenode() != c.filenode()) return true;
        }
        return false;
    }

    /** A cumulative counter that went down: the table's statistics were reset (or lost in a crash). */
    static boolean wentDown(Leaf p, Leaf c) {
        return c.inserted() < p.inserted() || c.deleted() < p.deleted() || c.updated() < p.updated() || c.maintenance() < p.maintenance()
                || c.reads() < p.reads();
    }

    private static Map<Long, Leaf> byOid(List<Leaf> leaves) {
        Map<Long, Leaf> m = new HashMap<>();
        for (Leaf l : leaves) m.put(l.oid(), l);
        return m;
    }
}
