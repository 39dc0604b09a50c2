package io.longrun.generate;

import java.time.Instant;

/**
 * What an event is made from: the run's seed, the emitter's random stream, the event's sequence number within
 * its emitter, and the wall-clock time of sending. Choices come from (seed, stream, seq) only, so the same seed
 * gives the same events whatever thread renders them.
 */
public record EventContext(long seed, long stream, String emitter, long seq, String scenarioId, Instant now) {}
