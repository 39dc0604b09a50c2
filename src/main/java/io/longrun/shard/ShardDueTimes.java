package io.longrun.shard;

import io.longrun.pace.DueTimes;

/**
 * An emitter's due times, only the events a {@link Shard} owns: the others are walked past (their index and due
 * time are the global schedule's, so nothing drifts), and each event handed out keeps its global index. Pure.
 */
final class ShardDueTimes implements DueTimes {
    private final DueTimes inner;
    private final Shard shard;
    private boolean held;
    private long heldIndex;
    private double heldDue;

    ShardDueTimes(DueTimes inner, Shard shard) {
        this.inner = inner;
        this.shard = shard;
    }

    /** Reads ahead to this shard's next event. */
    private void fill() {
        while (!held) {
            long i = inner.nextIndex();
            double due = inner.nextDue();
            if (Double.isInfinite(due) || shard.owns(i)) {
                heldIndex = i;
                heldDue = due;
                held = true;
            }
        }
    }

    @Override
    public long nextIndex() {
        fill();
        return heldIndex;
    }

    @Override
    public double nextDue() {
        fill();
        if (Double.isInfinite(heldDue)) return heldDue; // stays over
        held = false;
        return heldDue;
    }
}
