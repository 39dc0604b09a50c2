package io.longrun.api;

import io.longrun.deliver.Outcomes;
import io.longrun.run.RunControl;
import io.longrun.run.RunOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A soak that was started: read its live figures, stop it (draining what is in flight), or wait for its end.
 * Closing the handle stops the run if it still runs. Thread-safe.
 */
public final class SoakHandle implements AutoCloseable {
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final String name;
    private final RunControl control = new RunControl();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final CountDownLatch begun = new CountDownLatch(1);
    private volatile RunOptions.LiveRun live;
    private volatile SoakResult result;
    private volatile RuntimeException failure;
    private Thread thread;

    private SoakHandle(String name) {
        this.name = name;
    }

    static SoakHandle start(Soak soak) {
        SoakHandle h = new SoakHandle(soak.name());
        RunOptions opt = soak.options().toBuilder().control(h.control).onStart(live -> {
            h.live = live;
            h.begun.countDown();
        }).build();
        h.thread = new Thread(() -> {
            try {
                h.result = new SoakResult(soak.execute(opt));
            } catch (InterruptedException e) {
                h.failure = new SoakException(soak.name() + ": the run's thread was interrupted", false, e);
            } catch (SoakException e) {
                h.failure = e;
            } catch (RuntimeException | Error e) {
                h.failure = new SoakException(soak.name() + ": " + rootMessage(e), false, e);
            } finally {
                h.begun.countDown();
                h.ended.countDown();
            }
        }, "longrun-soak-" + RUNS.incrementAndGet() + "-" + soak.name());
        h.thread.start();
        return h;
    }

    /** The scenario's name. */
    public String name() {
        return name;
    }

    /** Whether the run is still going (warming up, running its schedule, or draining). */
    public boolean isRunning() {
        return ended.getCount() > 0;
    }

    /**
     * Waits until the schedule's time zero (after the preflight checks and the warm-up), or the run's end when it
     * ends before; true when time zero came within {@code bound}.
     */
    public boolean awaitStarted(Duration bound) throws InterruptedException {
        return begun.await(bound.toNanos(), TimeUnit.NANOSECONDS) && live != null;
    }

    /** The run log, once the run reached time zero. */
    public Optional<Path> runLog() {
        RunOptions.LiveRun l = live;
        return l == null ? Optional.empty() : Optional.of(l.runLog());
    }

    /** The run id (the run folder's name), once the run reached time zero. */
    public Optional<String> runId() {
        RunOptions.LiveRun l = live;
        return l == null ? Optional.empty() : Optional.of(l.runId());
    }

    /**
     * The figures at this moment, under the run log's names: total emitted, running or not, and per emitter its
     * counts and errors. Before time zero every count is 0.
     */
    public LiveStats stats() {
        RunOptions.LiveRun l = live;
        if (l == null) return new LiveStats(isRunning(), 0, LiveStats.NOT_STARTED.total(), Map.of());
        List<Outcomes.Stats> per = l.outcomes().totals();
        Map<String, Counts> m = new LinkedHashMap<>();
        per.forEach(s -> m.put(s.emitter(), Counts.of(s)));
        Counts total = Counts.of(Outcomes.sum("all", per, io.longrun.deliver.Latency.NONE, io.longrun.deliver.Latency.NONE));
        return new LiveStats(isRunning(), total.sent(), total, m);
    }

    /**
     * Stops the run as Ctrl-C does on the command line: the generator stops, requests in flight drain, the run log
     * and the summary are written, the assertions run. Its verdict is {@code interrupted} (exit code 130) unless it
     * had already ended. Waits for the end and returns the result.
     *
     * @throws SoakException when the run had failed to start or failed inside
     */
    public SoakResult stop() throws InterruptedException {
        control.requestStop(RunControl.Reason.INTERRUPTED, "stop() called");
        return awaitEnd();
    }

    /**
     * Waits for the run's end: the schedule over, a stop criterion fired, or {@link #stop()}.
     *
     * @throws SoakException when the run failed to start (the message says why: target unreachable, ...) or failed inside
     */
    public SoakResult awaitEnd() throws InterruptedException {
        ended.await();
        return outcome();
    }

    /** Waits for the run's end at most {@code bound}; empty when it still runs. */
    public Optional<SoakResult> awaitEnd(Duration bound) throws InterruptedException {
        if (!ended.await(bound.toNanos(), TimeUnit.NANOSECONDS)) return Optional.empty();
        return Optional.of(outcome());
    }

    private SoakResult outcome() throws InterruptedException {
        thread.join(); // the run's thread is gone before anyone reads its result: nothing of the run outlives it
        if (failure != null) throw failure;
        return result;
    }

    /** Stops the run if it still runs, and waits for its end; a failed run's exception is not rethrown here. */
    @Override
    public void close() throws InterruptedException {
        if (isRunning()) control.requestStop(RunControl.Reason.INTERRUPTED, "handle closed");
        ended.await();
        thread.join();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? "internal error" : t.getMessage().split("\n")[0];
    }
}
