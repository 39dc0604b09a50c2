package io.longrun.testing;

import io.longrun.db.DbSettings;
import io.longrun.db.EmbeddedDb;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tests' PostgreSQL: {@code LONGRUN_TEST_DB_URL} when set (user and password from PGUSER / PGPASSWORD),
 * else one embedded server for the whole test JVM. Each test gets its own schema, so tests never see each
 * other's rows.
 */
public final class TestDb {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static String baseUrl;
    private static Optional<String> user;

    private TestDb() {}

    private static synchronized void init() throws Exception {
        if (baseUrl != null) return;
        String url = System.getenv("LONGRUN_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            baseUrl = url;
            user = Optional.ofNullable(System.getenv("PGUSER"));
            System.err.println("[TestDb] using LONGRUN_TEST_DB_URL");
        } else {
            EmbeddedDb db = EmbeddedDb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    db.close();
                } catch (Exception ignored) {
                    // the JVM is going away
                }
            }));
            baseUrl = db.url();
            user = Optional.of("postgres");
            System.err.println("[TestDb] using an embedded PostgreSQL on port " + db.port());
        }
    }

    /** A new, empty schema; the settings connect with it as the current schema. */
    public static DbSettings freshSchema() throws Exception {
        init();
        String schema = "lr_test_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = connect(baseUrl); Statement st = c.createStatement()) {
            st.execute("create schema " + schema);
        }
        String url = baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new DbSettings(url, user, Optional.empty());
    }

    public static Connection connect(String url) throws SQLException {
        Properties p = new Properties();
        user.ifPresent(u -> p.setProperty("user", u));
        String pw = System.getenv("PGPASSWORD");
        if (pw != null) p.setProperty("password", pw);
        return DriverManager.getConnection(url, p);
    }

    public static Connection connect(DbSettings s) throws SQLException {
        return connect(s.url());
    }

    /** Runs a query that returns one number. */
    public static long scalar(DbSettings s, String sql) throws SQLException {
        try (Connection c = connect(s); Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
