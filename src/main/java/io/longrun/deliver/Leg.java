package io.longrun.deliver;

import io.longrun.generate.Levels;
import java.util.List;

/**
 * What differs between the warm-up's events and the run's as {@link Delivery} renders and files them: where their
 * outcomes and log levels are counted, when their schedule started, and who else hears of them (the recorder, the
 * sampled events, {@code --strict}'s listener, stream faults). Everything else is the same code.
 *
 * <p>Why a leg is picked by index and not by a branch: a warm-up that asked "is this a warm-up event?" in the hot
 * path ran only one side of each such branch, so C2 compiled the other side as a trap. The run's first events then
 * hit those traps: the compiled hot path (the HTTP client's callbacks, with delivery inlined into them) was thrown
 * away and compiled again in the first seconds of the schedule, C2 taking a core of a 2-core machine while the
 * events were due. Indexed by the sequence number's sign bit (warm-up events are negative), both kinds of event run
 * the very same instructions and only the data differs.
 */
final class Leg {
    /** The leg of event {@code seq}: 0 for the run's (seq &ge; 0), 1 for the warm-up's (seq &lt; 0); no branch. */
    static int of(long seq) {
        return (int) (seq >>> 63);
    }

    /** Event {@code seq}'s index within its leg: seq for the run's, -1 - seq for the warm-up's (0, 1, ...); no branch. */
    static long index(long seq) {
        return seq ^ (seq >> 63);
    }

    final Outcomes outcomes;
    final List<Levels> levels;
    /** The schedule's time zero in monotonic nanoseconds: events carry their due time since it. */
    volatile long start;
    /** Time zero on the wall clock: an event's due instant is this plus its due time since {@link #start}. */
    volatile java.time.Instant zero;
    volatile Recorder recorder;
    volatile io.longrun.watch.SentEvents sampled;
    volatile Delivery.FailureListener failures;
    volatile io.longrun.chaos.StreamChaos chaos;

    Leg(Outcomes outcomes, int emitters, long start, java.time.Instant zero) {
        this.outcomes = outcomes;
        this.levels = java.util.stream.Stream.generate(Levels::new).limit(emitters).toList();
        this.start = start;
        this.zero = zero;
    }
}
