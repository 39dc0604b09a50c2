package io.longrun.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/** HikariCP pools for the watchers and the reference target. */
public final class DataSources {
    private DataSources() {}

    /**
     * Opens a pool and checks that it connects. Connection failures come back as SQLException with the URL
     * (secrets masked) and the driver's reason.
     */
    public static HikariDataSource open(DbSettings db, Map<String, String> env, String poolName, int maxSize) throws SQLException {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(db.url());
        db.user(env).ifPresent(c::setUsername);
        db.password(env).ifPresent(c::setPassword);
        c.setPoolName(poolName);
        // the pool's name in pg_stat_activity.application_name, so that a DBA (and bench/db-watch.sh) can tell longrun's
        // connections apart; an ApplicationName in the URL wins
        c.addDataSourceProperty("ApplicationName", poolName);
        c.setMaximumPoolSize(maxSize);
        c.setMinimumIdle(Math.min(2, maxSize));
        c.setConnectionTimeout(5_000);
        c.setValidationTimeout(2_000);
        c.setInitializationFailTimeout(-1); // connect lazily below, to report the failure our way
        HikariDataSource ds = new HikariDataSource(c);
        try (Connection conn = ds.getConnection()) {
            conn.isValid(2);
            return ds;
        } catch (SQLException e) {
            ds.close();
            throw new SQLException("cannot connect to " + io.longrun.runlog.Secrets.maskUrl(db.url()) + ": " + firstLine(e.getMessage()), e);
        }
    }

    static String firstLine(String s) {
        return s == null ? "" : s.split("\n")[0];
    }
}
