package io.longrun.pace;

/**
 * An emitter's due times with a head start: {@link #skipUntil} passes over the events due before a time, as a
 * resumed run does with those that fell due while no runner was up. The events after keep the index and the due
 * time an uninterrupted run gives them, so their ids are the same. Pure, as every {@link DueTimes}.
 *
 * <p>Skipping walks the schedule event by event (a poisson or seeded-jitter schedule has no shortcut): tens of
 * millions of events a second.
 */
public final class Skipping implements DueTimes {
    private final DueTimes inner;
    private boolean held;       // an event read ahead and not yet handed out
    private long heldIndex;
    private double heldDue;
    private long skipped;

    public Skipping(DueTimes inner) {
        this.inner = inner;
    }

    /** Passes over every event due before {@code seconds}; returns how many were passed over in all. */
    public long skipUntil(double seconds) {
        while (true) {
            if (!held) {
                heldIndex = inner.nextIndex();
                heldDue = inner.nextDue();
                held = true;
            }
            if (heldDue >= seconds || Double.isInfinite(heldDue)) return skipped;
            skipped++;
            held = false;
        }
    }

    /**
     * Takes back the event last handed out by {@link #nextDue()} (index and due time as read): the next call hands
     * it out again, or {@link #skipUntil} passes over it. Only the event last handed out, and only once.
     */
    public void unread(long index, double due) {
        if (held) throw new IllegalStateException("an event is already held: only the last one handed out can be taken back");
        held = true;
        heldIndex = index;
        heldDue = due;
    }

    /** How many events were passed over. */
    public long skipped() {
        return skipped;
    }

    @Override
    public long nextIndex() {
        return held ? heldIndex : inner.nextIndex();
    }

    @Override
    public double nextDue() {
        if (held) {
            held = false;
            return heldDue;
        }
        return inner.nextDue();
    }
}
