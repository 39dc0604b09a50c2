package io.longrun.api;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A user-written event format: renders one event's request body. Name it in a scenario as
 * {@code format: { class: com.acme.TradeEvents }} (with {@code --classpath} when the class is not on longrun's own
 * classpath). Implementations need a public no-arg constructor and must be thread-safe: events are rendered on several
 * threads. Draw every choice from {@link Context#random()} so that the same seed gives the same bodies.
 * A render that throws or returns null is counted as a failed event with reason {@code format}; the run goes on.
 *
 * <p>A format that takes settings from the scenario names their keys in {@link #options()}, and gets their values in
 * {@link #configure(Map)}: {@code format: { class: com.acme.TradeEvents, symbols: [ACME, INIT], spread: 0.5 }}. Any
 * other key beside {@code class} is an error of the scenario, reported with its file and line.
 */
public interface EventFormat {
    /**
     * The name a scenario may give as {@code format: NAME} when the class is listed in
     * {@code META-INF/services/io.longrun.api.EventFormat}; the class name unless overridden.
     */
    default String name() {
        return getClass().getName();
    }

    /**
     * The keys this format takes beside {@code class} in {@code format: { class: ..., KEY: value }}; none unless
     * overridden, so that a misspelt key is an error rather than a setting silently ignored.
     */
    default Set<String> options() {
        return Set.of();
    }

    /**
     * Takes the scenario's values of {@link #options()} (only the keys given), once per run before the first render,
     * and once more when the scenario is checked: numbers, text, booleans, lists and maps as the YAML has them. Throw an
     * {@link IllegalArgumentException} to refuse a value: its message is reported as the scenario's error at the
     * format, with its file and line. Not called for an instance given in code ({@code Emitter.format(instance)}).
     * Does nothing unless overridden.
     *
     * @param options the values by key, in the scenario's order
     */
    default void configure(Map<String, Object> options) {
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

        /**
         * The event's due time by the schedule, UTC: the run's time zero plus {@link #elapsed()}, not the moment it is
         * rendered or sent. Two runs with the same seed and the same {@code --start-at} give the same times. A warm-up
         * event (sent before time zero, never counted) has the time it is rendered.
         */
        Instant time();

        /** The event's due time by the schedule, in seconds since the run's start: the same for the same seed. */
        double elapsed();

        /** The emitter's name. */
        String emitter();

        /** The name of the phase the event falls in, or {@code ""} for a scenario without phases. */
        String phase();
    }
}
