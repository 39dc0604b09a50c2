package io.longrun.coord;

import io.longrun.db.DbSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;

/**
 * One shard's handle on the coordination of a sharded run: the Camel cluster service whose leader runs the watchers
 * (camel-file's {@link FileLockClusterService} in a folder, or {@link PgLeaderService} on PostgreSQL), and the store
 * where the shards publish their outcomes and read the abort. Every run has its key (scenario id and
 * {@code --start-at}); several runs can share one store.
 */
public final class Coordinator implements AutoCloseable {
    /** The namespace whose leader runs the watchers (the master: endpoints' and the leader's lock). */
    public static final String NAMESPACE = "longrun-watchers";
    /** How often a follower tries for the lock (a takeover waits about this long once the lock is free). */
    static final Duration TRY_EVERY = Duration.ofMillis(500);

    private final Coordinate where;
    private final CamelClusterService service;
    private final CoordStore store;

    private Coordinator(Coordinate where, CamelClusterService service, CoordStore store) {
        this.where = where;
        this.service = service;
        this.store = store;
    }

    /**
     * Opens the store (creating its folder, or its schema and tables) and prepares the cluster service, which
     * starts with the run's Camel context.
     *
     * @param runKey the run's key: its scenario id, and its --start-at when there is one
     * @throws IOException the store cannot be reached or written, in words for the user
     */
    public static Coordinator open(Coordinate where, String runKey, int index, int count, Path workDir, Map<String, String> env) throws IOException {
        String id = "shard-" + index + "-of-" + count;
        if (where.kind() == Coordinate.Kind.FILE) {
            Path dir = where.folder(workDir).resolve(LockKey.folder(runKey));
            FileStore store;
            try {
                store = new FileStore(dir, index);
            } catch (java.nio.file.FileSystemException e) {
                throw new IOException("cannot write the folder " + dir + ": " + (e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                        : e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()), e);
            }
            FileLockClusterService s = new FileLockClusterService();
            s.setId(id);
            s.setRoot(dir.toString());
            s.setAcquireLockDelay(100, TimeUnit.MILLISECONDS);
            s.setAcquireLockInterval(TRY_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            // camel-file's leader writes a heartbeat at every interval; a follower takes over a lock whose heartbeat
            // is older than multiplier x interval (so that a leader on a network file system that lost its lock
            // without knowing is not doubled)
            s.setHeartbeatTimeoutMultiplier(3);
            return new Coordinator(where, s, store);
        }
        DbSettings db = new DbSettings(where.location(), Optional.empty(), Optional.empty());
        PgStore store = new PgStore(db, env, runKey);
        return new Coordinator(where, new PgLeaderService(id, db, env, runKey, TRY_EVERY), store);
    }

    public Coordinate where() {
        return where;
    }

    public CamelClusterService service() {
        return service;
    }

    public CoordStore store() {
        return store;
    }

    @Override
    public void close() {
        store.close();
    }
}
