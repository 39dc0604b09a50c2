package io.longrun.generate;

import io.longrun.random.SplitMix;
import java.time.Instant;

/**
 * What an event is made from: the run's seed, the emitter's random stream, the event's sequence number within
 * its emitter, the scenario id, the wall-clock time of sending and its due time ({@code elapsed}: seconds since the
 * run's start by the schedule, which value profiles read; {@code due}: the same as a UTC instant, time zero plus
 * elapsed, which user formats read; the time of sending where there is no schedule, as in the warm-up). Choices come from (seed, stream, seq) only,
 * so the same seed gives the same traffic whatever thread renders it. Ids also take the scenario id, so that two
 * runs with the same seed do not send the same ids into the same database (an idempotent target would store
 * nothing the second time); the same seed and scenario id give the same ids.
 */
public record EventContext(long seed, long stream, String emitter, long seq, String scenarioId, Instant now, Levels levels, double elapsed,
                           Instant due) {
    public EventContext(long seed, long stream, String emitter, long seq, String scenarioId, Instant now, Levels levels, double elapsed) {
        this(seed, stream, emitter, seq, scenarioId, now, levels, elapsed, now);
    }

    public EventContext(long seed, long stream, String emitter, long seq, String scenarioId, Instant now) {
        this(seed, stream, emitter, seq, scenarioId, now, null, 0);
    }

    public EventContext(long seed, long stream, String emitter, long seq, String scenarioId, Instant now, Levels levels) {
        this(seed, stream, emitter, seq, scenarioId, now, levels, 0);
    }

    /** The seeded draws of this event's choices. */
    public io.longrun.random.SplitMix.Stream random() {
        return new io.longrun.random.SplitMix.Stream(seed, stream, seq);
    }

    /** Counts a generated record's level, when the run counts them. */
    public void count(String level) {
        if (levels != null) levels.add(level);
    }

    /** The seed of ids: the run's seed mixed with the scenario id. */
    public long idSeed() {
        return seed ^ SplitMix.hash(scenarioId == null ? "" : scenarioId);
    }
}
