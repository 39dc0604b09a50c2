package io.longrun.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code make scenario-reset}: empties named tables for a clean baseline. Names must be existing tables; they
 * are quoted as identifiers, and all tables are emptied in one TRUNCATE, so either all are emptied or none.
 */
public final class Reset {
    private Reset() {}

    /** Empties the tables and restarts their identity sequences; returns the rows each held. */
    public static Map<String, Long> truncate(Connection c, List<String> tables) throws SQLException {
        if (tables.isEmpty()) throw new IllegalArgumentException("no tables to reset");
        List<String> bad = Tables.missing(c, tables);
        if (!bad.isEmpty()) throw new IllegalArgumentException("not existing tables: " + String.join(", ", bad));
        Map<String, Long> counts = new LinkedHashMap<>();
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("select count(*) from " + Tables.quote(t))) {
                    rs.next();
                    counts.put(t, rs.getLong(1));
                }
            }
            st.execute("truncate table " + String.join(", ", tables.stream().map(Tables::quote).toList()) + " restart identity");
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        return counts;
    }
}
