package io.longrun.deliver;

import io.longrun.pace.Clock;
import io.longrun.pace.DueTimes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends each emitter's events at their due times (from its {@link DueTimes}), holding at most {@code maxInFlight}
 * requests pending. A due event waits for a free slot; one that cannot be sent within one tick of its due time
 * is dropped and counted, never queued without bound and never lost silently. All emitters share one thread
 * that always serves the earliest due event, and hands events to the sink in batches: those due on one wake-up.
 */
public final class Dispatcher {
    /** One event to send: which emitter, its sequence number there, and its due time in monotonic nanoseconds. */
    public record Ticket(int emitter, long seq, long due) {}

    /**
     * Where tickets go, a batch at a time: the events due on one wake-up. {@code done} must run exactly once per
     * ticket, when its request has completed; it frees that ticket's slot.
     */
    public interface Sink {
        void send(List<Ticket> batch, Runnable done);
    }

    /** At most this many events go in one batch, however late the dispatcher is. */
    static final int MAX_BATCH = 256;

    private final List<DueTimes> lanes;
    private final int maxInFlight;
    private final Semaphore permits;
    private final long tickNanos;
    private final long slack;
    private final Clock clock;
    private final Outcomes outcomes;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final CountDownLatch gate = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile Thread runner;
    private volatile long start;

    /** The batching slack of a real run: events due within 1 ms of each other share a wake-up. */
    public static final Duration SLACK = Duration.ofMillis(1);

    public Dispatcher(List<? extends DueTimes> lanes, int maxInFlight, Duration tick, Clock clock, Outcomes outcomes) {
        this(lanes, maxInFlight, tick, Duration.ZERO, clock, outcomes);
    }

    /**
     * @param slack an event is sent up to this much before its due time, so that events close together share one
     *              wake-up of the dispatcher thread
     */
    public Dispatcher(List<? extends DueTimes> lanes, int maxInFlight, Duration tick, Duration slack, Clock clock, Outcomes outcomes) {
        this.slack = slack.toNanos();
        this.lanes = List.copyOf(lanes);
        this.maxInFlight = maxInFlight;
        this.permits = new Semaphore(maxInFlight);
        this.tickNanos = tick.toNanos();
        this.clock = clock;
        this.outcomes = outcomes;
    }

    private static final class Lane implements Comparable<Lane> {
        final int index;
        final DueTimes pacer;
        long seq;
        long due; // nanoseconds from the start

        Lane(int index, DueTimes pacer) {
            this.index = index;
            this.pacer = pacer;
        }

        /** Loads the next event; false when the emitter is done. */
        boolean load() {
            seq = pacer.nextIndex();
            double t = pacer.nextDue();
            if (Double.isInfinite(t)) return false;
            due = Math.round(t * 1e9);
            return true;
        }

        @Override
        public int compareTo(Lane o) {
            return Long.compare(due, o.due);
        }
    }

    /**
     * Opens the gate: the schedule's time zero is {@code start} (monotonic nanoseconds). The run's other parts
     * (ticks, criteria) count from the same instant.
     */
    public void begin(long start) {
        this.start = start;
        gate.countDown();
    }

    /**
     * Before the clock starts, empty batches through the real route: its first real batch would otherwise pay for
     * Camel's exchange and unit-of-work classes being loaded and interpreted (about 40 ms measured at 10,000/s,
     * the first events late and then sent in a burst). An empty batch sends nothing and files no outcome.
     */
    private void warmRoute(Sink sink) {
        try {
            for (int i = 0; i < ROUTE_WARM_UPS && !stopping; i++) sink.send(List.of(), () -> {});
        } finally {
            warmed.countDown();
        }
    }

