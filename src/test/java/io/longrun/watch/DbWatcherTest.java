package io.longrun.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.longrun.criteria.Alert;
import io.longrun.criteria.Criteria;
import io.longrun.db.DataSources;
import io.longrun.db.DbSettings;
import io.longrun.pace.FakeClock;
import io.longrun.scenario.Conditions;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.WatchedTable;
import io.longrun.scenario.WatchedTable.Counting;
import io.longrun.testing.TestDb;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database watcher against a real PostgreSQL, driven poll by poll with a fake clock (1 s a poll): a table counted
 * from the statistics reads the same rows as one counted by count(*) through inserts, deletes, rolled-back
 * transactions, ON CONFLICT DO NOTHING (early and late conflicts), analyze and vacuum, statistics resets, TRUNCATE
 * and partitions, and the criteria reach the same verdicts on both. The workload's session flushes its statistics
 * with pg_stat_force_next_flush() (PostgreSQL 15+) after each step instead of waiting for them.
 */
class DbWatcherTest {
    static final long S = 1_000_000_000L;

    DbSettings db;
    HikariDataSource ds;
    Connection w; // the workload's session
    final FakeClock clock = new FakeClock();

    /** A watcher over one table counted one way, and the samples it produced. */
    final class Watch {
        final List<DbSample> samples = new ArrayList<>();
        final DbWatcher watcher;
        final String table;

        Watch(WatchedTable t) throws SQLException {
            this(List.of(t));
        }

        Watch(List<WatchedTable> tables) throws SQLException {
            this.table = tables.get(0).name();
            Signals signals = new Signals() {
                public void onHealth(HealthSample s) {}

                public void onDb(DbSample s) {
                    samples.add(s);
                }
            };
            watcher = new DbWatcher(new Scenario.Database(db.url(), db.user(), Optional.empty(), tables), Duration.ofSeconds(30),
                    Duration.ofSeconds(1), Duration.ofSeconds(5), ds, clock, signals);
            try (Connection c = ds.getConnection()) {
                watcher.check(c);
            }
        }

        DbSample last() {
            DbSample s = samples.get(samples.size() - 1);
            assertThat(s.error()).as("the poll failed").isEmpty();
            return s;
        }

