package io.longrun.watch;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A table's rows counted past high-water marks of an increasing, indexed key. Each poll leaves a mark: the highest
 * key counted so far and the rows up to it. The next poll counts the rows past an earlier mark (an index range
 * scan over just the rows added since) and adds them to that mark's rows:
 * <pre>
 *   rows(now) = rows(anchor) + count(key > key(anchor)),   anchor = the mark {@link #BACK} polls ago
 * </pre>
 * Counting from a mark a few polls back, not the last one, takes in the rows that committed after a poll with a
 * key below its mark (a transaction that took its key, then committed late). The last count goes back to the
 * oldest mark kept, {@code trailing} ago (the lag allowance), so that rows_end holds every row that committed
 * within it. Rows deleted, or added with a key below a mark older than that, are not seen: keyset is for tables
 * that are only appended to.
 */
final class KeysetRows {
    /** How many polls back a running count starts. */
    static final int BACK = 2;

    /** A mark: when it was taken, the highest key counted (as text; null while the table was empty), the rows up to it. */
    record Mark(long at, String key, long rows) {}

    private final long trailing;
    private final ArrayDeque<Mark> marks = new ArrayDeque<>();

    /** @param trailing how long marks are kept, in nanoseconds: the window recounted at the end */
    KeysetRows(long trailing) {
        this.trailing = trailing;
    }

    /** Starts again from a full count, with the highest key it saw. */
    void rebase(long at, long rows, String max) {
        marks.clear();
        marks.addLast(new Mark(at, max, rows));
    }

    boolean based() {
        return !marks.isEmpty();
    }

    long rows() {
        return marks.peekLast().rows();
    }

    /** Where the next count starts: {@link #BACK} polls ago while running, the oldest mark kept at the end. */
    Mark anchor(boolean last) {
        if (last) return marks.peekFirst();
        Iterator<Mark> it = marks.descendingIterator();
        Mark m = it.next();
        for (int i = 0; i < BACK && it.hasNext(); i++) m = it.next();
        return m;
    }

    /**
     * Adds the count past {@code anchor} as a new mark and returns the rows now.
     *
     * @param max the highest key among the rows counted, null when there were none
     */
    long add(long at, Mark anchor, long past, String max) {
        Mark m = new Mark(at, max == null ? anchor.key() : max, anchor.rows() + past);
        marks.addLast(m);
        // keep enough marks that the oldest is at least `trailing` old, and always enough to count BACK polls back
        while (marks.size() > BACK + 1 && at - second().at() >= trailing) marks.removeFirst();
        return m.rows();
    }

    private Mark second() {
        Iterator<Mark> it = marks.iterator();
        it.next();
        return it.next();
    }
}
