package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.criteria.Alert;
import io.longrun.criteria.Criteria;
import io.longrun.criteria.TickSample;
import io.longrun.db.DbSettings;
import io.longrun.deliver.Latency;
import io.longrun.deliver.Outcomes;
import io.longrun.scenario.Overrides;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.ScenarioReader;
import io.longrun.scenario.TargetRules;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import io.longrun.testing.Cli;
import io.longrun.testing.RunLogs;
import io.longrun.testing.TestDb;
import io.longrun.watch.DbSample;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Locale;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /**
     * One fault and the criterion it must trip. {@code onset}: when the fault starts after the target does;
     * {@code poll}: the signal's poll interval in the scenario below, for the timings table.
     */
    record Case(String name, List<String> faults, String criterion, String rule, Duration onset, String poll, boolean scheduler,
                String duration, double rate) {
        Case(String name, List<String> faults, String criterion, String rule, String poll) {
            this(name, faults, criterion, rule, Duration.ZERO, poll, true, "60s", 20);
        }

        Case onset(Duration d) {
            return new Case(name, faults, criterion, rule, d, poll, scheduler, duration, rate);
        }

        Case schedulerOff() {
            return new Case(name, faults, criterion, rule, onset, poll, false, "90s", rate);
        }

        Case rate(double r) {
            return new Case(name, faults, criterion, rule, onset, poll, scheduler, duration, r);
        }
    }

    /** A rule that fires at once: any room quiet for a second, every second. */
    static final TargetRules TWITCHY = new TargetRules(List.of(new TargetRules.Rule("no_motion", "motion", Duration.ofSeconds(1),
            Duration.ofSeconds(1), "room", Duration.ofHours(1), "warning", true)));

    static final List<Case> CASES = List.of(
            new Case("noise", List.of("log_noise=600/m"), "log_errors", "log_errors: { above_per_min: 10, for: 3s }", "logs 1s"),
            new Case("exception", List.of("repeated_exception=60/m"), "repeated_exception", "repeated_exception: { times: 5, within: 1m }", "logs 1s"),
            new Case("ramp", List.of("error_ramp=60%/m"), "error_rate_rising", "error_rate_rising: { for: 20s }", "ticks 1s").rate(50),
            new Case("utc", List.of("non_utc"), "utc_skew", "utc_skew: { table: events, id_column: id, ts_column: timestamp, above: 1m, lag: 1s }",
                    "probes 1s"),
            new Case("lose", List.of("lose=0.01"), "lost_events", "lost_events: { table: events, id_column: id, above_pct: 0, lag: 1s }",
                    "probes 1s").rate(50),
            new Case("slow", List.of("slow_after=3s", "slow_latency=800ms"), "slow_backend", "slow_backend: { p95_above: 500ms, for: 3s }",
                    "ticks 1s").onset(Duration.ofSeconds(3)),
            new Case("down", List.of("down_after=2s"), "health_failures", "health_failures: { share_pct: 50, for: 2s }", "health 500ms")
                    .onset(Duration.ofSeconds(2)),
            new Case("dup", List.of("dup_deviations"), "duplicate_rows",
                    "duplicate_rows: { sql: \"select count(*) - count(distinct (rule, subject)) from deviations\", above: 0 }", "probes 1s"),
            new Case("bloat", List.of("db_bloat=100MB/m"), "db_size_growth", "db_size_growth: { above_mb_per_hour: 500, over: 10s, for: 3s }",
                    "db 1s"),
            new Case("hot", List.of("hot_loop=5/s"), "cadence", "cadence: { log_regex: \"scheduler tick\", max_per_min: 60, for: 3s }", "logs 1s"),
            new Case("static", List.of("hot_loop=5/s"), "unexpected_growth", "unexpected_growth: { table: deviations, static: true }", "db 1s"),
            new Case("stalled", List.of(), "cadence", "cadence: { log_regex: \"scheduler tick\", min_per_min: 1, max_per_min: 120 }", "logs 1s")
                    .schedulerOff());

    /** Onset to abort per criterion, for the closing note and runbooks/stop-criteria.md: target/criteria-timings.tsv. */
    static final Path TIMINGS = Path.of("target", "criteria-timings.tsv");

    String run(Case c) throws Exception {
        DbSettings db = TestDb.freshSchema();
        Path targetLog = dir.resolve(c.name() + ".log");
        TargetServer.Config config = TargetServer.Config.of(db).withFaults(Faults.parse(c.faults())).withLogFile(targetLog)
                .withScheduler(c.scheduler());
        if (c.name().equals("dup")) config = config.withRules(TWITCHY);
        Instant targetStart = Instant.now();
        try (TargetServer t = TargetServer.start(config)) {
            Path sc = dir.resolve(c.name() + ".yaml");
            Files.writeString(sc, """
                    name: %s
                    duration: %s
                    target: { url: "%s/event", health_url: "%s/health", timeout: 5s }
                    database: { url: "%s", tables: [events, deviations] }
                    emitters: [ { name: a, rate: %s } ]
                    watch: { health_every: 500ms, db_every: 1s, logs: ["%s"], logs_every: 1s }
                    lag_allowance: 1s
                    stop_when:
                      - %s
                    """.formatted(c.name(), c.duration(), t.baseUrl(), t.baseUrl(), db.url(), c.rate(), targetLog, c.rule()));
            Path log = dir.resolve(c.name() + ".jsonl");
            Cli.Result r = new Cli(dir).run("run", sc.toString(), "--quiet", "--metrics-port", "0", "--log-file", log.toString());
            assertThat(r.code()).as(c.name() + ": " + r.all()).isEqualTo(3);
            List<JsonNode> records = RunLogs.read(log);
            JsonNode end = RunLogs.last(records, "run.end");
            assertThat(end.get("stopped_by").asText()).as(c.name()).startsWith(c.criterion());
            JsonNode alert = RunLogs.ofType(records, "alert").get(0);
            assertThat(alert.get("criterion").asText()).as(c.name()).isEqualTo(c.criterion());
            assertThat(alert.get("state").asText()).isEqualTo("firing");
            double seconds = record(c.criterion(), c.faults().isEmpty() ? "scheduler off" : String.join(" ", c.faults()), c.rule(), c.poll(),
                    targetStart.plus(c.onset()), records, alert);
            assertThat(seconds).as(c.name() + ": fired after the onset").isPositive();
            return r.out().lines().filter(l -> l.contains("firing")).findFirst().orElse("");
        }
    }

    /**
     * The seconds from the fault's onset to the firing alert, also written to {@link #TIMINGS}. The fault is visible
     * from its onset, or from the run's start when it was on before the run began.
     */
    static synchronized double record(String criterion, String fault, String rule, String poll, Instant faultOnset, List<JsonNode> records,
                                      JsonNode alert) throws IOException {
        Instant runStart = Instant.parse(records.get(0).get("time").asText());
        Instant onset = faultOnset.isAfter(runStart) ? faultOnset : runStart;
        double seconds = Duration.between(onset, Instant.parse(alert.get("time").asText())).toMillis() / 1000.0;
        Files.createDirectories(TIMINGS.getParent());
        if (!Files.exists(TIMINGS)) Files.writeString(TIMINGS, "criterion\tfault\trule\tpoll\tonset_to_abort_s\n");
        Files.writeString(TIMINGS, String.format(Locale.ROOT, "%s\t%s\t%s\t%s\t%.1f%n", criterion, fault, rule, poll, seconds),
                StandardOpenOption.APPEND);
        return seconds;
    }

    @Test
    void aLongQueryTripsDbLoad() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(TargetServer.Config.of(db)); Connection busy = TestDb.connect(db)) {
            Instant onset = Instant.now();
            CompletableFuture<Void> sleeper = CompletableFuture.runAsync(() -> {
                try (Statement st = busy.createStatement()) {
                    st.execute("select pg_sleep(30)");
                } catch (SQLException e) {
                    // cancelled below, once the run has stopped
                }
            });
            Path sc = dir.resolve("load.yaml");
            Files.writeString(sc, """
                    name: load
                    duration: 60s
                    target: { url: "%s/event", health_url: "%s/health", timeout: 5s }
                    database: { url: "%s", tables: [events] }
                    emitters: [ { name: a, rate: 20 } ]
                    watch: { health_every: 500ms, db_every: 1s }
                    stop_when:
                      - db_load: { long_queries_above: 0, long_query: 3s }
                    """.formatted(t.baseUrl(), t.baseUrl(), db.url()));
            Path log = dir.resolve("load.jsonl");
            Cli.Result r = new Cli(dir).run("run", sc.toString(), "--quiet", "--metrics-port", "0", "--log-file", log.toString());
            try (Connection c = TestDb.connect(db); Statement cancel = c.createStatement()) {
                cancel.execute("select pg_cancel_backend(pid) from pg_stat_activity where query = 'select pg_sleep(30)'");
            }
            sleeper.get(10, TimeUnit.SECONDS);
            assertThat(r.code()).as(r.all()).isEqualTo(3);
            List<JsonNode> records = RunLogs.read(log);
            assertThat(RunLogs.last(records, "run.end").get("stopped_by").asText()).startsWith("db_load");
            JsonNode alert = RunLogs.ofType(records, "alert").get(0);
            assertThat(alert.get("observed").asDouble()).isGreaterThanOrEqualTo(1);
            // the query counts as long 3 s after it began
            record("db_load", "a 'select pg_sleep(30)' held open", "db_load: { long_queries_above: 0, long_query: 3s }", "db 1s",
                    onset.plusSeconds(3), records, alert);
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
                assertThat(runs.get(i).get(5, TimeUnit.MINUTES)).as(CASES.get(i).name()).contains("ALERT [abort] " + CASES.get(i).criterion() + " firing");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The rules of {@link #CASES} as the no-fault control runs them, where a case's own window would not fit the
     * control's {@link #CONTROL_RUN}. error_rate_rising judges only once its ticks span its window and needs three
     * ticks in the window's last quarter: with 1 s ticks, for: 12s is judged from about 13 s on. cadence's 60 a
     * minute is lowered to 2, which the default rule's tick every 30 s stays under. ("stalled" is not in the
     * control: min_per_min is judged only after a whole minute, longer than any short run.)
     */
    static final Map<String, String> CONTROL_RULES = Map.of(
            "ramp", "error_rate_rising: { for: 12s }",
            "hot", "cadence: { log_regex: \"scheduler tick\", max_per_min: 2, for: 3s }");

    /**
     * The control's length: each of its criteria can fire well within it. The slowest are error_rate_rising (judged
     * from about 13 s, above) and db_size_growth (three samples over half of its 10 s, then 3 s held: about 9 s);
     * the others hold for at most 3 s on signals polled every second or faster.
     */
    static final Duration CONTROL_RUN = Duration.ofSeconds(20);

    /** The control's scenario: every case's criterion (but "stalled"), as {@link #CONTROL_RULES} words it. */
    static String controlScenario(String baseUrl, String dbUrl, Path targetLog) {
        StringBuilder rules = new StringBuilder();
        for (Case c : CASES)
            if (!c.name().equals("stalled")) rules.append("  - ").append(CONTROL_RULES.getOrDefault(c.name(), c.rule())).append('\n');
        return """
                name: clean
                duration: %ds
                target: { url: "%s/event", health_url: "%s/health", timeout: 5s }
                database: { url: "%s", tables: [events, deviations] }
                emitters: [ { name: a, rate: 20 } ]
                watch: { health_every: 500ms, db_every: 1s, logs: ["%s"], logs_every: 1s }
                lag_allowance: 1s
                stop_when:
                %s""".formatted(CONTROL_RUN.toSeconds(), baseUrl, baseUrl, dbUrl, targetLog, rules);
    }

    @Test
    void theControlsSlowestCriteriaCanFireWithinItsLength() throws Exception {
        // the control's own rules, read as a run reads them, fed what a fault would show from the first second on: the
        // error rate rising a point a second (ticks every second), the database growing 2 MB a second (sampled every second)
        Scenario sc = ScenarioReader.read("clean.yaml", "clean", new StringReader(controlScenario("http://127.0.0.1:1",
                "jdbc:postgresql://127.0.0.1:1/none", dir.resolve("clean.log"))), Overrides.NONE);
        List<Alert> alerts = new ArrayList<>();
        Criteria criteria = new Criteria(sc.stopWhen(), 0, CONTROL_RUN, alerts::add);
        long s = 1_000_000_000L;
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (long sec = 1; sec < CONTROL_RUN.toSeconds(); sec++) {
            Outcomes.Stats tick = new Outcomes.Stats("a", 100, 100, 100 - sec, 0, sec, 0, Map.of(), Map.of(), Latency.NONE, Latency.NONE);
            criteria.onTick(new TickSample(sec * s, 1, List.of(tick)), t0.plusSeconds(sec));
            criteria.onDb(new DbSample(sec * s, t0.plusSeconds(sec), Map.of(), (100 + 2 * sec) << 20, 1, 0, Optional.empty()), 0);
        }
        for (String kind : List.of("error_rate_rising", "db_size_growth"))
            assertThat(alerts).as(kind + " fired before the control's run ends").anyMatch(a -> a.kind().equals(kind) && a.firing());
    }

    @Test
    void noFaultTripsNothing() throws Exception {
        // every criterion above at once, against a target without faults, in mode A with its default rule
        DbSettings db = TestDb.freshSchema();
        Path targetLog = dir.resolve("clean.log");
        try (TargetServer t = TargetServer.start(TargetServer.Config.of(db).withLogFile(targetLog))) {
            Path sc = dir.resolve("clean.yaml");
            Files.writeString(sc, controlScenario(t.baseUrl(), db.url(), targetLog));
            Path log = dir.resolve("clean.jsonl");
            Cli.Result r = new Cli(dir).run("run", sc.toString(), "--quiet", "--metrics-port", "0", "--log-file", log.toString());
            assertThat(r.code()).as(r.all()).isZero();
            assertThat(r.out()).doesNotContain("firing");
            // the run had its full length, and every criterion had its signal through it
            List<JsonNode> records = RunLogs.read(log);
            assertThat(RunLogs.last(records, "run.end").get("elapsed_s").asDouble()).isGreaterThanOrEqualTo(CONTROL_RUN.toSeconds());
            List<String> criteria = CASES.stream().filter(c -> !c.name().equals("stalled")).map(Case::criterion).toList();
            assertThat(r.out()).contains("criteria: " + String.join(" ok, ", criteria) + " ok");
            // (the log watcher's polls are in the run log only when lines came: the clean target writes few)
            for (String type : List.of("tick", "health", "db"))
                assertThat(RunLogs.ofType(records, type)).as(type + " records").hasSizeGreaterThan(5);
            for (String probe : List.of("utc_skew", "lost_events", "duplicate_rows"))
                assertThat(RunLogs.ofType(records, "probe").stream().filter(p -> p.get("criterion").asText().equals(probe)))
                        .as(probe + " checks").hasSizeGreaterThan(5);
        }
    }
}
