package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.db.DbSettings;
import io.longrun.scenario.TargetRules;
import io.longrun.target.Faults;
import io.longrun.target.TargetServer;
import io.longrun.testing.Cli;
import io.longrun.testing.RunLogs;
import io.longrun.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of the target's faults, end to end: a soak against a target with a fault is stopped (exit 3) by the
 * criterion that fault is for, reading the target's log, its database and its answers as it would any backend's.
 * The runs go four at a time; each has its own target, schema and log.
 */
class FaultsTripCriteriaTest {
    @TempDir
    Path dir;

    /** One fault and the criterion it must trip. */
    record Case(String name, List<String> faults, String criterion, String rule) {}

    /** A rule that fires at once: any room quiet for a second, every second. */
    static final TargetRules TWITCHY = new TargetRules(List.of(new TargetRules.Rule("no_motion", "motion", Duration.ofSeconds(1),
            Duration.ofSeconds(1), "room", Duration.ofHours(1), "warning", true)));

    static final List<Case> CASES = List.of(
            new Case("noise", List.of("log_noise=600/m"), "log_errors", "log_errors: { above_per_min: 10, for: 3s }"),
            new Case("exception", List.of("repeated_exception=60/m"), "repeated_exception", "repeated_exception: { times: 5, within: 1m }"),
            new Case("utc", List.of("non_utc"), "utc_skew", "utc_skew: { table: events, id_column: id, ts_column: timestamp, above: 1m, lag: 1s }"),
            new Case("lose", List.of("lose=0.2"), "lost_events", "lost_events: { table: events, id_column: id, above_pct: 1, lag: 1s }"),
            new Case("slow", List.of("slow_after=3s", "slow_latency=800ms"), "slow_backend", "slow_backend: { p95_above: 500ms, for: 3s }"),
            new Case("dup", List.of("dup_deviations"), "duplicate_rows",
                    "duplicate_rows: { sql: \"select count(*) - count(distinct (rule, subject)) from deviations\", above: 0 }"),
            new Case("bloat", List.of("db_bloat=100MB/m"), "db_size_growth", "db_size_growth: { above_mb_per_hour: 500, over: 10s, for: 3s }"),
            new Case("hot", List.of("hot_loop=5/s"), "cadence", "cadence: { log_regex: \"scheduler tick\", max_per_min: 60, for: 3s }"));

    String run(Case c) throws Exception {
        DbSettings db = TestDb.freshSchema();
        Path targetLog = dir.resolve(c.name() + ".log");
        TargetServer.Config config = TargetServer.Config.of(db).withFaults(Faults.parse(c.faults())).withLogFile(targetLog);
        if (c.name().equals("dup")) config = config.withRules(TWITCHY);
        try (TargetServer t = TargetServer.start(config)) {
            Path sc = dir.resolve(c.name() + ".yaml");
            Files.writeString(sc, """
                    name: %s
                    duration: 60s
                    target: { url: "%s/event", health_url: "%s/health", timeout: 5s }
                    database: { url: "%s", tables: [events, deviations] }
                    emitters: [ { name: a, rate: 20 } ]
                    watch: { health_every: 500ms, db_every: 1s, logs: ["%s"], logs_every: 1s }
                    lag_allowance: 1s
                    stop_when:
                      - %s
                    """.formatted(c.name(), t.baseUrl(), t.baseUrl(), db.url(), targetLog, c.rule()));
            Path log = dir.resolve(c.name() + ".jsonl");
            Cli.Result r = new Cli(dir).run("run", sc.toString(), "--quiet", "--metrics-port", "0", "--log-file", log.toString());
            assertThat(r.code()).as(c.name() + ": " + r.all()).isEqualTo(3);
            JsonNode end = RunLogs.last(RunLogs.read(log), "run.end");
            assertThat(end.get("stopped_by").asText()).as(c.name()).startsWith(c.criterion());
            return r.out().lines().filter(l -> l.contains("firing")).findFirst().orElse("");
        }
    }

    @Test
    void eachFaultTripsItsCriterion() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<String>> runs = new ArrayList<>();
            for (Case c : CASES)
                runs.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return run(c);
                    } catch (Exception e) {
                        throw new IllegalStateException(c.name() + ": " + e, e);
                    }
                }, pool));
            for (int i = 0; i < CASES.size(); i++)
                assertThat(runs.get(i).get(3, TimeUnit.MINUTES)).as(CASES.get(i).name()).contains("ALERT [abort] " + CASES.get(i).criterion() + " firing");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void noFaultTripsNothing() throws Exception {
        // every criterion above at once, against a target without faults, in mode A with its default rule
        DbSettings db = TestDb.freshSchema();
        Path targetLog = dir.resolve("clean.log");
        try (TargetServer t = TargetServer.start(TargetServer.Config.of(db).withLogFile(targetLog))) {
            Path sc = dir.resolve("clean.yaml");
            StringBuilder rules = new StringBuilder();
            for (Case c : CASES) rules.append("  - ").append(c.rule().replace("max_per_min: 60", "max_per_min: 2")).append('\n');
            Files.writeString(sc, """
                    name: clean
                    duration: 12s
                    target: { url: "%s/event", health_url: "%s/health", timeout: 5s }
                    database: { url: "%s", tables: [events, deviations] }
                    emitters: [ { name: a, rate: 20 } ]
                    watch: { health_every: 500ms, db_every: 1s, logs: ["%s"], logs_every: 1s }
                    lag_allowance: 1s
                    stop_when:
                    %s""".formatted(t.baseUrl(), t.baseUrl(), db.url(), targetLog, rules));
            Cli.Result r = new Cli(dir).run("run", sc.toString(), "--quiet", "--metrics-port", "0", "--log-file", dir.resolve("clean.jsonl").toString());
            assertThat(r.code()).as(r.all()).isZero();
            assertThat(r.out()).doesNotContain("firing");
        }
    }
}
