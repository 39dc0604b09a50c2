package io.longrun.coord;

/**
 * A run-wide stop: shard {@code shard} (as 1/3) stopped the run at {@code timeMs} (epoch milliseconds) for
 * {@code reason} (the criterion's name and text). The first one written wins.
 */
public record Abort(String shard, long timeMs, String reason) {
    /**
     * Whether this abort is one of the run this shard belongs to. A store is keyed by scenario id and
     * {@code --start-at}; without {@code --start-at} the key can be reused by a later run, so an abort written before
     * this shard started is an earlier run's.
     */
    public boolean applies(long shardStartedMs, boolean startAtGiven) {
        return startAtGiven || timeMs >= shardStartedMs;
    }
}
