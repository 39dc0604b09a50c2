package io.longrun.e2e;

import io.longrun.db.DbSettings;
import io.longrun.fault.ProxyServer;
import io.longrun.scenario.ProxySpec;
import io.longrun.testing.TestDb;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fresh PostgreSQL schema behind longrun's proxy, started as {@code longrun proxy} would be, before the target:
 * proxy {@code db} listens on {@link #front} and carries the target's connections ({@link #throughProxy}); proxy
 * {@code idle} listens on {@link #idle} and carries nothing, so a fault on it never takes effect.
 */
final class ProxiedDb implements AutoCloseable {
    final DbSettings db;
    final ProxyServer proxy;
    final String front, upstream, idle;
    final DbSettings throughProxy;

    private ProxiedDb(DbSettings db, ProxyServer proxy, String front, String upstream, String idle, DbSettings throughProxy) {
        this.db = db;
        this.proxy = proxy;
        this.front = front;
        this.upstream = upstream;
        this.idle = idle;
        this.throughProxy = throughProxy;
    }

    static ProxiedDb start() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Matcher m = Pattern.compile("//([^:/]+):(\\d+)/").matcher(db.url());
        if (!m.find()) throw new IllegalStateException("no host:port in the test database's URL " + db.url());
        String upstream = "127.0.0.1:" + m.group(2), front = "127.0.0.1:" + freePort(), idle = "127.0.0.1:" + freePort();
        ProxyServer proxy = ProxyServer.start("127.0.0.1", 0, List.of(new ProxySpec("db", front, upstream), new ProxySpec("idle", idle, upstream)), 1, "longrun-test");
        String via = db.url().replace(":" + m.group(2) + "/", ":" + front.split(":")[1] + "/");
        return new ProxiedDb(db, proxy, front, upstream, idle, new DbSettings(via, db.user(), Optional.empty()));
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        proxy.close();
    }
}
