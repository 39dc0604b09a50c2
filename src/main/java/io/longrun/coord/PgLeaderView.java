package io.longrun.coord;

import io.longrun.db.DbSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterView;

/** One namespace's leadership on one advisory lock ({@link PgLeaderService}). */
public final class PgLeaderView extends AbstractCamelClusterView {
    private final DbSettings db;
    private final Map<String, String> env;
    private final long key;
    private final Duration interval;
    private final Member local = new Member();
    private ScheduledExecutorService timer;
    private Connection conn;
    private volatile boolean leader;

    PgLeaderView(PgLeaderService service, String namespace, DbSettings db, Map<String, String> env, long key, Duration interval) {
        super(service, namespace);
        this.db = db;
        this.env = env;
        this.key = key;
        this.interval = interval;
    }

    @Override
    protected void doStart() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "longrun-pg-leader");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws InterruptedException {
        if (timer != null) { // a view released before its service started was never started
            timer.shutdownNow();
            timer.awaitTermination(5, TimeUnit.SECONDS);
        }
        synchronized (this) {
            boolean was = leader;
            leader = false;
            if (was) fireLeadershipChangedEvent((CamelClusterMember) null); // step down first, then give the lock up
            closeSession(); // the session ends: the server releases the lock
        }
    }

    /** One try: a follower asks for the lock, a leader checks that its session is alive. */
    synchronized void poll() {
        try {
            if (conn == null) conn = PgStore.connect(db, env, "longrun-leader " + getClusterService().getId());
            if (leader) {
                try (PreparedStatement ps = conn.prepareStatement("select 1")) {
                    ps.setQueryTimeout(Math.max(1, (int) interval.multipliedBy(4).toSeconds()));
                    ps.executeQuery().close();
                }
                return;
            }
            try (PreparedStatement ps = conn.prepareStatement("select pg_try_advisory_lock(?)")) {
                ps.setQueryTimeout(5);
                ps.setLong(1, key);
                try (ResultSet r = ps.executeQuery()) {
                    if (r.next() && r.getBoolean(1)) {
                        leader = true;
                        fireLeadershipChangedEvent(local);
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            // the server is out of reach: whoever holds the lock cannot tell, so a leader steps down
            closeSession();
            if (leader) {
                leader = false;
                fireLeadershipChangedEvent((CamelClusterMember) null);
            }
        }
    }

    private void closeSession() {
        try {
            if (conn != null) conn.close();
        } catch (SQLException ignored) {
            // the session is gone either way
        }
        conn = null;
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        return leader ? Optional.of(local) : Optional.empty();
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return local;
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        return List.of(local);
    }

    private final class Member implements CamelClusterMember {
        @Override
        public boolean isLeader() {
            return leader;
        }

        @Override
        public boolean isLocal() {
            return true;
        }

        @Override
        public String getId() {
            return getClusterService().getId();
        }
    }
}
