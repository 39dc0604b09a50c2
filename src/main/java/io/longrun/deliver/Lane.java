package io.longrun.deliver;

import io.longrun.pace.DueTimes;

/**
 * One emitter's due times as the {@link Dispatcher} walks them: the event in hand (its sequence number and due time)
 * and how far after the one before it it is due. Lanes queue by their event's due time.
 */
final class Lane implements Comparable<Lane> {
    final int index;
    final DueTimes pacer;
    /** 0 for the run's events; -1 for the warm-up's, whose sequence numbers are -1 - i (no branch: see Leg). */
    final long flip;
    long seq;
    long due = NONE; // nanoseconds from the start
    /** How far after the lane's event before it this one is due: the first one's is as if none came before. */
    long gap;
    double dueSeconds; // as the due times gave it

    Lane(int index, DueTimes pacer) {
        this(index, pacer, 0);
    }

    Lane(int index, DueTimes pacer, long flip) {
        this.index = index;
        this.pacer = pacer;
        this.flip = flip;
    }

    /** Loads the next event; false when the emitter is done. */
    boolean load() {
        seq = pacer.nextIndex() ^ flip;
        double t = pacer.nextDue();
        if (Double.isInfinite(t)) return false;
        dueSeconds = t;
        long d = Math.round(t * 1e9);
        gap = d - due;
        due = d;
        return true;
    }

    /** The due time of no event yet: far enough back that a first event's gap is always wide. */
    static final long NONE = Long.MIN_VALUE / 4;

    @Override
    public int compareTo(Lane o) {
        return Long.compare(due, o.due);
    }
}
