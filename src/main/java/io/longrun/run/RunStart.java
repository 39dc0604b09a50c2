package io.longrun.run;

import com.zaxxer.hikari.HikariDataSource;
import io.longrun.deliver.Dispatcher;
import io.longrun.deliver.ThrowawaySink;
import io.longrun.pace.Schedule;
import java.util.Locale;
import io.longrun.deliver.HttpSink;
import io.longrun.pace.Clock;
import io.longrun.runlog.RunLog;
import io.longrun.watch.DbWatcher;
import io.longrun.watch.Probes;
import java.time.Duration;
import java.util.ArrayList;
import io.longrun.db.DataSources;
import io.longrun.db.DbSettings;
import io.longrun.db.Tables;
import io.longrun.runlog.Secrets;
import io.longrun.scenario.Scenario;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a run checks and writes before its first event: the database and its tables, run.start, schedule.start. */
final class RunStart {
    private RunStart() {}

    static Map<String, Object> startRecord(Scenario sc, String scenarioId, long seed, String runId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("log_version", Resumption.LOG_VERSION);
        m.put("scenario", sc.name());
        m.put("run_id", runId);
        m.put("scenario_id", scenarioId);
        m.put("seed", seed);
        m.put("config", ResolvedConfig.of(sc));
        return m;
    }

    /** The schedule's time zero, and when it ends as planned (absent for a replay that runs until its recordings end). */
    static Map<String, Object> scheduleStart(Scenario sc, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time_zero", now.toString());
        if (!sc.duration().equals(Scenario.UNTIL_DONE)) m.put("planned_end", now.plus(sc.duration()).toString());
        return m;
    }

    static HikariDataSource openDatabase(Scenario.Database db, Map<String, String> env) throws BadInput {
        HikariDataSource ds;
        try {
            // one connection for the database watcher, held through the run; the others for the probes and assertions
            ds = DataSources.open(new DbSettings(db.url(), db.user(), db.passwordEnv()), env, "longrun-watch", 3);
        } catch (SQLException e) {
            throw new BadInput("database: " + e.getMessage());
        }
        try (Connection c = ds.getConnection()) {
            List<String> missing = Tables.missing(c, db.tables());
            if (!missing.isEmpty()) {
                ds.close();
                throw new BadInput("database " + Secrets.maskUrl(db.url()) + ": no such table: " + String.join(", ", missing)
                        + " (named in database.tables or stop_when)");
            }
        } catch (SQLException e) {
            ds.close();
            throw new BadInput("database " + Secrets.maskUrl(db.url()) + ": " + e.getMessage());
        }
        return ds;
    }

