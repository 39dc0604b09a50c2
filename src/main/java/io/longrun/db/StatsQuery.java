package io.longrun.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The database watcher's one query per poll. It reads catalogs and statistics only, never a table's rows, so its
 * cost does not depend on how many rows the tables hold:
 * <ul>
 *   <li>per leaf of each watched table (the table itself, or every partition of a partitioned one, found through
 *       {@code pg_inherits}, which takes no lock, where {@code pg_partition_tree} would lock every partition): the
 *       cumulative counters behind {@code pg_stat_user_tables} ({@code n_tup_ins}, {@code n_tup_del},
 *       {@code n_tup_upd}, {@code n_live_tup}, the vacuum and analyze counts, the scan counters), read through their
 *       functions (the view also joins and aggregates every index of every table), {@code pg_total_relation_size}, and
 *       the leaf's file node, which a rewrite (TRUNCATE, VACUUM FULL, CLUSTER, some ALTER TABLE) changes;</li>
 *   <li>once: {@code pg_database_size}, and from {@code pg_stat_activity} the connections and the long queries.</li>
 * </ul>
 * {@code pg_total_relation_size} takes an ACCESS SHARE lock on the leaf, its TOAST table and every index, and would
 * queue behind an ACCESS EXCLUSIVE lock held or awaited there (TRUNCATE, VACUUM FULL, ALTER TABLE, REINDEX). The
 * same query reads {@code pg_locks} and leaves such a leaf's size out (null) instead of waiting. The statistics need
 * no lock.
 */
public final class StatsQuery {
    /**
     * One leaf's figures. {@code reads}: sequential scans, rows they returned and rows fetched by index, summed (they
     * only grow, so they help tell a statistics reset). {@code bytes} is null when the size was not read.
     */
    public record Leaf(long root, long oid, long filenode, long inserted, long deleted, long updated, long live, long maintenance, long reads,
                       boolean locked, Long bytes) {}

    /** One poll: every leaf, and the database's own figures. */
    public record Poll(List<Leaf> leaves, long databaseBytes, long connections, long longQueries) {}

    private final String withSizes, withoutSizes;

    /**
     * @param roots     the watched tables' oids, resolved once at the start (a table renamed while running is still found)
     * @param longQuery how long a running query must have run to count as long
     */
    public StatsQuery(List<Long> roots, Duration longQuery) {
        this.withSizes = sql(roots, longQuery, true);
        this.withoutSizes = sql(roots, longQuery, false);
    }

    static String sql(List<Long> roots, Duration longQuery, boolean sizes) {
        String oids = roots.stream().map(String::valueOf).collect(Collectors.joining(","));
        return "with recursive tree(root, relid) as ("
                + " select r, r from unnest('{" + oids + "}'::oid[]) as r"
                + " union all select t.root, i.inhrelid from tree t join pg_inherits i on i.inhparent = t.relid"
                + "), ax as materialized ("
                // ACCESS EXCLUSIVE held or awaited: an ACCESS SHARE request would queue behind either
                + " select relation from pg_locks where locktype = 'relation' and mode = 'AccessExclusiveLock'"
                + " and database = (select oid from pg_database where datname = current_database())"
                + "), leaf as ("
                + " select t.root, c.oid, c.relfilenode, exists (select 1 from ax where ax.relation = c.oid or ax.relation = c.reltoastrelid"
                + " or ax.relation in (select x.indexrelid from pg_index x where x.indrelid = c.oid or x.indrelid = c.reltoastrelid)) as locked"
                + " from tree t join pg_class c on c.oid = t.relid where c.relkind in ('r', 'm')"
                + "), db as materialized ("
                + " select pg_database_size(current_database()) as db_bytes,"
                + " (select count(*) from pg_stat_activity where datname = current_database()) as connections,"
                + " (select count(*) from pg_stat_activity where datname = current_database() and state = 'active'"
                + " and pid <> pg_backend_pid() and now() - query_start > interval '" + Math.max(1, longQuery.toMillis()) + " milliseconds') as long_queries"
                + ") select db.db_bytes, db.connections, db.long_queries, leaf.root, leaf.oid, leaf.relfilenode, leaf.locked,"
                + " pg_stat_get_tuples_inserted(leaf.oid) as ins, pg_stat_get_tuples_deleted(leaf.oid) as del,"
                + " pg_stat_get_tuples_updated(leaf.oid) as upd, pg_stat_get_live_tuples(leaf.oid) as live,"
                + " pg_stat_get_vacuum_count(leaf.oid) + pg_stat_get_autovacuum_count(leaf.oid)"
                + " + pg_stat_get_analyze_count(leaf.oid) + pg_stat_get_autoanalyze_count(leaf.oid) as maint,"
                + " pg_stat_get_numscans(leaf.oid) + pg_stat_get_tuples_returned(leaf.oid) + pg_stat_get_tuples_fetched(leaf.oid) as reads,"
                + (sizes ? " case when leaf.locked then null else pg_total_relation_size(leaf.oid) end" : " null::bigint") + " as bytes"
                + " from db left join leaf on true";
    }

    /**
     * Runs the poll's query.
     *
     * @param sizes false to leave every size out (after the query hit the lock time-out: a lock taken between its
     *              look at pg_locks and its reading of a size)
     */
    public Poll read(Connection c, boolean sizes) throws SQLException {
        List<Leaf> leaves = new ArrayList<>();
        long dbBytes = 0, connections = 0, longQueries = 0;
        try (PreparedStatement ps = c.prepareStatement(sizes ? withSizes : withoutSizes); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                dbBytes = rs.getLong("db_bytes");
                connections = rs.getLong("connections");
                longQueries = rs.getLong("long_queries");
                long oid = rs.getLong("oid");
                if (rs.wasNull()) continue; // no watched leaf: the database's figures alone
                long bytes = rs.getLong("bytes");
                Long size = rs.wasNull() ? null : bytes;
                leaves.add(new Leaf(rs.getLong("root"), oid, rs.getLong("relfilenode"), rs.getLong("ins"), rs.getLong("del"), rs.getLong("upd"), rs.getLong("live"),
                        rs.getLong("maint"), rs.getLong("reads"), rs.getBoolean("locked"), size));
            }
        }
        return new Poll(leaves, dbBytes, connections, longQueries);
    }
}
