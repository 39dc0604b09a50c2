package io.longrun.pace;

/**
 * The due times of one emitter's events, in order, as seconds from the run's start. Pure: no clock, no threads.
 */
public interface DueTimes {
    /** The index of the event the next call to {@link #nextDue()} returns. */
    long nextIndex();

    /** When the next event is due, or positive infinity when there are no more. */
    double nextDue();
}
