package io.longrun.coord;

import io.longrun.db.DbSettings;
import io.longrun.runlog.Secrets;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The store in PostgreSQL, in a schema of its own ({@link #SCHEMA}): one row per shard and run
 * ({@code shard_status}) replaced at every tick, and one row per run in {@code abort}, inserted once (the first wins).
 * Ages are by the server's clock, so the shards' clocks need not agree. The tables are created on first use; the
 * user needs {@code CREATE} on the database (or the schema made beforehand, with {@code CREATE} and {@code USAGE}
 * on it). One connection of its own, opened again after a failure.
 */
public final class PgStore implements CoordStore {
    public static final String SCHEMA = "longrun_coord";
    /** A constant key for pg_advisory_xact_lock: the shards' first CREATE ... IF NOT EXISTS would race otherwise. */
    private static final long DDL_LOCK = 0x4C4F4E4752554E31L;

    private final DbSettings db;
    private final Map<String, String> env;
    private final String runKey;
    private Connection conn;

    /** Connects and creates the schema and its tables when they are not there. */
    public PgStore(DbSettings db, Map<String, String> env, String runKey) throws IOException {
        this.db = db;
        this.env = env;
        this.runKey = runKey;
        synchronized (this) {
            Connection c = connection();
            try (Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                st.execute("select pg_advisory_xact_lock(" + DDL_LOCK + ")");
                st.execute("create schema if not exists " + SCHEMA);
                st.execute("create table if not exists " + SCHEMA + ".shard_status (run_key text not null, shard int not null, "
                        + "status text not null, updated timestamptz not null default clock_timestamp(), primary key (run_key, shard))");
                st.execute("create table if not exists " + SCHEMA + ".abort (run_key text primary key, shard text not null, "
                        + "time_ms bigint not null, reason text not null, written timestamptz not null default clock_timestamp())");
                c.commit();
                c.setAutoCommit(true);
            } catch (SQLException e) {
                fail();
                throw io("cannot create the schema " + SCHEMA + " (the user needs CREATE on the database, or the schema made beforehand)", e);
            }
        }
    }

    /** A connection to the coordination database, with the user and password from the settings or PGUSER/PGPASSWORD. */
    static Connection connect(DbSettings db, Map<String, String> env, String application) throws SQLException {
        Properties p = new Properties();
        db.user(env).ifPresent(u -> p.setProperty("user", u));
        db.password(env).ifPresent(pw -> p.setProperty("password", pw));
        p.setProperty("ApplicationName", application);
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "10");
        p.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(db.url(), p);
    }

    private Connection connection() throws IOException {
        try {
            if (conn == null) conn = connect(db, env, "longrun-coord");
            return conn;
        } catch (SQLException e) {
            throw io("cannot connect to " + Secrets.maskUrl(db.url()), e);
        }
    }

    private void fail() {
        try {
            if (conn != null) conn.close();
        } catch (SQLException ignored) {
            // going anyway
        }
        conn = null;
    }

    private static IOException io(String what, SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n")[0];
        return new IOException(what + ": " + m, e);
    }

    @Override
    public synchronized void publish(ShardStatus status) throws IOException {
        try (PreparedStatement ps = connection().prepareStatement("insert into " + SCHEMA + ".shard_status (run_key, shard, status) values (?, ?, ?) "
                + "on conflict (run_key, shard) do update set status = excluded.status, updated = clock_timestamp()")) {
            ps.setQueryTimeout(5);
            ps.setString(1, runKey);
            ps.setInt(2, status.index());
            ps.setString(3, status.toJson());
            ps.executeUpdate();
        } catch (SQLException e) {
            fail();
            throw io("cannot publish the shard's status", e);
        }
    }

    @Override
    public synchronized List<Published> statuses() throws IOException {
        List<Published> out = new ArrayList<>();
        try (PreparedStatement ps = connection().prepareStatement("select status, (extract(epoch from clock_timestamp() - updated) * 1000)::bigint from "
                + SCHEMA + ".shard_status where run_key = ? order by shard")) {
            ps.setQueryTimeout(5);
            ps.setString(1, runKey);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    try {
                        out.add(new Published(ShardStatus.fromJson(r.getString(1)), Math.max(0, r.getLong(2))));
                    } catch (IllegalArgumentException notOurs) {
                        // a row someone else wrote
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            fail();
            throw io("cannot read the shards' statuses", e);
        }
    }

    @Override
    public synchronized Abort abort(Abort abort) throws IOException {
        try (PreparedStatement ps = connection().prepareStatement("insert into " + SCHEMA + ".abort (run_key, shard, time_ms, reason) values (?, ?, ?, ?) "
                + "on conflict (run_key) do nothing")) {
            ps.setQueryTimeout(5);
            ps.setString(1, runKey);
            ps.setString(2, abort.shard());
            ps.setLong(3, abort.timeMs());
            ps.setString(4, abort.reason());
            ps.executeUpdate();
        } catch (SQLException e) {
            fail();
            throw io("cannot write the abort", e);
        }
        return abort().orElse(abort);
    }

    @Override
    public synchronized Optional<Abort> abort() throws IOException {
        try (PreparedStatement ps = connection().prepareStatement("select shard, time_ms, reason from " + SCHEMA + ".abort where run_key = ?")) {
            ps.setQueryTimeout(5);
            ps.setString(1, runKey);
            try (ResultSet r = ps.executeQuery()) {
                return r.next() ? Optional.of(new Abort(r.getString(1), r.getLong(2), r.getString(3))) : Optional.empty();
            }
        } catch (SQLException e) {
            fail();
            throw io("cannot read the abort", e);
        }
    }

    @Override
    public synchronized void close() {
        fail();
    }
}
