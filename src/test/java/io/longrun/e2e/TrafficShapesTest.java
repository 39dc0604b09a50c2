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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Seed 000's sample scenarios, pools, templates and per-emitter URLs, against the reference target. */
class TrafficShapesTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "scenarios/{0}.yaml")
    @ValueSource(strings = {"default", "quiet", "spike", "high_errors", "burst-then-ramp"})
    void seed000sSampleScenariosRun(String name) throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path log = dir.resolve(name + ".jsonl");
            Cli.Result r = new Cli(Path.of("").toAbsolutePath()).run("run", "scenarios/" + name + ".yaml", "--duration", "3s",
                    "--target-url", t.baseUrl() + "/ingest", "--health-url", t.baseUrl() + "/health", "--log-file", log.toString());
            assertThat(r.code()).as(r.all()).isZero();
            JsonNode end = RunLogs.last(RunLogs.read(log), "run.end");
            long accepted = end.at("/totals/accepted").asLong();
            assertThat(accepted).isEqualTo(end.at("/totals/planned").asLong()).isPositive();
            // the target stored one batch row per accepted request
            assertThat(TestDb.scalar(db, "select count(*) from ingest_batches")).isEqualTo(accepted);
            // longrun counts one level per record it generates, by emitter in each tick: the target read exactly that
            // many records from each emitter, and they carried their levels (the minimal format sends none; a noisy
            // level is a number, still a level; high_errors' partial records are the test below)
            Map<String, Long> counted = new java.util.TreeMap<>();
            for (JsonNode tick : RunLogs.ofType(RunLogs.read(log), "tick"))
                tick.path("levels").forEach(n -> counted.merge(tick.get("emitter").asText(), n.asLong(), Long::sum));
            assertThat(counted).as("records longrun counted by level, per emitter").isNotEmpty();
            long all = 0;
            for (var e : counted.entrySet()) {
                String where = " from ingest_batches where emitter = '" + e.getKey() + "'";
                assertThat(TestDb.scalar(db, "select coalesce(sum(records), 0)" + where)).as("records the target read from %s", e.getKey())
                        .isEqualTo(e.getValue());
                if (!name.equals("high_errors"))
                    assertThat(TestDb.scalar(db, "select coalesce(sum(missing_level), 0)" + where)).as("records from %s without a level", e.getKey())
                            .isEqualTo(e.getKey().equals("minimal") ? e.getValue() : 0);
                all += e.getValue();
            }
            long total = 0;
            for (JsonNode n : end.get("levels_total")) total += n.asLong();
            assertThat(total).as("the run's levels_total, all emitters").isEqualTo(all);
        }
    }

    @Test
    void highErrorsRecordsReachTheTargetMissingFields() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Cli.Result r = new Cli(Path.of("").toAbsolutePath()).run("run", "scenarios/high_errors.yaml", "--duration", "3s", "--quiet",
                    "--target-url", t.baseUrl() + "/ingest", "--health-url", t.baseUrl() + "/health", "--log-file", dir.resolve("h.jsonl").toString());
            assertThat(r.code()).as(r.all()).isZero();
            long records = TestDb.scalar(db, "select sum(records) from ingest_batches");
            long missing = TestDb.scalar(db, "select sum(missing_ts + missing_level) from ingest_batches");
            assertThat(missing / (double) records).as("about half the records miss a field").isBetween(0.2, 0.8);
        }
    }

    @Test
    void aPoolATemplateAndPerEmitterUrlsAllLand() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path sc = dir.resolve("mixed.yaml");
            Files.writeString(sc, """
                    name: mixed
                    duration: 3s
                    target: { url: "%s/ingest" }
                    database: { url: "%s", tables: [events, ingest_batches] }
                    emitters:
                      - pool: { count: 4, interval: 200ms, interval_jitter: 100ms, prefix: web-app }
                        format: json
                      - name: devices
                        format: template
                        rate: 20
                        url: "%s/event"
                        headers: { X-Tenant: t1, Authorization: "Bearer very-secret-token" }
                        template:
                          id: "{{uuid}}"
                          timestamp: "{{now}}"
                          category: "{{choice(motion:3,door:1)}}"
                          payload: { room: "{{pick(hall,kitchen)}}", level: "{{int(1,9)}}", by: "{{faker(Name.firstName)}}" }
                    """.formatted(t.baseUrl(), db.url(), t.baseUrl()));
            Path log = dir.resolve("mixed.jsonl");
            Cli.Result r = new Cli(dir).env("PGUSER", "postgres").run("run", sc.toString(), "--log-file", log.toString(), "--scenario-id", "mixed-1");
            assertThat(r.code()).as(r.all()).isZero();
            JsonNode end = RunLogs.last(RunLogs.read(log), "run.end");
            assertThat(end.get("emitters").has("web-app-1")).isTrue();
            assertThat(end.get("emitters").has("web-app-4")).isTrue();
            long devices = end.at("/emitters/devices/accepted").asLong();
            assertThat(devices).isBetween(58L, 61L);
            assertThat(TestDb.scalar(db, "select count(*) from events where emitter = 'devices' and scenario_id = 'mixed-1'")).isEqualTo(devices);
            for (int k = 1; k <= 4; k++) {
                long sent = end.at("/emitters/web-app-" + k + "/accepted").asLong();
                assertThat(sent).as("3 s at one per 200 ms ± 100 ms").isBetween(10L, 20L);
                assertThat(TestDb.scalar(db, "select count(*) from ingest_batches where emitter = 'web-app-" + k + "'")).isEqualTo(sent);
            }
            String logText = Files.readString(log);
            assertThat(logText).contains("\"X-Tenant\":\"t1\"").doesNotContain("very-secret-token").contains("\"Authorization\":\"***\"");
        }
    }
}
