package io.longrun.fault;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;

/**
 * A stage that hands each chunk on at a time of its choosing, in arrival order: latency, bandwidth, slicer,
 * loss, and the holding toxics. One timer serves the head of the queue; a chunk held "forever" waits for
 * {@link #releaseHeld()} or {@link #detach()}.
 */
abstract class TimedStage extends Stage {
    /** A held chunk ({@code data} null: the source's end) and when it goes on, in {@link Link#now()} nanoseconds. */
    private record Held(Buffer data, long at) {}

    static final long FOREVER = Long.MAX_VALUE;

    private final ArrayDeque<Held> queue = new ArrayDeque<>();
    private long timer = -1, sideTimer = -1;
    /** The release time of the last chunk queued: later chunks never overtake it. */
    long lastAt = Long.MIN_VALUE;

    /** Queues a chunk (null: the end) to go on at {@code at}, or after the chunks before it if they go later. */
    final void hold(Buffer chunk, long at) {
        long when = at == FOREVER || lastAt == FOREVER ? FOREVER : Math.max(at, lastAt);
        lastAt = when;
        queue.add(new Held(chunk, when));
        schedule();
    }

    /** The end goes on after the chunks held before it, at once if there are none. */
    @Override
    void end() {
        hold(null, link.now());
    }

    boolean holding() {
        return !queue.isEmpty();
    }

    /** Hands on everything held now, in order, and goes on holding what comes later by the stage's own rule. */
    final void releaseHeld() {
        cancel();
        while (!queue.isEmpty()) pass(queue.poll());
        lastAt = Long.MIN_VALUE;
    }

    /** Runs an action on the connection once, {@code ms} from now, unless the toxic is taken off first. */
    final void after(long ms, Runnable action) {
        if (sideTimer != -1) return;
        sideTimer = link.setTimer(ms, () -> {
            sideTimer = -1;
            action.run();
        });
    }

    @Override
    void detach() {
        if (sideTimer != -1) link.cancelTimer(sideTimer);
        sideTimer = -1;
        releaseHeld();
    }

    private void schedule() {
        if (timer != -1 || queue.isEmpty() || link.closed()) return;
        long at = queue.peek().at;
        if (at == FOREVER) return;
        long wait = at - link.now();
        if (wait <= 0) {
            releaseDue();
            return;
        }
        timer = link.setTimer(Math.max(1, (wait + 999_999) / 1_000_000), () -> {
            timer = -1;
            releaseDue();
        });
    }

    private void releaseDue() {
        long now = link.now();
        while (!queue.isEmpty() && queue.peek().at <= now) pass(queue.poll());
        schedule();
    }

    private void cancel() {
        if (timer != -1) link.cancelTimer(timer);
        timer = -1;
    }

    private void pass(Held h) {
        if (h.data == null) next.end();
        else next.data(h.data);
    }
}
