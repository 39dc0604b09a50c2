package io.longrun.watch;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One poll of the target's database: exact row counts and total sizes per table, the database's size, its
 * connections and the queries running longer than the longest a db_load criterion allows (from pg_stat_activity),
 * or the error that stopped it.
 */
public record DbSample(long at, Instant time, Map<String, Table> tables, long databaseBytes, long connections, long longQueries,
                       Optional<String> error) {
    public record Table(long rows, long bytes) {}

    public DbSample {
        tables = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tables));
    }

    public DbSample(long at, Instant time, Map<String, Table> tables, long databaseBytes, Optional<String> error) {
        this(at, time, tables, databaseBytes, 0, 0, error);
    }
}
