package io.longrun.api;

import java.util.Map;

/**
 * A run's figures while it runs, read at one moment (seed 002's pool statistics): whether it runs, the total
 * emitted, and per emitter its counts and errors. The counts carry the run log's names.
 *
 * @param running whether the run is still going (false before time zero and after the end)
 * @param totalEmitted seed 002's {@code total_emitted}: events sent, all emitters together
 * @param total all emitters' figures together (emitter {@code all})
 * @param emitters each emitter's figures, by name, in the scenario's order
 */
public record LiveStats(boolean running, long totalEmitted, Counts total, Map<String, Counts> emitters) {
    static final LiveStats NOT_STARTED = new LiveStats(false, 0, new Counts("all", 0, 0, 0, 0, 0, 0), Map.of());
}
