package io.longrun.target;

import com.zaxxer.hikari.HikariDataSource;
import io.longrun.db.DataSources;
import io.longrun.db.DbSettings;
import io.longrun.db.Migrations;
import io.longrun.pace.Clock;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.main.Main;

/**
 * The reference target ({@code longrun target}): Camel platform-http over PostgreSQL, migrated with the Flyway
 * migrations in {@code db/}. It serves {@code POST /event}, {@code POST /ingest} and {@code GET /health} and plays its fault
 * switches.
 */
public final class TargetServer implements AutoCloseable {
    private final Main main;
    private final HikariDataSource ds;
    private final int port;

    private TargetServer(Main main, HikariDataSource ds, int port) {
        this.main = main;
        this.ds = ds;
        this.port = port;
    }

    /**
     * Connects, migrates and starts listening on {@code port} (0 picks a free one).
     *
     * @throws SQLException when the database cannot be reached or migrated
     */
    public static TargetServer start(int port, DbSettings db, Faults faults, Map<String, String> env) throws Exception {
        return start(port, db, faults, TargetService.IngestLimits.DEFAULT, env);
    }

    public static TargetServer start(int port, DbSettings db, Faults faults, TargetService.IngestLimits limits, Map<String, String> env)
            throws Exception {
        HikariDataSource ds = DataSources.open(db, env, "longrun-target", 32);
        try {
            Migrations.migrate(ds);
        } catch (RuntimeException e) {
            ds.close();
            throw new SQLException("cannot migrate the database: " + e.getMessage(), e);
        }
        int p = port == 0 ? freePort() : port;
        try (ServerSocket probe = new ServerSocket()) {
            // Vert.x only logs a failed bind; find out first, so that a busy port is a clear error
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(p));
        } catch (java.io.IOException e) {
            ds.close();
            throw new PortInUse("port " + p + " is not free: " + e.getMessage());
        }
        Main main = new Main();
        main.configure().setName("longrun-target");
        main.configure().setJmxEnabled(false);
        List<String> routes = new ArrayList<>(List.of("classpath:routes/target/target.yaml"));
        if (faults.hotLoopPerSecond() > 0) routes.add("classpath:routes/target/hot-loop.yaml");
        main.configure().setRoutesIncludePattern(String.join(",", routes));
        Properties props = new Properties();
        props.setProperty("camel.server.enabled", "true");
        props.setProperty("camel.server.host", "0.0.0.0");
        props.setProperty("camel.server.port", Integer.toString(p));
        main.setInitialProperties(props);
        main.bind("targetService", new TargetService(ds, faults, limits, Clock.SYSTEM));
        try {
            main.start();
        } catch (Exception e) {
            ds.close();
            throw e;
        }
        return new TargetServer(main, ds, p);
    }

    /** The port asked for is taken. */
    public static final class PortInUse extends Exception {
        PortInUse(String message) {
            super(message);
        }
    }

    static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            main.stop();
        } finally {
            ds.close();
        }
    }
}
