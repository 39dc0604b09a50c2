package io.longrun.deliver;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One event on its way: its ticket, the rendered body and headers, when it was actually sent, and the slot it
 * holds. {@link #claim()} is true exactly once, so that an outcome is filed once and the slot freed once,
 * whichever of the response, the time-out or the end of the route comes first.
 */
public final class Request {
    final Dispatcher.Ticket ticket;
    final byte[] body;
    final Map<String, String> headers;
    final String uri;           // the target's URL when null
    private final Runnable release;
    private final AtomicBoolean finished = new AtomicBoolean();
    volatile long sentAt;
    /** Stream faults: hold the event back this long before sending it; send a copy this long after its answer (-1: none). */
    volatile long delayMs;
    volatile long duplicateAfterMs = -1;
    /** The event as generated, when a modify stream fault changed it: the probes compare the target with this. */
    volatile byte[] original;
    /** Stream faults: the event's id as generated (for findings), whether it goes corrupted, its reorder fault. */
    volatile String chaosId;
    volatile boolean corrupted;
    volatile io.longrun.scenario.StreamFault reorder;
    /** Stream fault inject: the extra event sent with this one, its headers and its fault; null when none. */
    volatile byte[] injected;
    volatile Map<String, String> injectedHeaders;
    volatile io.longrun.scenario.StreamFault injectFault;
    volatile String injectedId;
    private final java.util.concurrent.atomic.AtomicInteger parts = new java.util.concurrent.atomic.AtomicInteger(1);

    Request(Dispatcher.Ticket ticket, byte[] body, Map<String, String> headers, String uri, Runnable release) {
        this.ticket = ticket;
        this.body = body;
        this.headers = headers;
        this.uri = uri;
        this.release = release;
        this.sentAt = ticket.due();
    }

    public Dispatcher.Ticket ticket() {
        return ticket;
    }

    public byte[] body() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** True for the one caller that gets to file this request's outcome; it then calls {@link #release()}. */
    boolean claim() {
        return finished.compareAndSet(false, true);
    }

    /**
     * Frees the request's slot, after its outcome is filed: a drain that waits for every slot then also sees every
     * outcome.
     */
    void release() {
        if (parts.decrementAndGet() == 0) release.run();
    }

    /** A copy of the event goes out later (a duplicate): the slot is freed once it too has been answered. */
    void hold() {
        parts.incrementAndGet();
    }
}