        DbSample.Table figure() {
            return last().tables().get(table);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        db = TestDb.freshSchema();
        ds = DataSources.open(db, Map.of(), "watch-test", 4);
        w = TestDb.connect(db);
        try (Statement st = w.createStatement(); var rs = st.executeQuery("show server_version_num")) {
            rs.next();
            assertThat(rs.getInt(1)).as("these tests flush statistics with pg_stat_force_next_flush(), new in PostgreSQL 15").isGreaterThanOrEqualTo(150000);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        w.close();
        ds.close();
    }

    /** Runs the statements in the workload's session, then flushes its statistics (they are visible once this returns). */
    void run(String... sql) throws SQLException {
        try (Statement st = w.createStatement()) {
            for (String s : sql) st.execute(s);
            st.execute("select pg_stat_force_next_flush()");
        }
    }

    long count(String table) throws SQLException {
        return TestDb.scalar(db, "select count(*) from " + table);
    }

    /** Every watcher counts its table exactly, before the workload. */
    static void baseline(Watch... watches) {
        for (Watch x : watches) x.watcher.baseline();
    }

    /** One second later, every watcher polls. */
    void poll(Watch... watches) {
        clock.advance(S);
        for (Watch x : watches) x.watcher.poll();
    }

    static Scenario.StopRule rule(String name, Scenario.Condition c) {
        return new Scenario.StopRule(name, Scenario.Severity.WARN, Duration.ZERO, c);
    }

    @Test
    void statisticsReadTheRowsCountStarReadsAndTheCriteriaAgree() throws Exception {
        run("create table t (id bigint primary key, v text) with (autovacuum_enabled = off)",
                "insert into t select g, 'x' from generate_series(1, 100) g");
        Watch stats = new Watch(WatchedTable.stats("t")), exact = new Watch(new WatchedTable("t", Counting.EXACT, Optional.empty()));
        // the same rules on both: growth above 1,000 rows/min, rows per "accepted" insert within 5%, rows added per minute
        List<Scenario.StopRule> rules = List.of(
                rule("fast", new Scenario.TableGrowth("t", 1000, Duration.ofSeconds(2))),
                rule("per_insert", new Conditions.UnexpectedGrowth("t", 1, 5, Duration.ofSeconds(2))),
                rule("cadence", new Conditions.Cadence(Optional.empty(), Optional.of("t"), 500, 0, Duration.ZERO)));
        List<Alert> fromStats = new ArrayList<>(), fromExact = new ArrayList<>();
        Criteria cs = new Criteria(rules, 0, fromStats::add), ce = new Criteria(rules, 0, fromExact::add);
        baseline(stats, exact);
        long inserted = 0; // committed inserts: the "accepted events" unexpected_growth compares with
        long next = 101;
        List<String> phasesSeen = new ArrayList<>();
        for (int phase = 1; phase <= 4; phase++) {
            for (int i = 0; i < 16; i++) {
                switch (phase) {
                    case 1 -> { // 10 inserts a second: 600 rows/min
                        run("insert into t select g, 'x' from generate_series(" + next + ", " + (next + 9) + ") g");
                        next += 10;
                        inserted += 10;
                    }
                    case 2 -> { // 10 in, 4 out, 5 rolled back, 3 early conflicts and 1 new row: 7 a second, for 11 inserts
                        run("insert into t select g, 'x' from generate_series(" + next + ", " + (next + 9) + ") g",
                                "delete from t where id in (select id from t order by id limit 4)",
                                "begin", "insert into t select g, 'r' from generate_series(" + (next + 10) + ", " + (next + 14) + ") g", "rollback",
                                "insert into t select g, 'y' from generate_series(" + (next + 7) + ", " + (next + 10) + ") g on conflict do nothing");
                        next += 15;
                        inserted += 11;
                    }
                    case 3 -> { // 20 inserts a second (1,200 rows/min), an analyze every third second, one vacuum
                        run("insert into t select g, 'x' from generate_series(" + next + ", " + (next + 19) + ") g");
                        if (i % 3 == 2) run("analyze t");
                        if (i == 7) run("vacuum t");
                        next += 20;
                        inserted += 20;
                    }
                    default -> { // the table's statistics reset twice, with 10 inserts a second
                        if (i == 3 || i == 9) run("select pg_stat_reset_single_table_counters('t'::regclass)");
                        run("insert into t select g, 'x' from generate_series(" + next + ", " + (next + 9) + ") g");
                        next += 10;
                        inserted += 10;
                    }
                }
                poll(stats, exact);
                DbSample.Table s = stats.figure(), e = exact.figure();
                assertThat(s.method()).isEqualTo(Counting.STATS);
                assertThat(e.method()).isEqualTo(Counting.EXACT);
                assertThat(s.rows()).as("phase %d, second %d", phase, i).isEqualTo(e.rows()).isEqualTo(count("t"));
                assertThat(s.reset()).as("a reset is marked, at its poll only").isEqualTo(phase == 4 && (i == 3 || i == 9));
                cs.onDb(stats.last(), inserted);
                ce.onDb(exact.last(), inserted);
            }
            phasesSeen.add(phase + ": " + states(cs) + " / " + states(ce));
            assertThat(states(cs)).as("phase %d: the verdicts from statistics and from count(*)", phase).isEqualTo(states(ce));
        }
        // per_insert fired in phase 2 (7 rows for 11 inserts) and resolved in 3; fast fired in phase 3 (1,200 rows/min) and
        // resolved in 4; cadence fired once more than 500 rows had been added within a minute. The statistics' span is
        // longer (10 s, not 1 s): the same alerts, each criterion's in the same order, some a few seconds later.
        assertThat(byCriterion(fromStats)).as(String.join("; ", phasesSeen)).isEqualTo(byCriterion(fromExact))
                .isEqualTo(Map.of("per_insert", List.of("firing", "resolved"), "fast", List.of("firing", "resolved"), "cadence", List.of("firing")));
        stats.watcher.last();
        exact.watcher.last();
        assertThat(stats.figure().method()).isEqualTo(Counting.EXACT);
        assertThat(stats.figure().rows()).isEqualTo(count("t"));
    }

    private static List<String> states(Criteria c) {
        return c.states().stream().map(s -> s.name() + (s.firing() ? " FIRING" : " ok")).toList();
    }

    private static Map<String, List<String>> byCriterion(List<Alert> alerts) {
        Map<String, List<String>> m = new java.util.TreeMap<>();
        for (Alert a : alerts) m.computeIfAbsent(a.criterion(), k -> new ArrayList<>()).add(a.state());
        return m;
    }

    @Test
    void aResetOfTheWholeDatabaseIsCountedFromTheResetOnNeverAsADrop() throws Exception {
        run("create table t (id bigint primary key) with (autovacuum_enabled = off)", "insert into t select generate_series(1, 500)");
        Watch stats = new Watch(WatchedTable.stats("t"));
        stats.watcher.baseline();
        run("insert into t select generate_series(501, 520)");
        poll(stats);
        assertThat(stats.figure().rows()).isEqualTo(520);
        run("select pg_stat_reset()", "insert into t select generate_series(521, 530)");
        poll(stats);
        assertThat(stats.figure().reset()).isTrue();
        assertThat(stats.figure().rows()).isEqualTo(530).isEqualTo(count("t"));
        run("delete from t where id <= 10");
        poll(stats);
        assertThat(stats.figure().reset()).isFalse();
        assertThat(stats.figure().rows()).isEqualTo(520).isEqualTo(count("t"));
        // TRUNCATE sets n_live_tup to 0, which since the reset no longer held the table's rows: the table got a new file,
        // and is counted exactly at the next poll
        run("truncate t", "insert into t select generate_series(1, 7)");
        poll(stats);
        assertThat(stats.figure().method()).isEqualTo(Counting.EXACT);
        assertThat(stats.figure().rows()).isEqualTo(7).isEqualTo(count("t"));
        run("insert into t select generate_series(8, 10)");
        poll(stats);
        assertThat(stats.figure().method()).isEqualTo(Counting.STATS);
        assertThat(stats.figure().rows()).isEqualTo(10).isEqualTo(count("t"));
    }

    @Test
    void aLateOnConflictInsertsThenRemovesItsRowAndCountsNothing() throws Exception {
        // A unique index on a function that waits on an advisory lock, in the session that sets lab.gate, from its second
        // call on (the first is the pre-check): that session passes its pre-check, then waits inside its own index
        // insertion while another session stores the same key. Its conflict is then found late, after its row was inserted.
        run("create table u (k text, v text) with (autovacuum_enabled = off)",
                "create function gate(text) returns text immutable language plpgsql as $$ begin"
                        + " if current_setting('lab.gate', true) = 'on' then"
                        + "   perform set_config('lab.calls', (coalesce(nullif(current_setting('lab.calls', true), ''), '0')::int + 1)::text, false);"
                        + "   if current_setting('lab.calls')::int >= 2 then perform pg_advisory_xact_lock_shared(4242); end if;"
                        + " end if; return $1; end $$",
                "create unique index u_gate on u ((gate(k)))",
                "insert into u values ('a', 'first')");
        Watch stats = new Watch(WatchedTable.stats("u")), exact = new Watch(new WatchedTable("u", Counting.EXACT, Optional.empty()));
        baseline(stats, exact);
        long insBefore = TestDb.scalar(db, "select pg_stat_get_tuples_inserted('u'::regclass)");
        try (Connection holder = TestDb.connect(db); Connection late = TestDb.connect(db); Statement h = holder.createStatement()) {
            h.execute("select pg_advisory_lock(4242)");
            CompletableFuture<Void> lateInsert = CompletableFuture.runAsync(() -> {
                try (Statement st = late.createStatement()) {
                    st.execute("set lab.gate = 'on'");
                    st.execute("insert into u values ('k', 'late') on conflict do nothing");
                    st.execute("select pg_stat_force_next_flush()");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            // the late session waits on the advisory lock inside its index insertion
            io.longrun.testing.Await.until(Duration.ofSeconds(30), Duration.ofMillis(20), () -> TestDb.scalar(db,
                    "select count(*) from pg_locks where locktype = 'advisory' and not granted"), n -> n > 0);
            run("insert into u values ('k', 'winner')", "insert into u values ('a', 'again') on conflict do nothing");
            h.execute("select pg_advisory_unlock(4242)");
            lateInsert.get(30, TimeUnit.SECONDS);
        }
        // the late conflict inserted its row, then deleted it; the early one (key a) left no trace; one row was stored
        assertThat(TestDb.scalar(db, "select pg_stat_get_tuples_inserted('u'::regclass)") - insBefore).isEqualTo(2);
        assertThat(TestDb.scalar(db, "select pg_stat_get_tuples_deleted('u'::regclass)")).isEqualTo(1);
        assertThat(TestDb.scalar(db, "select count(*) from u where k = 'k' and v = 'winner'")).isEqualTo(1);
        poll(stats, exact);
        assertThat(stats.figure().rows()).isEqualTo(exact.figure().rows()).isEqualTo(2);
    }

    @Test
    void aPartitionedTableIsSummedOverItsPartitionsAndAnAttachIsNoJump() throws Exception {
        run("create table p (id bigint not null, at timestamptz not null default now()) partition by range (id)",
                "create table p1 partition of p for values from (0) to (1000)",
                "create table p2 partition of p for values from (1000) to (2000)",
                "insert into p (id) select generate_series(1, 1500)");
        Watch stats = new Watch(WatchedTable.stats("p")), exact = new Watch(new WatchedTable("p", Counting.EXACT, Optional.empty()));
        baseline(stats, exact);
        assertThat(stats.figure().rows()).isEqualTo(1500);
        assertThat(stats.figure().bytes()).isEqualTo(TestDb.scalar(db,
                "select sum(pg_total_relation_size(relid)) from pg_partition_tree('p') where isleaf"));
        run("insert into p (id) select generate_series(1501, 1600)", "delete from p where id <= 30");
        poll(stats, exact);
        assertThat(stats.figure().rows()).isEqualTo(exact.figure().rows()).isEqualTo(1570);
        // a partition filled elsewhere is attached: count(*) jumps by its 50 rows; the statistics see no growth and no reset
        run("create table p3 (id bigint not null, at timestamptz not null default now())", "insert into p3 (id) select generate_series(2000, 2049)",
                "alter table p attach partition p3 for values from (2000) to (3000)");
        poll(stats, exact);
        assertThat(exact.figure().rows()).isEqualTo(1620);
        assertThat(stats.figure().rows()).isEqualTo(1570);
        assertThat(stats.figure().reset()).isFalse();
        // rows added to it from then on are growth
        run("insert into p (id) select generate_series(2050, 2059)");
        poll(stats, exact);
        assertThat(stats.figure().rows() - 1570).isEqualTo(exact.figure().rows() - 1620).isEqualTo(10);
        // detached, p1's 970 rows leave count(*); the statistics read no drop and no reset
        run("alter table p detach partition p1");
        poll(stats, exact);
        assertThat(exact.figure().rows()).isEqualTo(count("p")).isEqualTo(1630 - 969);
        assertThat(stats.figure().rows()).isEqualTo(1580);
        assertThat(stats.figure().reset()).isFalse();
        // the last figure is count(*) again
        stats.watcher.last();
        assertThat(stats.figure().method()).isEqualTo(Counting.EXACT);
        assertThat(stats.figure().rows()).isEqualTo(count("p"));
    }

    @Test
    void aTableUnderAnAccessExclusiveLockIsSkippedNotWaitedOn() throws Exception {
        run("create table t (id bigint)", "create table u (id bigint)", "create table k (id bigserial primary key)",
                "insert into t select generate_series(1, 10)", "insert into u select generate_series(1, 20)", "insert into k select from generate_series(1, 30)");
        Watch watch = new Watch(List.of(WatchedTable.stats("t"), new WatchedTable("u", Counting.EXACT, Optional.empty()),
                new WatchedTable("k", Counting.KEYSET, Optional.of("id"))));
        watch.watcher.baseline();
        Map<String, DbSample.Table> before = watch.last().tables();
        run("insert into t select generate_series(11, 15)");
        try (Connection locker = TestDb.connect(db); Statement l = locker.createStatement()) {
            locker.setAutoCommit(false);
            l.execute("lock table t, u, k in access exclusive mode");
            // the poll comes back while the lock is still held, instead of queueing behind it
            CompletableFuture<Void> polled = CompletableFuture.runAsync(() -> poll(watch));
            polled.get(30, TimeUnit.SECONDS);
            Map<String, DbSample.Table> locked = watch.last().tables();
            // statistics need no lock: t's rows are read; its size is the previous one
            assertThat(locked.get("t").skipped()).isTrue();
            assertThat(locked.get("t").method()).isEqualTo(Counting.STATS);
            assertThat(locked.get("t").rows()).isEqualTo(15);
            assertThat(locked.get("t").bytes()).isEqualTo(before.get("t").bytes());
            // count(*) and the keyset count would wait: no figure for them in this poll, and the reason
            assertThat(locked).doesNotContainKeys("u", "k");
            assertThat(watch.last().unread()).isEqualTo(Map.of("u", "locked", "k", "locked"));
            assertThat(TestDb.scalar(db, "select count(*) from pg_locks where locktype = 'relation' and not granted"))
                    .as("no statement of the watcher left waiting").isZero();
            locker.rollback();
        }
        run("insert into u select generate_series(21, 25)", "insert into k select from generate_series(1, 3)");
        poll(watch);
        Map<String, DbSample.Table> after = watch.last().tables();
        assertThat(after.values()).noneMatch(DbSample.Table::skipped);
        assertThat(List.of(after.get("t").rows(), after.get("u").rows(), after.get("k").rows())).containsExactly(15L, 25L, 33L);
    }

    @Test
    void keysetCountsRowsThatCommitLateWithAnEarlierKey() throws Exception {
        run("create table e (id bigserial primary key, at timestamptz not null default clock_timestamp(), v text)",
                "create index e_at on e (at)");
        Watch empty = new Watch(new WatchedTable("e", Counting.KEYSET, Optional.of("at")));
        empty.watcher.baseline(); // an empty table: a mark without a key
        assertThat(empty.figure().rows()).isZero();
        run("insert into e (v) select 'start' from generate_series(1, 40)");
        poll(empty);
        assertThat(empty.figure().rows()).isEqualTo(40);

        Watch keyset = new Watch(new WatchedTable("e", Counting.KEYSET, Optional.of("at")));
        keyset.watcher.baseline();
        run("insert into e (v) select 'a' from generate_series(1, 10)");
        poll(keyset);
        assertThat(keyset.figure().method()).isEqualTo(Counting.KEYSET);
        assertThat(keyset.figure().rows()).isEqualTo(50);
        try (Connection slow = TestDb.connect(db); Statement st = slow.createStatement()) {
            slow.setAutoCommit(false);
            st.execute("insert into e (v) values ('late')"); // its key is taken now; it commits after a poll has passed it
            run("insert into e (v) select 'b' from generate_series(1, 10)");
            poll(keyset);
            assertThat(keyset.figure().rows()).isEqualTo(60).isEqualTo(count("e"));
            slow.commit();
        }
        run("insert into e (v) select 'c' from generate_series(1, 5)");
        poll(keyset);
        // counting past the last mark only would give 65: the late row's key is below it
        assertThat(keyset.figure().rows()).as("counted from two polls back, past the late row's key").isEqualTo(66).isEqualTo(count("e"));
        // a row that commits later than two polls is found by the last count, which goes back the lag allowance
        try (Connection slow = TestDb.connect(db); Statement st = slow.createStatement()) {
            slow.setAutoCommit(false);
            st.execute("insert into e (v) values ('later')");
            for (int i = 0; i < 3; i++) {
                run("insert into e (v) values ('d')");
                poll(keyset);
            }
            slow.commit();
        }
        poll(keyset);
        assertThat(keyset.figure().rows()).isEqualTo(count("e") - 1);
        keyset.watcher.last();
        assertThat(keyset.figure().method()).isEqualTo(Counting.KEYSET);
        assertThat(keyset.figure().rows()).isEqualTo(count("e")).isEqualTo(70);
    }

    @Test
    void aKeyThatIsMissingOrNotLedByAnIndexIsRefusedAtTheStartWithEveryProblem() throws Exception {
        run("create table e (id bigint, at timestamptz)", "create index e_both on e (id, at)", "create index e_at_partial on e (at) where id > 0");
        assertThatThrownBy(() -> new Watch(List.of(new WatchedTable("e", Counting.KEYSET, Optional.of("received_at")),
                WatchedTable.stats("events_missing"), new WatchedTable("e", Counting.KEYSET, Optional.of("at")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("database.tables[0].key: table e has no column received_at")
                .hasMessageContaining("database.tables[1]: no such table: events_missing")
                .hasMessageContaining("database.tables[2].key: no B-tree index of e starts with at")
                .hasMessageContaining("create index on e (at)");
        // an index that leads with the column will do, and a nullable key is a warning
        run("create index e_id on e (id)");
        DbWatcher ok = new DbWatcher(new Scenario.Database(db.url(), db.user(), Optional.empty(),
                List.of(new WatchedTable("e", Counting.KEYSET, Optional.of("id")))), Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(5), ds, clock, new Signals() {
                    public void onHealth(HealthSample s) {}

                    public void onDb(DbSample s) {}
                });
        try (Connection c = ds.getConnection()) {
            assertThat(ok.check(c)).singleElement().asString().contains("e.id allows null");
        }
    }
}
