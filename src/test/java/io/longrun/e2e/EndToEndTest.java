package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.db.DbSettings;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import io.longrun.testing.Cli;
import io.longrun.testing.RunLogs;
import io.longrun.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** longrun run against the real reference target over a real PostgreSQL, through the real command line. */
class EndToEndTest {
    @TempDir
    Path dir;

    private static TargetServer target(DbSettings db, String... faults) throws Exception {
        return TargetServer.start(0, db, Faults.parse(List.of(faults)), Map.of());
    }

    private Path scenario(String yaml) throws Exception {
        Path f = dir.resolve("scenario.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static String scenarioYaml(TargetServer t, DbSettings db, String duration, double rate, String watch, String stopWhen) {
        return """
                name: e2e
                duration: %s
                seed: 7
                target: { url: "%s/event", health_url: "%s/health", timeout: 2s, max_in_flight: 32 }
                database: { url: "%s", tables: [events, deviations] }
                emitters:
                  - name: motion
                    rate: %s
                watch: %s
                stop_when:
                %s
                """.formatted(duration, t.baseUrl(), t.baseUrl(), db.url(), rate, watch, stopWhen);
    }

    /** The run log, and the console, of a run that a criterion stopped. */
    record Stopped(Cli.Result result, List<JsonNode> records, JsonNode firstAlert, JsonNode end) {}

    /** Runs a 60 s scenario against a target with a fault and checks that {@code criterion} stopped it with exit 3. */
    private Stopped stoppedBy(String criterion, String fault, double rate, String watch, String rule) throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = target(db, fault)) {
            Path sc = scenario(scenarioYaml(t, db, "60s", rate, watch, "  - " + rule));
            Path log = dir.resolve("run.jsonl");
            long t0 = System.nanoTime();
            Cli.Result r = new Cli(dir).run("run", sc.toString(), "--log-file", log.toString());
            assertThat(r.code()).as(r.all()).isEqualTo(3);
            assertThat((System.nanoTime() - t0) / 1e9).as("stopped long before the 60 s end").isLessThan(30);
            assertThat(r.out()).contains("ALERT [abort] " + criterion + " firing: ");
            List<JsonNode> records = RunLogs.read(log);
            JsonNode alert = RunLogs.ofType(records, "alert").get(0);
            assertThat(alert.get("state").asText()).isEqualTo("firing");
            assertThat(alert.get("criterion").asText()).isEqualTo(criterion);
            JsonNode end = RunLogs.last(records, "run.end");
            assertThat(end.get("exit_code").asInt()).isEqualTo(3);
            assertThat(end.get("stopped_by").asText()).startsWith(criterion);
            assertAccountedFor(end.get("totals"));
            return new Stopped(r, records, alert, end);
        }
    }

    /** Every planned event ended in exactly one outcome. */
    private static void assertAccountedFor(JsonNode totals) {
        assertThat(totals.get("accepted").asLong() + totals.get("rejected").asLong() + totals.get("failed").asLong()
                + totals.get("dropped").asLong()).isEqualTo(totals.get("planned").asLong());
        assertThat(totals.get("sent").asLong()).isEqualTo(totals.get("planned").asLong() - totals.get("dropped").asLong());
    }

    @Test
    void aSoakStoresEveryAcceptedEventAndAccountsForEveryPlannedOne() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = target(db)) {
            Path sc = scenario(scenarioYaml(t, db, "5s", 200, "{ health_every: 1s, db_every: 1s }",
                    "  - health_failures: { consecutive: 3 }\n  - error_rate: { above_pct: 5, for: 2s }"));
            Path log = dir.resolve("run.jsonl");
            Cli.Result r = new Cli(dir).env("PGUSER", "postgres").run("run", sc.toString(), "--log-file", log.toString(), "--scenario-id", "e2e-a");
            assertThat(r.code()).as(r.all()).isZero();

            List<JsonNode> records = RunLogs.read(log);
            JsonNode end = RunLogs.last(records, "run.end");
            JsonNode totals = end.get("totals");
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = totals.fieldNames(); it.hasNext(); ) keys.add(it.next());
            assertThat(keys).containsExactlyInAnyOrder("planned", "sent", "accepted", "rejected", "failed", "dropped");
            long planned = totals.get("planned").asLong(), accepted = totals.get("accepted").asLong();
            assertThat(planned).isBetween(999L, 1001L); // 5 s x 200/s, within one event
            assertAccountedFor(totals);
            assertThat(accepted).isGreaterThan(planned * 9 / 10);
            assertThat(end.get("verdict").asText()).isEqualTo("completed");
            assertThat(end.get("exit_code").asInt()).isZero();

            // The database agrees with longrun: one row per accepted event, tagged with this run's scenario id.
            assertThat(TestDb.scalar(db, "select count(*) from events")).isEqualTo(accepted);
            assertThat(TestDb.scalar(db, "select count(*) from events where scenario_id = 'e2e-a' and emitter = 'motion'")).isEqualTo(accepted);
            assertThat(end.at("/tables/events/rows_end").asLong() - end.at("/tables/events/rows_start").asLong()).isEqualTo(accepted);
            assertThat(r.out()).contains("= accepted events").contains("run log: " + log);

            // Per-tick records carry the figures the issue names, and add up to the totals.
            List<JsonNode> ticks = RunLogs.ofType(records, "tick");
            assertThat(ticks).hasSizeGreaterThanOrEqualTo(5);
            for (String k : List.of("emitter", "planned", "sent", "accepted", "rejected", "failed", "dropped", "eff_eps", "p50", "p95", "p99"))
                assertThat(ticks.get(0).has(k)).as("tick has %s", k).isTrue();
            assertThat(ticks.stream().mapToLong(x -> x.get("planned").asLong()).sum()).isEqualTo(planned);
            assertThat(ticks.stream().mapToLong(x -> x.get("accepted").asLong()).sum()).isEqualTo(accepted);
            assertThat(RunLogs.ofType(records, "health")).isNotEmpty().allMatch(h -> h.get("status").asInt() == 200);
            // the database watcher: exact counts at both ends, the statistics in between, and each record says which
            List<JsonNode> events = RunLogs.ofType(records, "db").stream().filter(d -> d.path("table").asText().equals("events")).toList();
            assertThat(events).hasSizeGreaterThanOrEqualTo(4);
            assertThat(events.get(0).get("method").asText()).isEqualTo("exact");
            assertThat(events.get(0).get("rows").asLong()).isEqualTo(end.at("/tables/events/rows_start").asLong()).isZero();
            assertThat(events.subList(1, events.size() - 1)).allMatch(d -> d.get("method").asText().equals("stats"));
            assertThat(events.get(events.size() - 1).get("method").asText()).isEqualTo("exact");
            assertThat(events.get(events.size() - 1).get("rows").asLong()).isEqualTo(accepted);
            assertThat(end.at("/tables/events/rows_start_method").asText()).isEqualTo("exact");
            assertThat(end.at("/tables/events/rows_end_method").asText()).isEqualTo("exact");
            assertThat(r.out()).contains("rows start and end are exact: count(*) before the first event and after the drain");
            JsonNode start = records.get(0);
            assertThat(start.get("type").asText()).isEqualTo("run.start");
            assertThat(start.get("seed").asLong()).isEqualTo(7);
            assertThat(start.get("scenario_id").asText()).isEqualTo("e2e-a");
        }
    }

    @Test
    void aTargetThatGoesDownStopsTheRunWithExit3NamingHealth() throws Exception {
        Stopped s = stoppedBy("health_failures", "down_after=2s", 50, "{ health_every: 250ms, db_every: 1s }",
                "health_failures: { consecutive: 3 }");
        assertThat(s.result().out()).contains("health check failed 3 time(s) in a row (last: 503");
        assertThat(s.firstAlert().get("observed").asDouble()).isEqualTo(3);
        assertThat(s.firstAlert().get("threshold").asDouble()).isEqualTo(3);
    }

    @Test
    void aHotLoopStopsTheRunWithExit3NamingTableGrowth() throws Exception {
        Stopped s = stoppedBy("table_growth", "hot_loop=200/s", 20, "{ health_every: 1s, db_every: 500ms }",
                "table_growth: { table: deviations, above_per_min: 100, for: 2s }");
        assertThat(s.result().out()).contains("table deviations grew");
        assertThat(s.firstAlert().get("observed").asDouble()).as("rows/min near 200/s x 60").isBetween(6000.0, 18000.0);
        assertThat(s.firstAlert().get("threshold").asDouble()).isEqualTo(100);
    }

    @Test
    void persistentServerErrorsStopTheRunWithExit3NamingErrorRate() throws Exception {
        Stopped s = stoppedBy("error_rate", "error_rate=0.5", 100, "{ health_every: 1s, db_every: 1s }",
                "error_rate: { above_pct: 20, for: 2s }");
        assertThat(s.firstAlert().get("observed").asDouble()).as("about half fail").isBetween(30.0, 70.0);
        assertThat(s.end().at("/failed_by/500").asLong()).isPositive();
        assertThat(s.end().at("/totals/failed").asLong()).isPositive();
    }

    @Test
    void aTimeOutIsAFailureCountedByReasonAndTheRunStillAccountsForEveryEvent() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = target(db, "latency=1500ms")) {
            Path sc = scenario("""
                    duration: 3s
                    target: { url: "%s/event", timeout: 300ms, max_in_flight: 100 }
                    emitters: [ { name: slow, rate: 20 } ]
                    """.formatted(t.baseUrl()));
            Path log = dir.resolve("run.jsonl");
            Cli.Result r = new Cli(dir).run("run", sc.toString(), "--log-file", log.toString());
            assertThat(r.code()).as(r.all()).isZero(); // no criterion was asked for
            JsonNode end = RunLogs.last(RunLogs.read(log), "run.end");
            assertAccountedFor(end.get("totals"));
            assertThat(end.at("/totals/accepted").asLong()).isZero();
            assertThat(end.at("/failed_by/timeout").asLong()).isEqualTo(end.at("/totals/failed").asLong()).isPositive();
            assertThat(r.out()).contains("failed by reason: {timeout=");
        }
    }

    @Test
    void aMalformedScenarioIsExit2WithEveryKeyPathAndNoStackTrace() throws Exception {
        Path sc = scenario("""
                name: bad
                duration: 60
                target: { url: "ftp://example.org/event", max_in_flight: 0 }
                emitters:
                  - name: motion
                    rate: fast
                    schedule: { rmap_up: 10s }
                stop_when:
                  - error_rat: { above_pct: 5 }
                """);
        Cli.Result r = new Cli(dir).run("run", sc.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .contains(sc + ":2: duration: needs a unit, e.g. 60s")
                .contains(sc + ":3: target.url: must be an http:// or https:// URL")
                .contains(sc + ":3: target.max_in_flight: must be between 1 and")
                .contains(sc + ":6: emitters[0].rate: must be a number, got \"fast\"")
                .contains(sc + ":7: emitters[0].schedule.rmap_up: unknown key (did you mean 'ramp_up'?)")
                .contains("stop_when[0]: unknown criterion \"error_rat\" (did you mean 'error_rate'?)")
                .contains("6 problem(s): nothing was run")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
        assertThat(dir.resolve("runs")).doesNotExist();
    }

    @Test
    void anUnreachableTargetOrDatabaseIsExit2AtStart() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Path sc = scenario("""
                duration: 10s
                target: { url: "http://127.0.0.1:1/event" }
                emitters: [ { name: a, rate: 1 } ]
                """);
        Cli.Result r = new Cli(dir).run("run", sc.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("target http://127.0.0.1:1/event is unreachable").doesNotContain("\tat ");

        try (TargetServer t = target(db)) {
            Path sc2 = scenario("""
                    duration: 10s
                    database: { tables: [events, no_such_table] }
                    emitters: [ { name: a, rate: 1 } ]
                    """);
            Cli.Result r2 = new Cli(dir).run("run", sc2.toString(), "--target-url", t.baseUrl() + "/event", "--db-url", db.url());
            assertThat(r2.code()).isEqualTo(2);
            assertThat(r2.err()).contains("no such table: no_such_table");
            Cli.Result r3 = new Cli(dir).run("run", sc2.toString(), "--target-url", t.baseUrl() + "/event",
                    "--db-url", "jdbc:postgresql://127.0.0.1:1/none");
            assertThat(r3.code()).isEqualTo(2);
            assertThat(r3.err()).contains("database: cannot connect to jdbc:postgresql://127.0.0.1:1/none");
        }
    }

    @Test
    void secretsNeverReachTheRunLogOrTheConsole() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = target(db)) {
            String secretUrl = db.url() + "&password=hunter2-secret";
            Path sc = scenario("""
                    duration: 2s
                    target: { url: "%s/event?token=tok-secret-123", health_url: "%s/health" }
                    database: { url: "%s", password_env: MY_DB_PASSWORD, tables: [events] }
                    emitters: [ { name: a, rate: 20 } ]
                    """.formatted(t.baseUrl(), t.baseUrl(), secretUrl));
            Path log = dir.resolve("run.jsonl");
            Cli.Result r = new Cli(dir).env("MY_DB_PASSWORD", "env-secret-456").run("run", sc.toString(), "--log-file", log.toString());
            assertThat(r.code()).as(r.all()).isZero();
            String logText = Files.readString(log);
            for (String secret : List.of("hunter2-secret", "tok-secret-123", "env-secret-456")) {
                assertThat(logText).doesNotContain(secret);
                assertThat(r.all()).doesNotContain(secret);
            }
            assertThat(logText).contains("password=***").contains("token=***").contains("\"password_env\":\"MY_DB_PASSWORD\"");
        }
    }

    @Test
    void aPasswordInTheScenarioFileIsRefused() throws Exception {
        Path sc = scenario("""
                duration: 10s
                target: { url: "http://127.0.0.1:8000/event" }
                database: { url: "jdbc:postgresql://127.0.0.1/x", password: "hunter2" }
                emitters: [ { name: a, rate: 1 } ]
                """);
        Cli.Result r = new Cli(dir).run("validate", sc.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("database.password: a password is never written in a scenario").doesNotContain("hunter2");
    }
}
