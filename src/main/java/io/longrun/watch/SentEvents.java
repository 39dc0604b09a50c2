package io.longrun.watch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounded sample of the events the target accepted, for the probes that read them back (UTC skew, loss): at
 * most {@code perSecond} a second, at most {@code capacity} waiting. Bodies are kept as sent and parsed only
 * when read back.
 */
public final class SentEvents {
    /** One accepted event: its body and when it was accepted (monotonic nanoseconds). */
    public record Sent(byte[] body, long acceptedAt) {}

    private final int perSecond;
    private final int capacity;
    private final ArrayDeque<Sent> queue = new ArrayDeque<>();
    private long second = Long.MIN_VALUE;
    private int taken;
    private long offered, sampled, overflowed;

    public SentEvents(int perSecond, int capacity) {
        this.perSecond = perSecond;
        this.capacity = capacity;
    }

    /** Called for each accepted event; keeps it when this second's quota is not used up. */
    public synchronized void offer(byte[] body, long acceptedAt) {
        offered++;
        long s = acceptedAt / 1_000_000_000L;
        if (s != second) {
            second = s;
            taken = 0;
        }
        if (taken >= perSecond) return;
        taken++;
        if (queue.size() >= capacity) {
            queue.pollFirst();
            overflowed++;
        }
        queue.addLast(new Sent(body, acceptedAt));
        sampled++;
    }

    /** Takes the events accepted at or before {@code before} (all of them when {@code before} is Long.MAX_VALUE). */
    public synchronized List<Sent> takeUntil(long before) {
        List<Sent> out = new ArrayList<>();
        while (!queue.isEmpty() && queue.peekFirst().acceptedAt() <= before) out.add(queue.pollFirst());
        return out;
    }

    public synchronized long sampled() {
        return sampled;
    }
}
