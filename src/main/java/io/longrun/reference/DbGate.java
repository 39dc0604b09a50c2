package io.longrun.reference;

import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The target's way to its database, and fault {@code no_reconnect}: while the fault is on, the first lost connection
 * (a connection that cannot be had, or one that breaks: SQLSTATE class 08, a server shutdown 57P01-57P03, an I/O
 * error) marks the database lost for good, as a service that opens its connection once and never again does. From
 * then on every use fails at once without touching the network, so POST /event answers 500 and health 503, until
 * the target is restarted or the fault is switched off. Without the fault the pool reconnects by
 * itself.
 */
public final class DbGate implements DataSource {
    static final String LOST = "database connection lost and never re-opened (fault no_reconnect): restart the target";

    private final DataSource ds;
    private final BooleanSupplier faultOn;
    private final TargetLog log;
    private final AtomicBoolean lost = new AtomicBoolean();
    private final Runnable onLost, onReset;

    public DbGate(DataSource ds, BooleanSupplier faultOn, TargetLog log) {
        this(ds, faultOn, log, () -> {}, () -> {});
    }

    /** {@code onLost}: lets the pool's idle connections go and keeps it from opening new ones; {@code onReset} undoes it. */
    DbGate(DataSource ds, BooleanSupplier faultOn, TargetLog log, Runnable onLost, Runnable onReset) {
        this.ds = ds;
        this.faultOn = faultOn;
        this.log = log;
        this.onLost = onLost;
        this.onReset = onReset;
    }

    /** For a Hikari pool: when lost, it keeps no idle connection (so it opens none in the background) and drops those it has. */
    static DbGate of(com.zaxxer.hikari.HikariDataSource ds, BooleanSupplier faultOn, TargetLog log) {
        int minIdle = ds.getMinimumIdle();
        return new DbGate(ds, faultOn, log, () -> {
            ds.getHikariConfigMXBean().setMinimumIdle(0);
            if (ds.getHikariPoolMXBean() != null) ds.getHikariPoolMXBean().softEvictConnections();
        }, () -> ds.getHikariConfigMXBean().setMinimumIdle(minIdle));
    }

    /** Whether no_reconnect has tripped: the database is never used again. */
    public boolean lost() {
        return lost.get() && faultOn.getAsBoolean();
    }

    /** The fault was switched off: the target may connect again, as after a restart. */
    private void reset() {
        if (!lost.compareAndSet(true, false)) return;
        onReset.run();
        log.info("db", "fault no_reconnect switched off: the database connection may be opened again");
    }

    /** Told of a failure while using a connection: trips no_reconnect when the fault is on and the connection was lost. */
    public void failed(SQLException e) {
        if (faultOn.getAsBoolean() && connectionLost(e) && lost.compareAndSet(false, true)) {
            onLost.run();
            log.error("db", "database connection lost: " + Scheduler.firstLine(e) + "; it will not be re-opened (fault no_reconnect)");
        }
    }

    /** A failure that means the connection is gone, not a bad statement. */
    static boolean connectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof IOException) return true;
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String st = s.getSQLState();
                if (st.startsWith("08") || st.equals("57P01") || st.equals("57P02") || st.equals("57P03")) return true;
            }
            if (t.getCause() == t) break;
        }
        return false;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (lost.get()) {
            if (faultOn.getAsBoolean()) throw new SQLException(LOST, "08003");
            reset();
        }
        try {
            return ds.getConnection();
        } catch (SQLException e) {
            failed(e);
            throw e;
        }
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the target's pool has its own credentials");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return ds.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        ds.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        ds.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return ds.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return ds.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return ds.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return ds.isWrapperFor(iface);
    }
}
