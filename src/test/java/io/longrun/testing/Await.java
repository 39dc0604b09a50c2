package io.longrun.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Polls until an outcome is there, with a deadline: the tests' one way to wait for something real to happen. */
public final class Await {
    private Await() {
    }

    /**
     * Reads {@code probe} every {@code every} until {@code done} holds or {@code within} has passed, and returns
     * the last value read: the caller asserts on it, so a time-out fails with what was last seen.
     */
    public static <T> T until(Duration within, Duration every, Callable<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            T v = probe.call();
            if (done.test(v) || System.nanoTime() >= deadline) return v;
            Thread.sleep(Math.max(1, Math.min(every.toMillis(), (deadline - System.nanoTime()) / 1_000_000)));
        }
    }
}
