package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --shard and --start-at end to end, against the reference target and real PostgreSQL: three shards store exactly
 * the events one instance stores, id for id; their merged report has the single run's totals; a late shard counts
 * what it came too late for as missed; bad flags are refused in the user's words.
 */
class ShardsEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SCENARIO = """
            name: sharded
            duration: 4s
            seed: 11
            emitters:
              - { name: steady, rate: 45 }
              - { name: bursty, rate: 20, arrivals: poisson, schedule: { jitter_pct: 0.2 } }
              - { pool: { count: 4, interval: 500ms, interval_jitter: 100ms, prefix: dev } }
            """;

    @TempDir
    Path dir;

    Cli.Result run(TargetServer t, String log, String... more) {
        List<String> args = new ArrayList<>(List.of("run", dir.resolve("s.yaml").toString(), "--target-url", t.baseUrl() + "/event",
                "--scenario-id", "shards-e2e", "--metrics-port", "0", "--quiet", "--log-file", dir.resolve(log).toString()));
        args.addAll(List.of(more));
        return new Cli(dir).run(args.toArray(String[]::new));
    }

    static TreeSet<String> ids(DbSettings db) throws Exception {
        TreeSet<String> ids = new TreeSet<>();
        try (Connection c = TestDb.connect(db); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select id::text || ' ' || emitter from events where scenario_id = 'shards-e2e'")) {
            while (r.next()) ids.add(r.getString(1));
        }
        return ids;
    }

    @Test
    void threeShardsStoreExactlyWhatOneInstanceStoresAndTheirMergedReportHasItsTotals() throws Exception {
        Files.writeString(dir.resolve("s.yaml"), SCENARIO);
        DbSettings single = TestDb.freshSchema(), sharded = TestDb.freshSchema();
        try (TargetServer one = TargetServer.start(0, single, Faults.NONE, Map.of());
             TargetServer three = TargetServer.start(0, sharded, Faults.NONE, Map.of())) {
            Cli.Result r = run(one, "single.jsonl");
            assertThat(r.code()).as(r.all()).isZero();
            for (int i = 0; i < 3; i++) {
                Cli.Result s = run(three, "s" + i + "/run.jsonl", "--shard", i + "/3");
                assertThat(s.code()).as(s.all()).isZero();
            }
            long accepted = RunLogs.last(RunLogs.read(dir.resolve("single.jsonl")), "run.end").at("/totals/accepted").asLong();
            assertThat(accepted).isGreaterThan(200);
            TreeSet<String> a = io.longrun.testing.Await.until(java.time.Duration.ofSeconds(20), java.time.Duration.ofMillis(100), () -> ids(single),
                    x -> x.size() >= accepted);
            TreeSet<String> b = io.longrun.testing.Await.until(java.time.Duration.ofSeconds(20), java.time.Duration.ofMillis(100), () -> ids(sharded),
                    x -> x.size() >= accepted);
            assertThat(a).hasSize((int) accepted);
            // at these rates nothing is dropped, even on a busy machine: then the stored ids are the whole schedule's
            assertThat(RunLogs.last(RunLogs.read(dir.resolve("single.jsonl")), "run.end").at("/totals/dropped").asLong()).isZero();
            for (int i = 0; i < 3; i++)
                assertThat(RunLogs.last(RunLogs.read(dir.resolve("s" + i + "/run.jsonl")), "run.end").at("/totals/dropped").asLong()).isZero();
            assertThat(b).isEqualTo(a);

            // each shard sent its share of the rate emitters and whole pool members
            JsonNode s1 = RunLogs.last(RunLogs.read(dir.resolve("s1/run.jsonl")), "run.end");
            assertThat(s1.at("/emitters/steady/planned").asLong()).isEqualTo(60);
            assertThat(s1.at("/emitters/dev-2/planned").asLong()).isPositive();
            assertThat(s1.at("/emitters/dev-1/planned").asLong()).isZero();

            Cli.Result m = new Cli(dir).run("report", dir.resolve("s0/run.jsonl").toString(), dir.resolve("s1/run.jsonl").toString(),
                    dir.resolve("s2/run.jsonl").toString(), "--out", dir.resolve("merged").toString());
            assertThat(m.code()).as(m.all()).isZero();
            assertThat(m.out()).contains("merged 3 shards' run logs into");
            JsonNode merged = JSON.readTree(dir.resolve("merged/summary.json").toFile()).path("run");
            JsonNode end = RunLogs.last(RunLogs.read(dir.resolve("single.jsonl")), "run.end");
            for (String k : List.of("planned", "sent", "accepted", "rejected", "failed", "dropped"))
                assertThat(merged.at("/totals/" + k).asLong()).as(k).isEqualTo(end.at("/totals/" + k).asLong());
            assertThat(merged.at("/latency_ms/intended/count").asLong()).isEqualTo(end.at("/totals/accepted").asLong());
            assertThat(merged.path("shards")).hasSize(3);
            assertThat(dir.resolve("merged/report.html")).exists();
        }
    }

    @Test
    void aShardThatComesUpLateCountsWhatIsPastAsMissed() throws Exception {
        Files.writeString(dir.resolve("s.yaml"), SCENARIO);
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            String past = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS).toString();
            Cli.Result r = run(t, "late.jsonl", "--shard", "0/3", "--start-at", past);
            assertThat(r.code()).as(r.all()).isZero();
            List<JsonNode> records = RunLogs.read(dir.resolve("late.jsonl"));
            JsonNode end = RunLogs.last(records, "run.end"), start = RunLogs.last(records, "shard.start");
            // the warm-up alone takes over a second: the shard is late by more than that
            assertThat(start.path("late_s").asDouble()).isGreaterThan(1);
            long missed = end.at("/emitters/steady/missed").asLong();
            assertThat(missed).isPositive();
            // every event of its share is accounted for, sent or missed; none dropped: the first event the dispatcher read
            // before its warm-up is among those passed over, not sent late
            assertThat(end.at("/emitters/steady/planned").asLong()).isEqualTo(60);
            assertThat(end.at("/emitters/steady/dropped").asLong()).isZero();
            assertThat(end.at("/emitters/steady/accepted").asLong() + missed).isEqualTo(60);
            assertThat(RunLogs.last(records, "schedule.start").path("time_zero").asText()).isEqualTo(past);
        }
    }

    @Test
    void badShardFlagsAreRefusedInTheUsersWords() {
        Cli.Result r = new Cli(dir).run("run", "--target-url", "http://127.0.0.1:1/x", "--rate", "10", "--duration", "1s", "--shard", "3/3");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("'3/3': the shard's index counts from 0, so it must be below 3 (the shards of 3 are 0/3 ... 2/3)")
                .doesNotContain("Exception").doesNotContain("\tat ");
        Cli.Result t = new Cli(dir).run("run", "--target-url", "http://127.0.0.1:1/x", "--rate", "10", "--duration", "1s", "--start-at", "tomorrow");
        assertThat(t.code()).isEqualTo(2);
        assertThat(t.err()).contains("not a UTC time: 'tomorrow' (write e.g. 2026-11-30T18:30:00Z)").doesNotContain("Exception");
    }
}
