package io.longrun.watch;

import io.longrun.scenario.WatchedTable.Counting;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One poll of the target's database: per table its rows, how they were counted, and its total size; the database's
 * size, its connections and the queries running longer than the longest a db_load criterion allows (from
 * pg_stat_activity); or the error that stopped it.
 *
 * @param unread tables with no figure in this poll and why ("locked": a count that would have waited behind
 *               another transaction's ACCESS EXCLUSIVE lock)
 * @param pollMs how long the poll took, in milliseconds
 */
public record DbSample(long at, Instant time, Map<String, Table> tables, long databaseBytes, long connections, long longQueries,
                       Optional<String> error, Map<String, String> unread, double pollMs) {
    /**
     * A table's figures.
     *
     * @param method  how {@code rows} were counted: exact ({@code count(*)}), stats (the exact count at the start plus
     *                the changes the statistics counters showed since: an estimate) or keyset (past a high-water mark)
     * @param reset   the statistics counters went back since the previous poll (pg_stat_reset, a crash): the change
     *                in between is counted from the reset on, and may be short
     * @param skipped another transaction held or awaited an ACCESS EXCLUSIVE lock on the table: its size, which needs
     *                a lock, is the previous poll's (its rows, from the statistics, need none)
     */
    public record Table(long rows, long bytes, Counting method, boolean reset, boolean skipped) {
        /** An exact figure. */
        public Table(long rows, long bytes) {
            this(rows, bytes, Counting.EXACT, false, false);
        }
    }

    public DbSample {
        tables = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tables));
        unread = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(unread));
    }

    public DbSample(long at, Instant time, Map<String, Table> tables, long databaseBytes, long connections, long longQueries,
                    Optional<String> error) {
        this(at, time, tables, databaseBytes, connections, longQueries, error, Map.of(), 0);
    }

    public DbSample(long at, Instant time, Map<String, Table> tables, long databaseBytes, Optional<String> error) {
        this(at, time, tables, databaseBytes, 0, 0, error);
    }
}
