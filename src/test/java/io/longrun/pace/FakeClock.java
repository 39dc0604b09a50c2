package io.longrun.pace;

import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.Semaphore;

/** A clock that jumps instead of sleeping: waits return at once with the time moved to their deadline. */
public final class FakeClock implements Clock {
    private long now;
    private final Instant epoch = Instant.parse("2026-01-01T00:00:00Z");
    private final PriorityQueue<Timed> timed = new PriorityQueue<>();
    private long order;

    private record Timed(long at, long order, Runnable action) implements Comparable<Timed> {
        public int compareTo(Timed o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(order, o.order);
        }
    }

    /** Runs {@code action} when a wait passes time {@code at}, as a response arriving then would. */
    public synchronized void at(long at, Runnable action) {
        timed.add(new Timed(at, order++, action));
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Instant now() {
        return epoch.plusNanos(now);
    }

    @Override
    public void parkUntil(long deadline) {
        while (true) {
            Timed next;
            synchronized (this) {
                next = timed.peek();
                if (next == null || next.at > deadline) {
                    if (deadline > now) now = deadline;
                    return;
                }
                timed.poll();
                if (next.at > now) now = next.at;
            }
            next.action.run();
        }
    }

    @Override
    public boolean tryAcquire(Semaphore permits, long deadline) {
        while (true) {
            if (permits.tryAcquire()) return true;
            Timed next;
            synchronized (this) {
                next = timed.peek();
                if (next == null || next.at > deadline) {
                    if (deadline > now) now = deadline;
                    return false;
                }
                timed.poll();
                if (next.at > now) now = next.at;
            }
            next.action.run();
        }
    }

    /** Moves the time forward, as a pause of the process would. */
    public synchronized void advance(long nanos) {
        now += nanos;
    }
}
