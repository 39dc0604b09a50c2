package io.longrun.criteria;

import java.util.ArrayDeque;

/** Counts over a sliding span of monotonic time: what arrived in the last {@code span}. Memory: one entry per sample in it. */
final class Windowed {
    private final long span;
    private final ArrayDeque<long[]> entries = new ArrayDeque<>(); // {at, count}
    private long sum;
    private long first = Long.MIN_VALUE;

    Windowed(long spanNanos) {
        this.span = spanNanos;
    }

    /** Adds {@code n} at {@code at} and returns the sum over the last span. */
    long add(long at, long n) {
        if (first == Long.MIN_VALUE) first = at;
        entries.addLast(new long[] {at, n});
        sum += n;
        while (!entries.isEmpty() && at - entries.peekFirst()[0] >= span) sum -= entries.removeFirst()[1];
        return sum;
    }

    /** Whether samples have been seen for a whole span. */
    boolean full(long at) {
        return first != Long.MIN_VALUE && at - first >= span;
    }
}
