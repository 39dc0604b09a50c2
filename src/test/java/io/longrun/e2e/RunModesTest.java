package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longrun.db.DbSettings;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import io.longrun.testing.Cli;
import io.longrun.testing.RunLogs;
import io.longrun.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Quick mode, --dry-run, --strict, --record and schedule_not_met, end to end. */
class RunModesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aQuickRunNeedsNoScenarioFile() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path log = dir.resolve("q.jsonl");
            Cli.Result r = new Cli(dir).run("run", "--target-url", t.baseUrl() + "/event", "--rate", "50", "--duration", "2s",
                    "--log-file", log.toString(), "--quiet");
            assertThat(r.code()).as(r.all()).isZero();
            JsonNode end = RunLogs.last(RunLogs.read(log), "run.end");
            assertThat(end.at("/totals/planned").asLong()).isEqualTo(100);
            assertThat(TestDb.scalar(db, "select count(*) from events")).isEqualTo(end.at("/totals/accepted").asLong()).isEqualTo(100);
            Cli.Result json = new Cli(dir).run("run", "--target-url", t.baseUrl() + "/ingest", "--rate", "10", "--duration", "1s",
                    "--format", "ndjson", "--quiet", "--log-file", dir.resolve("n.jsonl").toString());
            assertThat(json.code()).as(json.all()).isZero();
            assertThat(TestDb.scalar(db, "select count(*) from ingest_batches where format = 'ndjson'")).isEqualTo(10);
        }
        Cli.Result missing = new Cli(dir).run("run", "--rate", "50");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("give a SCENARIO.yaml, or for a quick run --target-url, --duration");
    }

    @Test
    void aDryRunPlansPerTickAndSendsNothing() throws Exception {
        Path sc = dir.resolve("s.yaml");
        Files.writeString(sc, """
                duration: 10s
                target: { url: "http://127.0.0.1:1/nowhere" }
                emitters:
                  - { name: a, rate: 10, schedule: { ramp_up: 4s } }
                  - { name: b, rate: 2.5 }
                """);
        Path log = dir.resolve("d.jsonl");
        Cli.Result r = new Cli(dir).run("run", sc.toString(), "--dry-run", "--log-file", log.toString());
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("dry run of s").contains("tick     0 [0s] | a n=2 eff_eps=1.25 | b n=3 eff_eps=2.5")
                .contains("tick     9 [9s] | a n=10 eff_eps=10 | b n=2 eff_eps=2.5");
        List<JsonNode> records = RunLogs.read(log);
        assertThat(RunLogs.ofType(records, "tick")).hasSize(20).allMatch(t -> t.get("dry_run").asBoolean());
        JsonNode end = RunLogs.last(records, "run.end");
        // a: 10/s over 10 s less half of a 4 s ramp = 80; b: 25
        assertThat(end.at("/emitters/a/planned").asLong()).isEqualTo(80);
        assertThat(end.at("/emitters/b/planned").asLong()).isEqualTo(25);
        assertThat(end.at("/totals/sent").asLong()).isZero();
    }

    @Test
    void strictStopsAtTheFirstFailedDeliveryAndTimeOutsOnlyWithStrictTimeouts() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.parse(List.of("error_rate=0.3")), Map.of())) {
            Path log = dir.resolve("s.jsonl");
            Cli.Result r = new Cli(dir).run("run", "--target-url", t.baseUrl() + "/event", "--rate", "50", "--duration", "30s", "--strict",
                    "--log-file", log.toString());
            assertThat(r.code()).as(r.all()).isEqualTo(3);
            assertThat(r.out()).contains("ALERT [abort] strict firing: delivery failed (500)");
            assertThat(RunLogs.last(RunLogs.read(log), "run.end").get("stopped_by").asText()).startsWith("strict");
        }
        DbSettings db2 = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db2, Faults.parse(List.of("latency=800ms")), Map.of())) {
            Path sc = dir.resolve("slow.yaml");
            Files.writeString(sc, "duration: 2s\ntarget: { url: \"" + t.baseUrl() + "/event\", timeout: 200ms }\nemitters: [ { name: a, rate: 10 } ]\n");
            Cli.Result lenient = new Cli(dir).run("run", sc.toString(), "--strict", "--quiet", "--log-file", dir.resolve("l.jsonl").toString());
            assertThat(lenient.code()).as("a time-out is not a failure for --strict alone").isZero();
            Cli.Result strict = new Cli(dir).run("run", sc.toString(), "--strict-timeouts", "--quiet", "--log-file", dir.resolve("t.jsonl").toString());
            assertThat(strict.code()).isEqualTo(3);
            assertThat(strict.out()).contains("delivery failed (timeout)");
        }
    }

    @Test
    void scheduleNotMetStopsARunThatCannotKeepItsRate() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.parse(List.of("latency=500ms")), Map.of())) {
            Path sc = dir.resolve("tight.yaml");
            // 4 requests in flight at 500 ms each carry 8/s at most: 100/s cannot be met
            Files.writeString(sc, """
                    duration: 60s
                    target: { url: "%s/event", max_in_flight: 4 }
                    emitters: [ { name: a, rate: 100 } ]
                    stop_when:
                      - schedule_not_met: { dropped_pct_above: 10, for: 2s }
                    """.formatted(t.baseUrl()));
            Path log = dir.resolve("n.jsonl");
            Cli.Result r = new Cli(dir).run("run", sc.toString(), "--log-file", log.toString());
            assertThat(r.code()).as(r.all()).isEqualTo(3);
            assertThat(r.out()).contains("ALERT [abort] schedule_not_met firing:").contains("of due events dropped");
            JsonNode end = RunLogs.last(RunLogs.read(log), "run.end");
            assertThat(end.at("/totals/dropped").asLong()).isPositive();
        }
    }

    @Test
    void theSameScenarioAndSeedRecordTheSameEventsSendTimesAside() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path sc = dir.resolve("rec.yaml");
            Files.writeString(sc, """
                    duration: 2s
                    seed: 99
                    target: { url: "%s/ingest" }
                    emitters:
                      - { name: logs, format: json-batch, rate: 20, batch_size: 3, schedule: { jitter_pct: 0.2 } }
                      - { name: csv, format: csv, rate: 5, arrivals: poisson }
                    """.formatted(t.baseUrl()));
            List<String> a = recorded(sc, "a"), b = recorded(sc, "b");
            assertThat(a).hasSizeGreaterThan(40).isEqualTo(b);
            JsonNode first = JSON.readTree(Files.readAllLines(dir.resolve("a.ndjson")).get(0));
            for (String k : List.of("emitter", "seq", "intended_s", "intended", "sent", "outcome", "status", "latency_ms", "content_type", "body"))
                assertThat(first.has(k)).as(k).isTrue();
        }
    }

    /** The record file's lines, sorted, without the times of sending (which differ from run to run). */
    private List<String> recorded(Path sc, String name) throws Exception {
        Path file = dir.resolve(name + ".ndjson");
        Cli.Result r = new Cli(dir).run("run", sc.toString(), "--record", file.toString(), "--scenario-id", "same", "--quiet",
                "--log-file", dir.resolve(name + ".jsonl").toString());
        assertThat(r.code()).as(r.all()).isZero();
        return Files.readAllLines(file).stream().map(l -> {
            try {
                ObjectNode o = (ObjectNode) JSON.readTree(l);
                o.remove(List.of("intended", "sent", "latency_ms"));
                // the bodies carry their send time too
                o.put("body", o.get("body").asText().replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "T"));
                return o.toString();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).sorted().toList();
    }
}
