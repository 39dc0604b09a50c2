package io.longrun.deliver;

import io.longrun.pace.CatchUp;
import io.longrun.pace.Clock;
import io.longrun.pace.DueTimes;
import io.longrun.pace.Pacer;
import io.longrun.pace.RateCurve;
import io.longrun.pace.Schedule;
import io.longrun.pace.Skipping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

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
    private final double catchUpCap;
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
        this(lanes, maxInFlight, tick, slack, CatchUp.DEFAULT_CAP, clock, outcomes);
    }

    /** @param catchUp after a stall, events go at most this much faster than the schedule (0.10: 10 %); see {@link CatchUp} */
    public Dispatcher(List<? extends DueTimes> lanes, int maxInFlight, Duration tick, Duration slack, double catchUp, Clock clock,
                      Outcomes outcomes) {
        new CatchUp(catchUp, 0); // checks the cap
        this.catchUpCap = catchUp;
        this.slack = slack.toNanos();
        this.lanes = List.copyOf(lanes);
        this.maxInFlight = maxInFlight;
        this.permits = new Semaphore(maxInFlight);
        this.tickNanos = tick.toNanos();
        this.clock = clock;
        this.outcomes = outcomes;
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
        for (int i = 0; i < ROUTE_WARM_UPS && !stopping; i++) sink.send(List.of(), () -> {});
    }

    /**
     * A warm-up before the clock starts: events at {@code rate} per second (shared by the emitters) through the
     * whole path, for at least {@code least} and until {@code settled} says the JIT is done, {@code most} at most.
     * Their tickets have negative sequence numbers: the sink sends them to a throwaway sink, never to the target,
     * and they count in no outcome. {@code first} runs before the warm-up's first event, on the dispatcher's thread.
     */
    public record WarmUp(double rate, Duration least, Duration most, BooleanSupplier settled, Runnable first) {
        public WarmUp(double rate, Duration least, Duration most, BooleanSupplier settled) {
            this(rate, least, most, settled, () -> {});
        }
    }

    /** What the warm-up did: events sent, how long it took, and whether the JIT had settled (else it hit its cap). */
    public record Warmed(long events, Duration took, boolean settled) {}

    private volatile WarmUp warmUp;
    private volatile Warmed warmed;

    /** Sets the warm-up; call before the route starts. */
    public void warmUp(WarmUp plan) {
        this.warmUp = plan;
    }

    /**
     * Waits until the warm-up is over and the first due times are read (or {@code bound} has passed); call before
     * {@link #begin}. Null when there was no warm-up, or it is not over.
     */
    public Warmed awaitWarm(Duration bound) throws InterruptedException {
        warmedLatch.await(bound.toNanos(), TimeUnit.NANOSECONDS);
        return warmed;
    }

    /** Waits until the route has been warmed (or {@code bound} has passed); call before {@link #begin}. */
    public boolean awaitRouteWarm(Duration bound) throws InterruptedException {
        return warmedLatch.await(bound.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** How many empty batches warm the route. */
    static final int ROUTE_WARM_UPS = 2_000;
    private final CountDownLatch warmedLatch = new CountDownLatch(1);

    /** How often the warm-up asks whether the JIT has settled, once its least duration has passed. */
    static final Duration SETTLE_CHECK = Duration.ofMillis(100);

    /**
     * A warm-up lane's due times: an emitter's share of the warm-up rate, constant, from the classes that time the
     * run's lane {@code run} (a pacer, behind a skipping when shards or a resume use one). With a class of its own, the
     * run's first event met a class the warm-up's compiled loop had never seen, and the loop was thrown away.
     */
    static DueTimes warmTimes(double rate, Duration most, DueTimes run) {
        // longer than the warm-up's cap, which ends it: a lane that ran out took a branch the run's loop never takes
        Pacer p = new Pacer(new Schedule(RateCurve.constant(rate, most.toNanos() / 1e9 + 60), 1, 0, 0, 0));
        return run instanceof Skipping ? new Skipping(p) : p;
    }

    private void runWarmUp(Sink sink, WarmUp plan) throws InterruptedException {
        plan.first().run();
        int n = lanes.size();
        PriorityQueue<Lane> warm = new PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            Lane lane = new Lane(i, warmTimes(plan.rate() / n, plan.most(), lanes.get(i)), -1);
            if (lane.load()) warm.add(lane);
        }
        Outcomes none = new Outcomes(java.util.Collections.nCopies(n, "warm-up"));
        long t0 = clock.nanoTime(), firstCheck = t0 + plan.least().toNanos();
        // at least the events of its least duration at its rate: a cold start that sends less in that time goes on
        long needed = (long) Math.floor(plan.rate() * plan.least().toNanos() / 1e9), sent = 0;
        CatchUp catchUp = new CatchUp(CatchUp.DEFAULT_CAP, tickNanos);
        boolean settled = false;
        // In slices of SETTLE_CHECK, each a call of the loop the run calls: its way out is then a path the compiled
        // loop knows (one way out at the warm-up's end was a trap, and the run's loop started interpreted).
        while (!stopping && !warm.isEmpty() && clock.nanoTime() - t0 < plan.most().toNanos()) {
            for (Lane l : warm) l.gap = Long.MAX_VALUE; // as the run's first events: each goes out before the next is read
            sent += loop(warm, t0, sink, none, catchUp, new Until(clock.nanoTime() + SETTLE_CHECK.toNanos()));
            // the warm-up's latencies start afresh each slice, as the run's do each tick: a fresh histogram's first
            // values take branches (a new minimum, a new maximum) that a never-reset one stops taking
            outcomes.warm().snapshot();
            if (sent >= needed && clock.nanoTime() >= firstCheck && (settled = plan.settled().getAsBoolean())) break;
        }
        // the warm-up's requests end before the first event: the run starts with every slot free
        long deadline = clock.nanoTime() + WARM_DRAIN.toNanos();
        int back = 0;
        while (back < maxInFlight && clock.tryAcquire(permits, deadline)) back++;
        permits.release(back);
        warmed = new Warmed(sent, Duration.ofNanos(clock.nanoTime() - t0), settled);
    }

    /**
     * When a loop is over before its lanes end: a warm-up slice's at {@code end}; the run's never. One class for both,
     * so that the run's loop calls what the warm-up's compiled (two lambdas here were two classes at one call site,
     * and the run's first event threw the compiled loop away).
     */
    private final class Until {
        private final long end;

        Until(long end) {
            this.end = end;
        }

        boolean over() {
            return clock.nanoTime() >= end;
        }
    }

    /** The run's: never over before its lanes end. */
    private Until never() {
        return new Until(Long.MAX_VALUE);
    }

    static final Duration WARM_DRAIN = Duration.ofSeconds(5);

    private final List<Lane> loaded = new ArrayList<>(); // each emitter's first event, read before the clock starts

    /**
     * After the warm-up and before {@link #begin}: hands each emitter's first event, read before the warm-up, back
     * to its due times, runs {@code atStart} (a resume passes over the events that fell due meanwhile, the first one
     * read among them) and reads the first events again. Without it, a resumed run sent an event it also counted as
     * missed (planned 1,601 of 1,600). Only due times that can take an event back ({@link Skipping}) are re-read.
     */
    public void rereadFirst(Runnable atStart) {
        boolean parked = warmedLatch.getCount() == 0 && runner != null; // else the runner may still be loading
        List<Lane> again = new ArrayList<>();
        if (parked) {
            for (Lane l : loaded) {
                if (l.pacer instanceof Skipping s) {
                    s.unread(l.seq, l.dueSeconds);
                    again.add(l);
                }
            }
        }
        atStart.run();
        for (Lane l : again) {
            l.due = Lane.NONE; // its first event again
            if (!l.load()) loaded.remove(l);
        }
    }

    /** Runs the schedule on the calling thread, once {@link #begin} has been called, until it is over or stopped. */
    public void run(Sink sink) {
        runner = Thread.currentThread();
        try {
            // the first due times are read before the clock starts: a replay opens and parses its files here, and
            // the warm-up then renders copies of each replay's first record
            for (int i = 0; i < lanes.size(); i++) {
                Lane lane = new Lane(i, lanes.get(i));
                if (lane.load()) loaded.add(lane);
            }
            warmRoute(sink);
            WarmUp plan = warmUp;
            if (plan != null && !stopping) runWarmUp(sink, plan);
            warmedLatch.countDown();
            gate.await();
            loop(new PriorityQueue<>(loaded), this.start, sink, outcomes, new CatchUp(catchUpCap, tickNanos), never());
        } catch (InterruptedException e) {
            // stop() interrupts a wait; the event in hand was not yet due or was counted as dropped
        } finally {
            warmedLatch.countDown();
            runner = null;
            finished.countDown();
        }
    }

    /**
     * Sends the queued lanes' events at their due times (capped by {@code catchUp}) until they end, a stop or
     * {@code over}; lanes with events left stay in {@code queue}.
     */
    private long loop(PriorityQueue<Lane> queue, long start, Sink sink, Outcomes outcomes, CatchUp catchUp, Until over)
            throws InterruptedException {
        List<Ticket> batch = new ArrayList<>();
        looped = 0;
        try {
            while (!stopping && !queue.isEmpty() && !over.over()) {
                Lane lane = queue.peek();
                long due = start + lane.due;
                long release = catchUp.release(due);
                // The first event of a batch waits for its release (its due time, or later while catching up); those
                // due within the slack after it go out with it, on the same wake-up: a thread woken every 50 us at
                // 20,000 events/s would spend its time in the scheduler, not in sending.
                long ahead = release - clock.nanoTime();
                if (ahead > 0 && batch.isEmpty()) {
                    clock.parkUntil(release);
                    continue;
                }
                if (ahead > slack) {
                    flush(batch, sink, outcomes);
                    continue;
                }
                queue.poll();
                if (take(lane, due, release, batch, sink, outcomes, catchUp)) looped++;
                // Loading the lane's next event (a replay reads and parses its next record: 0.2 ms, 1 ms for the
                // first, measured) waits until the batch is out, unless the next event may share the batch: the
                // lane's events come closer than the slack, or another lane's is due within it. The yield lets the
                // event loop send it first: woken by this thread, it was often queued on this thread's core, and
                // waited out the loading (0.25 ms of a replay's 0.5 ms from due time to sent, measured; 0.06 after).
                if (batch.size() >= MAX_BATCH || lane.gap > slack && (queue.isEmpty() || start + queue.peek().due - clock.nanoTime() > slack)) {
                    flush(batch, sink, outcomes);
                    Thread.yield();
                }
                if (lane.load()) queue.add(lane);
            }
        } finally {
            flush(batch, sink, outcomes);
        }
        return looped;
    }

    private long looped; // events sent by the loop now running

    /**
     * Plans one due event: into the batch when a slot is free within one tick of its due time, else dropped
     * ({@code max_in_flight}); dropped too ({@code late}) when the catch-up cap would send it more than a tick late.
     */
    private boolean take(Lane lane, long due, long release, List<Ticket> batch, Sink sink, Outcomes outcomes, CatchUp catchUp)
            throws InterruptedException {
        outcomes.planned(lane.index);
        if (catchUp.tooLate(due, release, clock.nanoTime())) {
            outcomes.dropped(lane.index, lane.seq, Outcomes.LATE);
            return false;
        }
        boolean acquired = false;
        try {
            acquired = permits.tryAcquire();
            if (!acquired) {
                flush(batch, sink, outcomes); // what is already taken must not wait with this event
                acquired = clock.tryAcquire(permits, due + tickNanos);
            }
        } finally {
            if (!acquired) outcomes.dropped(lane.index, lane.seq, Outcomes.NO_SLOT);
        }
        if (!acquired) return false;
        catchUp.sent(due, release, clock.nanoTime());
        outcomes.sent(lane.index);
        batch.add(new Ticket(lane.index, lane.seq, due));
        return true;
    }

    private void flush(List<Ticket> batch, Sink sink, Outcomes outcomes) {
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
