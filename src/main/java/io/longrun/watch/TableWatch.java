package io.longrun.watch;

import io.longrun.db.RowCounts;
import io.longrun.db.StatsQuery.Leaf;
import io.longrun.scenario.WatchedTable;
import io.longrun.scenario.WatchedTable.Counting;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * One watched table across the polls of a run: its first figure is an exact count (its base), every later one is
 * counted as its scenario says (stats, exact or keyset), and the last one is exact again (keyset: recounted over
 * the trailing window). A count that would wait behind another transaction's ACCESS EXCLUSIVE lock is not made:
 * the table has no figure in that poll, and the criteria keep their state. Statistics need no lock: a stats table
 * keeps its rows and carries only its size (marked skipped).
 */
final class TableWatch {
    /** Which poll: the base before the first event, a poll while running, the last after the drain. */
    enum Phase { BASELINE, RUNNING, FINAL }

    final WatchedTable spec;
    /** The table's place in database.tables, for messages. */
    final int index;
    long oid;
    /** The key column's type (format_type), for keyset. */
    String keyType;

    private final StatsRows stats = new StatsRows();
    private final KeysetRows keyset;
    private boolean based;
    private DbSample.Table last;

    TableWatch(WatchedTable spec, int index, long trailingNanos) {
        this.spec = spec;
        this.index = index;
        this.keyset = new KeysetRows(trailingNanos);
    }

    String name() {
        return spec.name();
    }

    /**
     * The table's figure in this poll, or null when its rows cannot be read in it: a count (or, for a stats table,
     * the exact count a rewrite calls for) that would wait behind another transaction's ACCESS EXCLUSIVE lock.
     *
     * @param leaves the table's leaves in this poll's statistics query
     * @param sizes  whether that query read sizes at all
     */
    DbSample.Table sample(Connection c, Phase phase, List<Leaf> leaves, boolean sizes, long at) throws SQLException {
        boolean locked = !sizes || leaves.stream().anyMatch(Leaf::locked);
        long bytes = locked ? (last == null ? 0 : last.bytes()) : leaves.stream().mapToLong(Leaf::bytes).sum();
        DbSample.Table t;
        if (!based || phase == Phase.BASELINE) {
            t = !locked && base(c, leaves, at) ? new DbSample.Table(rows(), bytes, Counting.EXACT, false, false) : null;
        } else if (spec.count() == Counting.STATS) {
            boolean rewritten = stats.rewritten(leaves);
            if ((phase == Phase.FINAL || rewritten) && !locked && base(c, leaves, at)) {
                t = new DbSample.Table(rows(), bytes, Counting.EXACT, false, false); // the last figure, or after a rewrite: counted
            } else if (rewritten) {
                t = null; // counted once it can be
            } else {
                StatsRows.Step s = stats.update(leaves);
                t = new DbSample.Table(s.rows(), bytes, Counting.STATS, s.reset(), locked);
            }
        } else if (locked) {
            t = null;
        } else if (spec.count() == Counting.EXACT) {
            Long n = unlessLocked(() -> RowCounts.exact(c, spec.name()));
            t = n == null ? null : new DbSample.Table(n, bytes, Counting.EXACT, false, false);
        } else {
            KeysetRows.Mark from = keyset.anchor(phase == Phase.FINAL);
            RowCounts.Past p = unlessLocked(() -> RowCounts.past(c, spec.name(), spec.key().orElseThrow(), keyType, from.key()));
            t = p == null ? null : new DbSample.Table(keyset.add(at, from, p.rows(), p.max()), bytes, Counting.KEYSET, false, false);
        }
        if (t != null) last = t;
        return t;
    }

    /** Counts the table exactly and starts its running figure from there; false when the count met a lock. */
    private boolean base(Connection c, List<Leaf> leaves, long at) throws SQLException {
        if (spec.count() == Counting.KEYSET) {
            RowCounts.Past p = unlessLocked(() -> RowCounts.past(c, spec.name(), spec.key().orElseThrow(), keyType, null));
            if (p == null) return false;
            keyset.rebase(at, p.rows(), p.max());
        } else {
            Long n = unlessLocked(() -> RowCounts.exact(c, spec.name()));
            if (n == null) return false;
            stats.rebase(leaves, n);
        }
        based = true;
        return true;
    }

    private long rows() {
        return spec.count() == Counting.KEYSET ? keyset.rows() : stats.rows();
    }

    private interface Count<T> {
        T run() throws SQLException;
    }

    /** The count, or null when it hit the lock time-out (a lock taken after the statistics query looked). */
    private static <T> T unlessLocked(Count<T> count) throws SQLException {
        try {
            return count.run();
        } catch (SQLException e) {
            if (RowCounts.LOCK_TIMEOUT.equals(e.getSQLState())) return null;
            throw e;
        }
    }
}
