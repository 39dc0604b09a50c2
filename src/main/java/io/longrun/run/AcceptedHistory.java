package io.longrun.run;

/**
 * The events accepted so far, as of each tick of the last {@code span} of monotonic time, for the loss probes that
 * ask what had been accepted a lag ago ({@link #at}). One entry older than the span is kept, so that any time
 * within it has a value at or before it.
 *
 * <p>Two primitive arrays used as a ring, grown (doubled) only while the span holds more ticks than they do: no
 * object per tick. Entries that outlive a few young collections are promoted to the old generation, and a deque of
 * {@code long[]}s dropped them there one a tick for as long as the run lasted.
 */
final class AcceptedHistory {
    private final long span;
    private long[] at = new long[64], accepted = new long[64];
    private int first, size;

    /** @param span how far back to remember, in nanoseconds */
    AcceptedHistory(long span) {
        this.span = span;
    }

    /** Forgets everything (a run that starts again). */
    void clear() {
        first = 0;
        size = 0;
    }

    /** Adds the count at monotonic time {@code now} (not before the previous one) and forgets what the span no longer needs. */
    void add(long now, long count) {
        if (size == at.length) grow();
        int i = index(size);
        at[i] = now;
        accepted[i] = count;
        size++;
        // drop the oldest while the next one is itself older than the span
        while (size > 2 && now - at[index(1)] > span) {
            first = index(1);
            size--;
        }
    }

    /** The count of the latest entry at or before {@code time}; 0 before the first. */
    long at(long time) {
        int lo = 0, hi = size - 1, found = -1; // the last entry whose time is <= time
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (at[index(mid)] <= time) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? 0 : accepted[index(found)];
    }

    int size() {
        return size;
    }

    /** Entries the arrays hold before they grow. */
    int capacity() {
        return at.length;
    }

    private int index(int k) {
        return (first + k) & (at.length - 1); // the length is a power of two
    }

    private void grow() {
        long[] a = new long[at.length * 2], c = new long[at.length * 2];
        for (int k = 0; k < size; k++) {
            a[k] = at[index(k)];
            c[k] = accepted[index(k)];
        }
        at = a;
        accepted = c;
        first = 0;
    }
}
