package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.db.DbSettings;
import io.longrun.target.Faults;
import io.longrun.target.TargetServer;
import io.longrun.testing.Cli;
import io.longrun.testing.RunLogs;
import io.longrun.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phases that wait ({@code until:}) and act ({@code on_start:}, {@code on_end:}), through the command line against the
 * reference target and its real database: the run ends when the last phase's condition holds, a timeout that expires
 * is a failed step (exit 4) and the phases after it do not run, and actions' output and outcomes reach the run log.
 */
class StepsRunTest {
    @TempDir
    Path dir;

    private Cli.Result run(String yaml, Path log, String... more) throws Exception {
        Path sc = dir.resolve("s.yaml");
        Files.writeString(sc, yaml);
        List<String> args = new java.util.ArrayList<>(List.of("run", sc.toString(), "--seed", "3", "--log-file", log.toString()));
        args.addAll(List.of(more));
        return new Cli(dir).run(args.toArray(String[]::new));
    }

    private static List<JsonNode> steps(List<JsonNode> rec) {
        return RunLogs.ofType(rec, "step");
    }

    @Test
    void aLastPhaseWithRateZeroWaitsUntilTheRowsSettleAndTheRunEndsThen() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path log = dir.resolve("settle.jsonl");
            long t0 = System.nanoTime();
            Cli.Result r = run("""
                    name: settle
                    target: { url: "%s/event" }
                    database: { url: "%s", tables: [events] }
                    emitters: [ { name: a, rate: 50 } ]
                    phases:
                      - { name: load, duration: 3s }
                      - name: settle
                        rate: 0
                        until: { sql: "select count(*) >= 150 from events" }
                        timeout: 1m
                        on_end: [ { command: { run: "echo settled; echo the password is $LONGRUN_TEST_SECRET_TOKEN" } } ]
                    assert: [ { name: all-stored, sql: "select count(*) = 150 from events" } ]
                    """.formatted(t.baseUrl(), db.url()), log);
            double wall = (System.nanoTime() - t0) / 1e9;
            List<JsonNode> rec = RunLogs.read(log);
            assertThat(r.code()).as(r.all()).isNotIn(3, 4, 130);
            assertThat(wall).as("the run ended when the rows settled, not at the timeout (1m3s)").isLessThan(40);
            JsonNode exp = RunLogs.last(rec, "experiment");
            assertThat(exp.at("/phases/1/end_s").asDouble()).isEqualTo(63.0); // planned: the timeout
            assertThat(exp.at("/phases/1/until").asText()).isEqualTo("sql select count(*) >= 150 from events");
            JsonNode settleEnd = RunLogs.ofType(rec, "phase.end").get(1);
            assertThat(settleEnd.get("cut").asBoolean()).isFalse();
            assertThat(settleEnd.get("elapsed_s").asDouble()).isBetween(3.0, 20.0); // actual
            JsonNode until = steps(rec).get(0);
            assertThat(until.get("step").asText()).isEqualTo("until");
            assertThat(until.get("ok").asBoolean()).isTrue();
            assertThat(until.get("observed").asText()).isEqualTo("the query answered true");
            JsonNode onEnd = steps(rec).get(1);
            assertThat(onEnd.get("step").asText()).isEqualTo("on_end[0]");
            assertThat(onEnd.get("exit_code").asInt()).isZero();
            assertThat(onEnd.get("output").asText()).startsWith("settled\n").contains("the password is ***").doesNotContain("hunter22");
            assertThat(RunLogs.last(rec, "run.end").at("/totals/planned").asLong()).isEqualTo(150);
            assertThat(r.out()).contains("phase settle: until sql select count(*) >= 150 from events held after");
        }
    }

    @Test
    void aTimeoutThatExpiresIsAFailedStepExit4AndThePhasesAfterItDoNotRun() throws Exception {
        DbSettings db = TestDb.freshSchema();
        Path marker = dir.resolve("on-end-ran");
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path log = dir.resolve("timeout.jsonl");
            Cli.Result r = run("""
                    name: timeout
                    target: { url: "%s/event" }
                    database: { url: "%s" }
                    emitters: [ { name: a, rate: 20 } ]
                    phases:
                      - { name: load, duration: 2s }
                      - name: wait
                        until: { sql: "select count(*) > 1000000 from events" }
                        timeout: 2s
                        on_end: [ { command: { run: "touch %s" } } ]
                      - { name: after, duration: 30s }
                    """.formatted(t.baseUrl(), db.url(), marker), log);
            List<JsonNode> rec = RunLogs.read(log);
            assertThat(r.code()).as(r.all()).isEqualTo(4);
            JsonNode until = steps(rec).get(0);
            assertThat(until.get("ok").asBoolean()).isFalse();
            assertThat(until.get("error").asText()).isEqualTo("timed out after 2s: sql select count(*) > 1000000 from events did not hold"
                    + " (last: the query answered false)");
            assertThat(RunLogs.ofType(rec, "phase.start")).extracting(n -> n.get("phase").asText()).containsExactly("load", "wait");
            assertThat(RunLogs.ofType(rec, "phase.end").get(1).get("cut").asBoolean()).isTrue();
            assertThat(marker).as("on_end runs after a failed step").exists();
            assertThat(RunLogs.last(rec, "run.end").get("exit_code").asInt()).isEqualTo(4);
            assertThat(RunLogs.last(rec, "run.end").get("elapsed_s").asDouble()).isLessThan(15);
            assertThat(r.out()).contains("phase wait: step until failed: timed out after 2s").contains("wait/until");
        }
    }
}
