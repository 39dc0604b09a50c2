package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.db.DbSettings;
import io.longrun.run.RunFiles;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import io.longrun.testing.Cli;
import io.longrun.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What longrun resume refuses, with exit 2 and the reason in the user's words: a run that ended, a run whose
 * scenario copy changed, a log of another version, a run whose runner is still alive, a run that kept no copy,
 * and the flags that would change the schedule. A run that died (its run.end cut off) is resumed to its end.
 */
class ResumeRefusalsTest {
    @TempDir
    Path dir;
    DbSettings db;

    @BeforeEach
    void schema() throws Exception {
        db = TestDb.freshSchema();
    }

    /** A 3 s run against the reference target, in its own run folder; returns its run log. */
    private Path finishedRun(TargetServer t, String targetUrl) throws Exception {
        Files.writeString(dir.resolve("s.yaml"), """
                name: short
                duration: 3s
                seed: 5
                target: { url: "%s", health_url: "%s/health" }
                database: { url: "%s", tables: [events] }
                emitters: [ { name: motion, rate: 20 } ]
                stop_when:
                  - lost_events: { table: events, id_column: id, above_pct: 0, scenario_column: scenario_id }
                """.formatted(targetUrl, t.baseUrl(), db.url()));
        Cli.Result r = new Cli(dir).run("run", "s.yaml", "--quiet", "--metrics-port", "0");
        assertThat(r.code()).as(r.all()).isZero();
        String log = r.out().lines().filter(l -> l.startsWith("run log: ")).findFirst().orElseThrow().substring(9);
        return dir.resolve(log);
    }

    /** The same log as if its runner had been killed before it could write run.end. */
    private static void cutEnd(Path log) throws Exception {
        List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.contains("\"type\":\"run.end\"")).collect(Collectors.toList());
        Files.write(log, lines);
    }

    private Cli.Result resume(Path log, String... more) {
        String[] args = new String[more.length + 4];
        args[0] = "resume";
        args[1] = log.getParent().toString();
        args[2] = "--metrics-port";
        args[3] = "0";
        System.arraycopy(more, 0, args, 4, more.length);
        return new Cli(dir).run(args);
    }

    @Test
    void aRunThatEndedIsNotResumed() throws Exception {
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path log = finishedRun(t, t.baseUrl() + "/event");
            Cli.Result r = resume(log);
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains(log + ": the run ended (completed, at ").contains("there is nothing to resume");
        }
    }

    @Test
    void aChangedScenarioCopyAnotherLogVersionAndALiveRunnerAreRefusedAndADeadRunIsResumed() throws Exception {
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path log = finishedRun(t, t.baseUrl() + "/event");
            cutEnd(log);
            Path copy = log.resolveSibling("scenario.yaml");
            String original = Files.readString(copy);
            assertThat(original).contains("rate: 20");

            Files.writeString(copy, original.replace("rate: 20", "rate: 25"));
            Cli.Result changed = resume(log);
            assertThat(changed.code()).isEqualTo(2);
            assertThat(changed.err()).contains(copy + ": changed since the run started");
            Files.writeString(copy, original);

            String text = Files.readString(log);
            Files.writeString(log, text.replace("\"log_version\":2", "\"log_version\":1"));
            Cli.Result version = resume(log);
            assertThat(version.code()).isEqualTo(2);
            assertThat(version.err()).contains("written by another version of longrun (run log version 1");
            Files.writeString(log, text);

            try (RunFiles.Lock held = RunFiles.Lock.take(log)) {
                assertThat(held).isNotNull();
                Cli.Result live = resume(log);
                assertThat(live.code()).isEqualTo(2);
                assertThat(live.err()).contains("the run is still going");
            }

            Cli.Result flags = resume(log, "--duration", "10s", "--rate", "5");
            assertThat(flags.code()).isEqualTo(2);
            assertThat(flags.err()).contains("--duration, --rate cannot be given to a resume");
            Cli.Result shard = resume(log, "--shard", "1/2", "--start-at", "2030-01-01T00:00:00Z");
            assertThat(shard.code()).isEqualTo(2);
            assertThat(shard.err()).contains("a resumed run keeps the first segment's schedule: --shard and --start-at cannot be given to a resume");

            // every refusal left the log as it was; the dead run resumes, past its planned end: nothing left to send
            assertThat(Files.readString(log)).isEqualTo(text);
            Cli.Result ok = resume(log, "--quiet");
            assertThat(ok.code()).as(ok.all()).isZero();
            assertThat(Files.readString(log).lines().filter(l -> l.contains("\"type\":\"run.end\""))).hasSize(1);
            for (Cli.Result r : List.of(changed, version, flags, shard)) assertThat(r.all()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void aUrlHoldingASecretIsKeptMaskedAndMustBeGivenAgain() throws Exception {
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            String secretUrl = t.baseUrl().replace("http://", "http://ingest:s3cr3t-pw@") + "/event";
            Path log = finishedRun(t, secretUrl);
            cutEnd(log);
            assertThat(Files.readString(log)).doesNotContain("s3cr3t-pw");
            Cli.Result asked = resume(log);
            assertThat(asked.code()).isEqualTo(2);
            assertThat(asked.err()).contains("held a secret, which longrun does not keep: give it again with --target-url");
            Cli.Result ok = resume(log, "--quiet", "--target-url", secretUrl);
            assertThat(ok.code()).as(ok.all()).isZero();
            assertThat(Files.readString(log)).doesNotContain("s3cr3t-pw");
        }
    }

    @Test
    void aReplayKeepsNoScenarioCopyAndIsNotResumed() throws Exception {
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path rec = dir.resolve("day.ndjson");
            Files.writeString(rec, "{\"id\":\"8f1c2e7a-0000-4000-8000-000000000001\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"category\":\"motion\",\"payload\":{}}\n");
            Cli.Result r = new Cli(dir).run("replay", rec.toString(), "--target-url", t.baseUrl() + "/event", "--quiet", "--metrics-port", "0");
            assertThat(r.code()).as(r.all()).isZero();
            Path log = dir.resolve(r.out().lines().filter(l -> l.startsWith("run log: ")).findFirst().orElseThrow().substring(9));
            cutEnd(log);
            Cli.Result refused = resume(log);
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.err()).contains("this run kept no copy of its scenario");
        }
    }
}