    /**
     * Sets up the warm-up before the routes start: a throwaway sink in this process, where the warm-up's events go
     * (never to the target), at the schedules' peak rate (at least {@link #WARM_MIN_RATE}) for {@link #WARM_LEAST}.
     * From {@link #WARM_JIT_RATE} on, where code that is not yet compiled cannot keep up, it goes on until the JIT
     * settles, {@link #WARM_MOST} at most. Then the target's connections open ({@link OpenThenSettle}) and the
     * warm-up goes on for {@link #AFTER_OPEN} more. The caller closes the sink, after the run: closing it here threw
     * away the compiled code of the client's reads, at time zero.
     */
    static Warming prepareWarmUp(Scenario sc, Dispatcher dispatcher, HttpSink sink, List<Schedule> schedules, Clock clock) throws Exception {
        ThrowawaySink throwaway = ThrowawaySink.start();
        sink.warmTarget(throwaway.url());
        double rate = warmRate(schedules);
        int connections = Math.min(sc.target().maxInFlight(), PRE_OPEN);
        boolean waitForJit = rate >= WARM_JIT_RATE;
        Duration most = waitForJit ? WARM_MOST : WARM_LOW_MOST;
        OpenThenSettle open = new OpenThenSettle(waitForJit ? JitSettle.of(clock) : () -> true, most.minus(WARM_LEAST),
                sink, throwaway, connections, sc.target().timeout(), clock);
        Runnable first = () -> { // the warm-up runs on as many connections as the run starts with
            try {
                sink.preOpenWarm(connections, Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // a stop: the dispatcher's next wait ends the warm-up
            }
        };
        dispatcher.warmUp(new Dispatcher.WarmUp(rate, WARM_LEAST, most.plus(AFTER_OPEN), open, first));
        return new Warming(throwaway, open);
    }

    /** The warm-up's sink and its opening of the target's connections. */
    record Warming(ThrowawaySink throwaway, OpenThenSettle open) {}

    /**
     * When the warm-up is over: once {@code jit} says so, the target's connections are opened (on the dispatcher's
     * thread, the warm-up waiting), and the warm-up goes on for {@link #AFTER_OPEN} and until {@code jit} says so
     * again. Opening them at the end threw compiled code away (the pool's and the event loop's first connects) at
     * time zero; now that happens while the warm-up still runs, and is compiled again before the first event.
     * The warm-up's own connections are opened afresh at the same moment: the run starts on connections that have
     * never answered, and the pool's choice among such connections is then compiled too (Vert.x's pool prefers
     * connections that have answered: it was a trap at the run's first events).
     */
    static final class OpenThenSettle implements java.util.function.BooleanSupplier {
        private final java.util.function.BooleanSupplier jit;
        private final HttpSink sink;
        private final ThrowawaySink throwaway;
        private final int count;
        private final Duration budget;
        private final Clock clock;
        private volatile int opened = -1; // -1: not yet
        private final Duration openWithin;
        private long openedAt, openBy = Long.MAX_VALUE; // openBy: set at the first question

        /** @param openWithin the connections open at most this long after the first question, settled or not */
        OpenThenSettle(java.util.function.BooleanSupplier jit, Duration openWithin, HttpSink sink, ThrowawaySink throwaway, int count,
                       Duration budget, Clock clock) {
            this.jit = jit;
            this.openWithin = openWithin;
            this.sink = sink;
            this.throwaway = throwaway;
            this.count = count;
            this.budget = budget;
            this.clock = clock;
        }

        @Override
        public boolean getAsBoolean() {
            long now = clock.nanoTime();
            if (openBy == Long.MAX_VALUE) openBy = now + openWithin.toNanos();
            boolean settled = jit.getAsBoolean();
            if (opened < 0) {
                if (settled || now >= openBy) open();
                return false;
            }
            return settled && now - openedAt >= AFTER_OPEN.toNanos();
        }

        private void open() {
            try {
                throwaway.closeConnections(Duration.ofSeconds(5));
                sink.preOpenWarm(count, Duration.ofSeconds(5));
                opened = sink.preOpen(count, budget);
            } catch (InterruptedException e) {
                opened = 0;
                Thread.currentThread().interrupt(); // a stop: the dispatcher's next wait ends the warm-up
            }
            openedAt = clock.nanoTime();
        }

        /** The connections opened: during the warm-up, or now when it ended first (at its cap, or stopped). */
        int connections() throws InterruptedException {
            if (opened < 0) opened = sink.preOpen(count, budget);
            return opened;
        }
    }

    static double warmRate(List<Schedule> schedules) {
        return Math.max(WARM_MIN_RATE, schedules.stream().mapToDouble(Schedule::peakRate).sum());
    }

    /** Waits for the warm-up and says what it did, in the run log and on the console. */
    static void warmUp(Dispatcher dispatcher, HttpSink sink, Warming warming, double rate, RunLog log, Console console,
                       boolean quiet, Clock clock) throws InterruptedException {
        Dispatcher.Warmed w = dispatcher.awaitWarm(WARM_MOST.plus(AFTER_OPEN).plus(Duration.ofSeconds(15)));
        sink.warmTarget(null);
        int connections = warming.open().connections();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("events", w == null ? 0 : w.events());
        r.put("rate", rate);
        r.put("took_ms", w == null ? 0 : w.took().toMillis());
        if (rate >= WARM_JIT_RATE) r.put("jit_settled", w != null && w.settled());
        r.put("connections", connections);
        log.write("warmup", clock.now(), r);
        if (!quiet && w != null)
            console.line(String.format(Locale.ROOT, "warm-up: %,d events at %s/s to a throwaway sink in this process in %.1f s%s; %d connection(s) to the target opened",
                    w.events(), io.longrun.scenario.Num.text(rate), w.took().toMillis() / 1000.0,
                    rate < WARM_JIT_RATE ? (w.events() < rate * WARM_LEAST.toSeconds() ? ", fewer than planned in the " + WARM_LOW_MOST.toSeconds() + " s cap" : "") : w.settled() ? ", until the JIT settled" : ", the JIT still compiling at the " + WARM_MOST.toSeconds() + " s cap",
                    connections));
    }

    static final double WARM_MIN_RATE = 100, WARM_JIT_RATE = 5_000;
    static final Duration WARM_LEAST = Duration.ofSeconds(1);
    static final Duration WARM_MOST = Duration.ofSeconds(15), WARM_LOW_MOST = Duration.ofSeconds(5);
    static final int PRE_OPEN = 32;
    /** How long the warm-up goes on after the target's connections opened, at least. */
    static final Duration AFTER_OPEN = Duration.ofSeconds(1);

    /**
     * The probes' tables and columns and the watched tables' keys exist and are indexed (else bad input, before
     * anything is sent); naive timestamp columns and probe columns without an index warn.
     */
    static void checkColumns(Scenario sc, Probes probes, DbWatcher dbWatcher, HikariDataSource ds, RunMonitor monitor) throws BadInput {
        try (Connection c = ds.getConnection()) {
            List<String> warnings = new ArrayList<>(dbWatcher.check(c));
            warnings.addAll(probes.check(c));
            List<String> tables = new ArrayList<>(sc.database().get().tables());
            for (String naive : Probes.naiveTimestamps(c, tables))
                if (warnings.stream().noneMatch(w -> w.startsWith(naive + " ")))
                    warnings.add(naive + " is a timestamp without time zone: what it stores depends on the writer's time zone");
            for (String w : warnings) monitor.warning(w);
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        } catch (SQLException e) {
            throw new BadInput("database " + Secrets.maskUrl(sc.database().get().url()) + ": " + e.getMessage());
        }
    }

}
