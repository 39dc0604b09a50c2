package io.longrun.coord;

import io.longrun.db.DbSettings;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.support.cluster.AbstractCamelClusterService;

/**
 * A Camel cluster service on PostgreSQL's session advisory locks, as Flyway takes its own: each view holds one
 * dedicated connection and tries {@code pg_try_advisory_lock} on its key every {@code interval}; the session that
 * holds it leads. When the leader's process dies, its connection closes and the server releases the lock at once,
 * so another view takes it at its next try. A leader that can no longer reach the server gives up leadership (its
 * session may still hold the lock until the server notices: the takeover then waits on TCP keepalive).
 * Advisory locks need no privilege beyond connecting.
 */
public final class PgLeaderService extends AbstractCamelClusterService<PgLeaderView> {
    private final DbSettings db;
    private final Map<String, String> env;
    private final String runKey;
    private final Duration interval;

    /**
     * @param id      this member's name (the shard, e.g. shard-1/3)
     * @param runKey  the run's key: the lock of a view is that of its namespace in this run
     * @param interval how often a follower tries the lock, and a leader checks its connection
     */
    public PgLeaderService(String id, DbSettings db, Map<String, String> env, String runKey, Duration interval) {
        super(id);
        this.db = db;
        this.env = env;
        this.runKey = runKey;
        this.interval = interval;
    }

    @Override
    protected PgLeaderView createView(String namespace) {
        return new PgLeaderView(this, namespace, db, env, LockKey.of(runKey + "/" + namespace), interval);
    }
}
