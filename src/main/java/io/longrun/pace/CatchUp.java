package io.longrun.pace;

/**
 * How fast the dispatcher may catch up after a stall (a pause of the process, a slow wake-up): at most
 * {@code 1 + cap} times the schedule's own pace. Two events whose due times are {@code g} apart go out at least
 * {@code g / (1 + cap)} apart, so a stall of {@code S} is made up over {@code S / cap} at a rate
 * {@code cap} above the schedule's, instead of in a burst. Lateness up to {@link #ALLOWANCE} is not held
 * against the catch-up: a thread wakes up a little late on every wait (tens of microseconds on an idle machine,
 * milliseconds on a busy one), and counting that would leave a lag that grows with every wake-up. So after a
 * stall at most 10 ms of events go at once, then the cap holds. An event that the cap would send more than one
 * tick after its due time is dropped (and counted) instead. Pure: times are given, in monotonic nanoseconds.
 */
public final class CatchUp {
    /** The default cap: 10 % above the schedule's rate while catching up. */
    public static final double DEFAULT_CAP = 0.10;
    /** Lateness that is not held against the catch-up: 10 ms. */
    public static final long ALLOWANCE = 10_000_000L;

    private final double factor;
    private final long tickNanos;
    /**
     * Before the first event, a release far in the past, so that the first release is its due time with no branch
     * of its own (a branch taken once, by the run's first event, was a trap in the warm-up's compiled code):
     * {@code FAR_PAST + due / factor} is below {@code due} for every due time a long can hold.
     */
    private long prevDue = 0, prevAt = FAR_PAST;
    private static final long FAR_PAST = Long.MIN_VALUE / 2;

    /**
     * @param cap       how much faster than the schedule the catch-up may go: 0.10 is 10 %; 0 never catches up
     *                  (a lag stays until it passes one tick and its events are dropped)
     * @param tickNanos an event later than this after its due time is dropped
     */
    public CatchUp(double cap, long tickNanos) {
        if (!(cap >= 0) || Double.isInfinite(cap)) throw new IllegalArgumentException("catch-up cap must be a number >= 0");
        this.factor = 1 + cap;
        this.tickNanos = tickNanos;
    }

    /** The earliest time the event due at {@code due} may go: its due time, or later when the cap holds it back. */
    public long release(long due) {
        long spaced = prevAt + (long) ((due - prevDue) / factor);
        return Math.max(due, spaced);
    }

    /** Whether the event due at {@code due}, released at {@code release} and taken at {@code now}, is too late to send. */
    public boolean tooLate(long due, long release, long now) {
        return Math.max(release, now) - due > tickNanos;
    }

    /**
     * The event due at {@code due}, released at {@code release}, was taken at {@code now}: the next one is spaced
     * from its release, or from {@code now - ALLOWANCE} when it was taken later than that (an event taken a little
     * early, to share a wake-up, counts from its release too).
     */
    public void sent(long due, long release, long now) {
        prevDue = due;
        prevAt = Math.max(release, now - ALLOWANCE);
    }
}
