package io.longrun.run;

import com.zaxxer.hikari.HikariDataSource;
import io.longrun.deliver.Delivery;
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
     * Before the clock starts: renders a few thousand events of each emitter (discarded) and sends a short burst of
     * requests that store nothing (GET health, else OPTIONS on the target), so that the JIT and the connection pool
     * are ready and the first seconds go out at the scheduled rate, not late and then in a burst.
     */
    static void warmUp(Scenario sc, List<Delivery.Lane> lanes, long seed, String scenarioId, HttpSink sink, RunLog log, Clock clock)
            throws InterruptedException {
        Instant now = clock.now();
        for (Delivery.Lane lane : lanes)
            for (int i = 0; i < WARM_UP_RENDERS; i++)
                lane.format().render(new io.longrun.generate.EventContext(seed, lane.stream(), lane.name(), -1 - i, scenarioId, now));
        boolean health = sc.target().healthUrl().isPresent();
        String url = sc.target().healthUrl().orElse(sc.target().url());
        int concurrency = Math.min(sc.target().maxInFlight(), WARM_UP_CONNECTIONS);
        HttpSink.WarmUp w = sink.warmUp(url, health, WARM_UP_REQUESTS, concurrency, WARM_UP_BUDGET,
                lanes.isEmpty() ? Map.of() : lanes.get(0).headers());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("url", Secrets.maskUrl(url));
        r.put("method", health ? "GET" : "OPTIONS");
        r.put("answered", w.answered());
        r.put("failed", w.failed());
        r.put("took_ms", w.took().toMillis());
        log.write("warmup", clock.now(), r);
    }

    static final int WARM_UP_RENDERS = 2_000;
    static final int WARM_UP_REQUESTS = 500;
    static final int WARM_UP_CONNECTIONS = 8;
    static final Duration WARM_UP_BUDGET = Duration.ofSeconds(2);

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