    /** Waits until the route has been warmed (or {@code bound} has passed); call before {@link #begin}. */
    public boolean awaitRouteWarm(Duration bound) throws InterruptedException {
        return warmed.await(bound.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** How many empty batches warm the route. */
    static final int ROUTE_WARM_UPS = 2_000;
    private final CountDownLatch warmed = new CountDownLatch(1);

    /** Runs the schedule on the calling thread, once {@link #begin} has been called, until it is over or stopped. */
    public void run(Sink sink) {
        runner = Thread.currentThread();
        warmRoute(sink);
        try {
            gate.await();
        } catch (InterruptedException e) {
            runner = null;
            finished.countDown();
            return;
        }
        long start = this.start;
        PriorityQueue<Lane> queue = new PriorityQueue<>();
        for (int i = 0; i < lanes.size(); i++) {
            Lane lane = new Lane(i, lanes.get(i));
            if (lane.load()) queue.add(lane);
        }
        List<Ticket> batch = new ArrayList<>();
        try {
            while (!stopping && !queue.isEmpty()) {
                Lane lane = queue.peek();
                long due = start + lane.due;
                // The first event of a batch waits for its due time; those due within the slack after it go out
                // with it, on the same wake-up: a thread woken every 50 us at 20,000 events/s would spend its time
                // in the scheduler, not in sending.
                long ahead = due - clock.nanoTime();
                if (ahead > 0 && batch.isEmpty()) {
                    clock.parkUntil(due);
                    continue;
                }
                if (ahead > slack) {
                    flush(batch, sink);
                    continue;
                }
                queue.poll();
                take(lane, due, batch, sink);
                if (batch.size() >= MAX_BATCH) flush(batch, sink);
                if (lane.load()) queue.add(lane);
            }
        } catch (InterruptedException e) {
            // stop() interrupts a wait; the event in hand was not yet due or was counted as dropped
        } finally {
            flush(batch, sink);
            runner = null;
            finished.countDown();
        }
    }

    /** Plans one due event: into the batch when a slot is free within one tick of its due time, else dropped. */
    private void take(Lane lane, long due, List<Ticket> batch, Sink sink) throws InterruptedException {
        outcomes.planned(lane.index);
        boolean acquired = false;
        try {
            if (clock.nanoTime() - due <= tickNanos) {
                acquired = permits.tryAcquire();
                if (!acquired) {
                    flush(batch, sink); // what is already taken must not wait with this event
                    acquired = clock.tryAcquire(permits, due + tickNanos);
                }
            }
        } finally {
            if (!acquired) outcomes.dropped(lane.index, lane.seq);
        }
        if (!acquired) return;
        outcomes.sent(lane.index);
        batch.add(new Ticket(lane.index, lane.seq, due));
    }

    private void flush(List<Ticket> batch, Sink sink) {
        if (batch.isEmpty()) return;
        List<Ticket> out = List.copyOf(batch);
        batch.clear();
        try {
            sink.send(out, permits::release);
        } catch (RuntimeException e) {
            // the sink could not take them (e.g. shutting down): they were sent to nobody
            long now = clock.nanoTime();
            for (Ticket t : out) {
                outcomes.completed(t.emitter(), t.seq(), Outcome.FAILED, Outcome.reasonOf(e), t.due(), t.due(), now);
                permits.release();
            }
        }
    }

    /** Asks the run to stop: no further event becomes due. Requests in flight go on. */
    public void stop() {
        stopping = true;
        Thread t = runner;
        if (t != null) t.interrupt();
    }

    /** Waits until the schedule is over or stopped. */
    public boolean awaitFinished(Duration bound) throws InterruptedException {
        return finished.await(bound.toNanos(), TimeUnit.NANOSECONDS);
    }

    public boolean finished() {
        return finished.getCount() == 0;
    }

    /** Waits until no request is in flight, at most {@code bound}; true when all have completed. */
    public boolean drain(Duration bound) throws InterruptedException {
        if (!permits.tryAcquire(maxInFlight, bound.toNanos(), TimeUnit.NANOSECONDS)) return false;
        permits.release(maxInFlight);
        return true;
    }

}
