package io.longrun.api;

import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * A user-written event format: renders one event's request body. Name it in a scenario as
 * {@code format: { class: com.acme.TradeEvents }} (with {@code --classpath} when the class is not on longrun's own
 * classpath). Implementations need a public no-arg constructor and must be thread-safe: events are rendered on several
 * threads. Draw every choice from {@link Context#random()} so that the same seed gives the same bodies.
 * A render that throws or returns null is counted as a failed event with reason {@code format}; the run goes on.
 */
public interface EventFormat {
    /**
     * The name a scenario may give as {@code format: NAME} when the class is listed in
     * {@code META-INF/services/io.longrun.api.EventFormat}; the class name unless overridden.
     */
    default String name() {
        return getClass().getName();
    }

    /** The request's Content-Type; {@code application/json} unless overridden. */
    default String contentType() {
        return "application/json";
    }

    /**
     * Renders one event.
     *
     * @param context the event's seeded random source, sequence number, times, emitter and phase
     * @return the request body; never null
     */
    byte[] render(Context context);

    /** What one event is made from. */
    interface Context {
        /** A random source seeded by the run's seed, the emitter and the sequence number: the same for the same event. */
        RandomGenerator random();

        /** The event's sequence number within its emitter, from 0. */
        long seq();

        /** The time the event is rendered for sending, UTC (wall clock: not the same from run to run). */
        Instant time();

        /** The event's due time by the schedule, in seconds since the run's start: the same for the same seed. */
        double elapsed();

        /** The emitter's name. */
        String emitter();

        /** The name of the phase the event falls in, or {@code ""} for a scenario without phases. */
        String phase();
    }
}
