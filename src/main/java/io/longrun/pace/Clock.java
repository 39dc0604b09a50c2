package io.longrun.pace;

import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A source of time, injected so that pacing, windows and criteria are tested without sleeping.
 * Monotonic time is in nanoseconds; wall time is UTC.
 */
public interface Clock {
    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Wall-clock time, UTC. */
    Instant now();

    /** Waits until the monotonic time reaches {@code deadline}. */
    void parkUntil(long deadline) throws InterruptedException;

    /** Takes a permit, waiting until {@code deadline} at most. */
    boolean tryAcquire(Semaphore permits, long deadline) throws InterruptedException;

    /** The machine's clocks. */
    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void parkUntil(long deadline) throws InterruptedException {
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
                if (Thread.interrupted()) throw new InterruptedException();
            }
        }

        @Override
        public boolean tryAcquire(Semaphore permits, long deadline) throws InterruptedException {
            if (permits.tryAcquire()) return true;
            long left = deadline - System.nanoTime();
            return left > 0 && permits.tryAcquire(left, TimeUnit.NANOSECONDS);
        }
    };
}
