package io.longrun.watch;

import io.longrun.db.RowCounts;
import io.longrun.db.StatsQuery;
import io.longrun.pace.Clock;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.WatchedTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The database route's bean. {@link #baseline} counts every watched table exactly before the first event;
 * {@link #poll} (every {@code db_every}) reads one statistics query ({@link StatsQuery}: counters, sizes, the
 * database's size and load, whatever the tables' sizes) plus, per table counted by {@code keyset} or {@code exact},
 * its count; {@link #last} counts exactly again after the drain. Each poll becomes a {@link DbSample}.
 *
 * <p>It works on one connection of the watch pool, held from its first poll to its last, with a short lock
 * time-out: it never waits behind the target's locks (see {@link TableWatch}). Tables are looked up by name once,
 * at the start ({@link #check}), and followed by oid from then on.
 */
public final class DbWatcher {
    /** How long a statement of the watcher may wait for a lock: a net under the pg_locks check, which races. */
    static final Duration LOCK_TIMEOUT = Duration.ofMillis(250);

    private enum State { BEFORE, RUNNING, DONE }

    private final List<TableWatch> tables = new ArrayList<>();
    private final Duration longQuery;
    private final DataSource ds;
    private final Clock clock;
    private final Signals signals;
    private StatsQuery query;
    private Connection conn;
    private State state = State.BEFORE;

    /**
     * @param longQuery    how long a running query must have run to count as long (pg_stat_activity)
     * @param lagAllowance how long a row may take to be stored: a keyset table's last count goes back at least as
     *                     far (plus two polls), for rows that committed late
     */
    public DbWatcher(Scenario.Database db, Duration longQuery, Duration dbEvery, Duration lagAllowance, DataSource ds, Clock clock,
                     Signals signals) {
        long trailing = lagAllowance.plus(dbEvery.multipliedBy(KeysetRows.BACK)).toNanos();
        for (int i = 0; i < db.watched().size(); i++) tables.add(new TableWatch(db.watched().get(i), i, trailing));
        this.longQuery = longQuery;
        this.ds = ds;
        this.clock = clock;
        this.signals = signals;
    }

    /**
     * At the start, before anything is sent: finds each table (followed by oid from now on) and checks each keyset
     * key: the column exists and a B-tree index starts with it, so that a count past a mark is a range scan.
     *
     * @return warnings for people
     * @throws IllegalArgumentException naming every table or key that cannot be watched, by its key path
     */
    public synchronized List<String> check(Connection c) throws SQLException {
        List<String> problems = new ArrayList<>(), warnings = new ArrayList<>();
        List<Long> oids = new ArrayList<>();
        for (TableWatch t : tables) {
            String at = "database.tables[" + t.index + "]";
            Optional<Long> oid = RowCounts.oid(c, t.name());
            if (oid.isEmpty()) {
                problems.add(at + ": no such table: " + t.name());
                continue;
            }
            t.oid = oid.get();
            oids.add(t.oid);
            if (t.spec.count() != WatchedTable.Counting.KEYSET) continue;
            String key = t.spec.key().orElseThrow();
            Optional<RowCounts.Column> col = RowCounts.column(c, t.oid, key);
            if (col.isEmpty()) {
                problems.add(at + ".key: table " + t.name() + " has no column " + key);
            } else if (!RowCounts.indexLeads(c, t.oid, key, true)) {
                problems.add(at + ".key: no B-tree index of " + t.name() + " starts with " + key + ", so every count would read the whole table; "
                        + "create one (create index on " + t.name() + " (" + key + ")) or count the table by stats");
            } else {
                t.keyType = col.get().type();
                if (!col.get().notNull())
                    warnings.add(at + ".key: " + t.name() + "." + key + " allows null: rows with a null key are counted at the start, "
                            + "not while the run goes nor at its end");
            }
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        query = new StatsQuery(oids, longQuery);
        return warnings;
    }

    /** The exact counts before the first event: every table's base. */
    public synchronized void baseline() {
        if (state != State.BEFORE) return;
        sample(TableWatch.Phase.BASELINE);
        state = State.RUNNING;
    }

    /** A poll while running (the timer; direct:db-sample). Before the baseline and after the last poll it does nothing. */
    public synchronized void poll() {
        if (state == State.RUNNING) sample(TableWatch.Phase.RUNNING);
    }

    /** The last figures, after the drain: exact counts (keyset: recounted over the trailing window). */
    public synchronized void last() {
        if (state == State.DONE) return;
        sample(state == State.BEFORE ? TableWatch.Phase.BASELINE : TableWatch.Phase.FINAL);
        state = State.DONE;
        release();
    }

    private void sample(TableWatch.Phase phase) {
        if (query == null) throw new IllegalStateException("check() was not called");
        long t0 = clock.nanoTime();
        try {
            Connection c = connection();
            StatsQuery.Poll p;
            boolean sizes = true;
            try {
                p = query.read(c, true);
            } catch (SQLException e) {
                if (!RowCounts.LOCK_TIMEOUT.equals(e.getSQLState())) throw e;
                p = query.read(c, false);
                sizes = false;
            }
            long at = clock.nanoTime();
            java.time.Instant time = clock.now();
            Map<Long, List<StatsQuery.Leaf>> leaves = new HashMap<>();
            for (StatsQuery.Leaf l : p.leaves()) leaves.computeIfAbsent(l.root(), k -> new ArrayList<>()).add(l);
            Map<String, DbSample.Table> figures = new LinkedHashMap<>();
            Map<String, String> unread = new LinkedHashMap<>();
            for (TableWatch t : tables) {
                DbSample.Table f = t.sample(c, phase, leaves.getOrDefault(t.oid, List.of()), sizes, at);
                if (f == null) unread.put(t.name(), "locked");
                else figures.put(t.name(), f);
            }
            signals.onDb(new DbSample(at, time, figures, p.databaseBytes(), p.connections(), p.longQueries(), Optional.empty(), unread,
                    (clock.nanoTime() - t0) / 1e6));
        } catch (SQLException | RuntimeException e) {
            release(); // a broken connection goes back to the pool, which drops it; the next poll takes another
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n")[0];
            signals.onDb(new DbSample(clock.nanoTime(), clock.now(), Map.of(), 0, Optional.of(msg)));
        }
    }

    private Connection connection() throws SQLException {
        if (conn == null) {
            Connection c = ds.getConnection();
            try {
                RowCounts.configure(c, LOCK_TIMEOUT);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            conn = c;
        }
        return conn;
    }

    private void release() {
        if (conn == null) return;
        try {
            RowCounts.reset(conn);
        } catch (SQLException e) {
            // a broken connection: the pool finds out and replaces it
        }
        try {
            conn.close();
        } catch (SQLException e) {
            // already closed
        }
        conn = null;
    }
}
