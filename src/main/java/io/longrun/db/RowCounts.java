package io.longrun.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * The database watcher's other SQL: finding a table and a key column, counting rows exactly ({@code count(*)}) and
 * past a high-water mark ({@code keyset}), and the settings of its connection. Names are checked and quoted by
 * {@link Tables}; a mark is bound as text and cast to the key column's own type, so it round-trips exactly.
 */
public final class RowCounts {
    /** SQLSTATE lock_not_available: the lock time-out passed. */
    public static final String LOCK_TIMEOUT = "55P03";

    private RowCounts() {}

    /** A table's oid, when it is a table or a partitioned table (the watcher looks it up once, at the start). */
    public static Optional<Long> oid(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select oid from pg_class where oid = to_regclass(?) and relkind in ('r', 'p')")) {
            ps.setString(1, Tables.quote(table));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** A column's type as SQL writes it (format_type) and whether it is NOT NULL. */
    public record Column(String type, boolean notNull) {}

    public static Optional<Column> column(Connection c, long table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select format_type(atttypid, atttypmod), attnotnull from pg_attribute "
                + "where attrelid = ? and attname = ? and attnum > 0 and not attisdropped")) {
            ps.setLong(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Column(rs.getString(1), rs.getBoolean(2))) : Optional.empty();
            }
        }
    }

    /**
     * Whether a valid, non-partial index of the table has the column as its first key: one a lookup of the column can
     * use. {@code range}: only a B-tree, which a range ({@code >}) can also use; otherwise any access method.
     */
    public static boolean indexLeads(Connection c, long table, String column, boolean range) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select exists (select 1 from pg_index i "
                + "join pg_class ic on ic.oid = i.indexrelid join pg_am am on am.oid = ic.relam "
                + "join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0] "
                + "where i.indrelid = ? and a.attname = ? and i.indpred is null and i.indisvalid and (am.amname = 'btree' or not ?))")) {
            ps.setLong(1, table);
            ps.setString(2, column);
            ps.setBoolean(3, range);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** {@code count(*)}: exact, and a scan of the whole table. */
    public static long exact(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from " + Tables.quote(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows past a mark, and the highest key among them (as text; null when there are none). */
    public record Past(long rows, String max) {}

    /**
     * The rows whose key is above {@code after} (all rows when it is null), by an index range scan over just those.
     *
     * @param type the key column's type (format_type), to cast the mark back to
     */
    public static Past past(Connection c, String table, String key, String type, String after) throws SQLException {
        String k = Tables.quote(key);
        String sql = "select count(*), max(" + k + ")::text from " + Tables.quote(table) + (after == null ? "" : " where " + k + " > cast(? as " + type + ")");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (after != null) ps.setString(1, after);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Past(rs.getLong(1), rs.getString(2));
            }
        }
    }

    /**
     * The watcher's connection: a time-out on lock waits (its guard against waiting behind the target's locks), and
     * custom plans for every keyset count (a generic plan for {@code key > $1} guesses a third of the table and may
     * choose a full scan).
     */
    public static void configure(Connection c, Duration lockTimeout) throws SQLException {
        lockTimeout(c, lockTimeout);
        try (Statement st = c.createStatement()) {
            st.execute("set plan_cache_mode = force_custom_plan");
        } catch (SQLException e) {
            // before PostgreSQL 12 there is no plan_cache_mode; plans are then chosen as they always were
        }
    }

    public static void lockTimeout(Connection c, Duration d) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("set lock_timeout = " + Math.max(1, d.toMillis()));
        }
    }

    /** The settings back to the server's, before the connection goes back to the pool. */
    public static void reset(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("reset lock_timeout");
        }
        try (Statement st = c.createStatement()) {
            st.execute("reset plan_cache_mode");
        } catch (SQLException e) {
            // not there before PostgreSQL 12: nothing to reset
        }
    }
}
