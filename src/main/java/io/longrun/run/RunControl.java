package io.longrun.run;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Why a run stops early, set once by whoever asks first: a stop criterion or a signal. */
public final class RunControl {
    public enum Reason { CRITERION, INTERRUPTED }

    public record Stop(Reason reason, String detail) {}

    private final AtomicReference<Stop> stop = new AtomicReference<>();
    private final CountDownLatch requested = new CountDownLatch(1);

    /** Asks the run to stop; the first reason wins. */
    public void requestStop(Reason reason, String detail) {
        if (stop.compareAndSet(null, new Stop(reason, detail))) requested.countDown();
    }

    public Stop stop() {
        return stop.get();
    }

    /** Waits for a stop request at most {@code bound}; true when one came. */
    public boolean await(Duration bound) throws InterruptedException {
        return requested.await(bound.toNanos(), TimeUnit.NANOSECONDS);
    }
}
