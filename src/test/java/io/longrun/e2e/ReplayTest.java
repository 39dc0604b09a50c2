package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.db.DbSettings;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import io.longrun.testing.Cli;
import io.longrun.testing.RunLogs;
import io.longrun.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** longrun replay end to end: a recorded run replayed into another database, and the ways a replay can go. */
class ReplayTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** When an event of a --record file was due: seconds from its run's start, and the instant. */
    record Due(double seconds, Instant at) {}

    /** The due times of a --record file's events by event id, in the file's order. */
    static Map<String, Due> dueById(Path recordFile) throws Exception {
        Map<String, Due> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(recordFile)) {
            JsonNode r = JSON.readTree(line);
            out.put(JSON.readTree(r.get("body").asText()).get("id").asText(), new Due(r.get("intended_s").asDouble(), Instant.parse(r.get("intended").asText())));
        }
        return out;
    }

    @Test
    void aRecordedRunReplaysExactlyAndWithNewIdsTwice() throws Exception {
        DbSettings first = TestDb.freshSchema();
        Path record = dir.resolve("rec.ndjson");
        try (TargetServer t = TargetServer.start(0, first, Faults.NONE, Map.of())) {
            Cli.Result r = new Cli(dir).run("run", "--target-url", t.baseUrl() + "/event", "--rate", "40", "--duration", "2s", "--seed", "3",
                    "--record", record.toString(), "--quiet", "--log-file", dir.resolve("a.jsonl").toString());
            assertThat(r.code()).as(r.all()).isZero();
        }
        assertThat(Files.readAllLines(record)).hasSize(80);
        DbSettings second = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, second, Faults.NONE, Map.of())) {
            Path log = dir.resolve("b.jsonl");
            Path replayed = dir.resolve("replayed.ndjson");
            Cli.Result r = new Cli(dir).run("replay", record.toString(), "--target-url", t.baseUrl() + "/event", "--speed", "4", "--log-file", log.toString(),
                    "--record", replayed.toString());
            assertThat(r.code()).as(r.all()).isZero();
            assertThat(r.out()).contains("replaying 1 recording(s) at 4.0x their pace");
            JsonNode end = RunLogs.last(RunLogs.read(log), "run.end");
            assertThat(end.at("/totals/accepted").asLong()).isEqualTo(80);
            // at 4x, "the recorded gaps divided by 4": in the recording's order, each event is due a quarter of the way
            // from the first record's time to the latest read so far (one earlier than the record before it goes at
            // once), as the replay's own --record file states its due times
            Map<String, Due> recorded = dueById(record), replay = dueById(replayed);
            assertThat(replay.keySet()).containsExactlyInAnyOrderElementsOf(recorded.keySet());
            double t0 = recorded.values().iterator().next().seconds(), latest = t0;
            for (var e : recorded.entrySet()) {
                latest = Math.max(latest, e.getValue().seconds());
                assertThat(replay.get(e.getKey()).seconds()).as("due time of %s", e.getKey()).isCloseTo((latest - t0) / 4, within(1e-5));
            }
            // and the target's clock agrees: no row was written before its event was due (1 ms of batching slack, 1 ms
            // for rounding), none later than a tick (a later event is dropped: none was) and the slowest response
            Duration slowest = Duration.ofNanos((long) (end.at("/latency_ms/service/max").asDouble() * 1e6));
            try (var c = TestDb.connect(second); var st = c.createStatement(); var rows = st.executeQuery("select id::text, received_at from events")) {
                while (rows.next()) {
                    Instant due = replay.get(rows.getString(1)).at(), written = rows.getObject(2, java.time.OffsetDateTime.class).toInstant();
                    assertThat(written).as("written, event %s due at %s", rows.getString(1), due)
                            .isBetween(due.minusMillis(2), due.plusSeconds(1).plus(slowest));
                }
            }
            // the same events, id for id
            assertThat(TestDb.scalar(second, "select count(*) from events")).isEqualTo(80);
            String ids = "select string_agg(id::text, ',' order by id) from events";
            try (var c1 = TestDb.connect(first); var c2 = TestDb.connect(second); var s1 = c1.createStatement(); var s2 = c2.createStatement();
                 var r1 = s1.executeQuery(ids); var r2 = s2.executeQuery(ids)) {
                r1.next();
                r2.next();
                assertThat(r2.getString(1)).isEqualTo(r1.getString(1));
            }
            // once more with new ids and twice over: 160 new rows, stamped from the moment they are sent
            java.time.Instant before = java.time.Instant.now().minusMillis(5);
            Cli.Result again = new Cli(dir).run("replay", record.toString(), "--target-url", t.baseUrl() + "/event", "--rate", "200", "--new-ids",
                    "--loop", "2", "--rebase", "now", "--quiet", "--log-file", dir.resolve("c.jsonl").toString());
            assertThat(again.code()).as(again.all()).isZero();
            assertThat(TestDb.scalar(second, "select count(*) from events")).isEqualTo(240);
            assertThat(TestDb.scalar(second, "select count(*) from events where \"timestamp\" >= '" + before + "'")).isEqualTo(160);
        }
    }

    @Test
    void badLinesAreReportedWithTheirLineAndStrictRefusesTheFile() throws Exception {
        Path f = dir.resolve("mixed.ndjson");
        Files.writeString(f, """
                {"id":"00000000-0000-0000-0000-000000000001","timestamp":"2025-12-23T12:00:00Z","category":"motion","payload":{}}
                not json at all
                {"id":"00000000-0000-0000-0000-000000000002","timestamp":"2025-12-23T13:00:00.100+01:00","category":"motion","payload":{}}
                {"id":"00000000-0000-0000-0000-000000000003","timestamp":"2025-12-23T12:00:00.200Z","category":"door","payload":{}}
                """);
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path log = dir.resolve("r.jsonl");
            Cli.Result r = new Cli(dir).run("replay", f.toString(), "--target-url", t.baseUrl() + "/event", "--log-file", log.toString());
            assertThat(r.code()).as(r.all()).isZero();
            assertThat(r.out()).contains("replay replay: {malformed=1, non_utc=1}").contains(f + ":2: not JSON").contains(f + ":3: timestamp is not UTC");
            assertThat(TestDb.scalar(db, "select count(*) from events")).isEqualTo(2);
            assertThat(RunLogs.last(RunLogs.read(log), "replay.skips").at("/skipped/non_utc").asLong()).isEqualTo(1);

            Cli.Result strict = new Cli(dir).run("replay", f.toString(), "--target-url", t.baseUrl() + "/event", "--strict", "--log-file", dir.resolve("s.jsonl").toString());
            assertThat(strict.code()).isEqualTo(2);
            assertThat(strict.err()).contains("replay --strict: " + f + ":2: not JSON (nothing was sent)");
            assertThat(TestDb.scalar(db, "select count(*) from events")).isEqualTo(2);
        }
        Cli.Result missing = new Cli(dir).run("replay", "nope.ndjson", "--target-url", "http://127.0.0.1:1/x");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.ndjson: no such recording");
    }

    @Test
    void aScenarioCanReplayAsOneOfItsSources() throws Exception {
        Path rec = dir.resolve("events.ndjson");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 30; i++)
            b.append(String.format("{\"id\":\"00000000-0000-0000-0000-%012d\",\"timestamp\":\"2025-12-23T12:00:00Z\",\"meta\":{\"at\":\"2025-12-23T12:00:%02d.000Z\"},"
                    + "\"category\":\"motion\",\"payload\":{}}%n", i, i));
        Files.writeString(rec, b.toString());
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path sc = dir.resolve("s.yaml");
            Files.writeString(sc, """
                    duration: 3s
                    target: { url: "%s/event" }
                    emitters:
                      - { name: recorded, source: replay, files: [events.ndjson], rate: 10, timestamp_field: meta.at }
                      - { name: live, rate: 5 }
                    """.formatted(t.baseUrl()));
            Path log = dir.resolve("s.jsonl");
            Cli.Result r = new Cli(dir).run("run", sc.toString(), "--quiet", "--log-file", log.toString());
            assertThat(r.code()).as(r.all()).isZero();
            JsonNode end = RunLogs.last(RunLogs.read(log), "run.end");
            assertThat(end.at("/emitters/recorded/accepted").asLong()).isEqualTo(30);
            assertThat(end.at("/emitters/live/accepted").asLong()).isEqualTo(15);
        }
    }
}
