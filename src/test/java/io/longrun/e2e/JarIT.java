package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.db.DbSettings;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import io.longrun.testing.Await;
import io.longrun.testing.RunLogs;
import io.longrun.testing.TestDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar and the launcher, as users run them: separate processes, real signals, exit codes. */
class JarIT {
    @TempDir
    Path dir;

    record Proc(Process process, Path out, Path err) {
        int waitFor(long seconds) throws InterruptedException {
            assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as("finished within " + seconds + " s").isTrue();
            return process.exitValue();
        }

        String stdout() throws IOException {
            return Files.readString(out);
        }

        String stderr() throws IOException {
            return Files.readString(err);
        }
    }

    Proc start(String... args) throws IOException {
        String jar = System.getProperty("longrun.jar", "target/longrun.jar");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", Path.of(jar).toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        return launch(cmd);
    }

    Proc launch(List<String> cmd) throws IOException {
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("LONGRUN_DEBUG");
        return new Proc(pb.start(), out, err);
    }

    @Test
    void theDemoRunsOnItsOwnAndItsSummaryShowsRowsEqualToAcceptedEvents() throws Exception {
        Proc p = start("demo", "--duration", "5s"); // shorter than the door emitter's start_after: it sends nothing
        int code = p.waitFor(120);
        String out = p.stdout();
        assertThat(code).as(out + p.stderr()).isZero();
        assertThat(out).contains("completed after").contains("exit 0").containsPattern("events\\s+0\\s+\\d+\\s+\\+\\d+.*= accepted events");
        String log = out.lines().filter(l -> l.startsWith("run log: ")).findFirst().orElseThrow().substring("run log: ".length());
        assertThat(log).startsWith("runs/demo-").endsWith("/run.jsonl");
        JsonNode end = RunLogs.last(RunLogs.read(dir.resolve(log)), "run.end");
        assertThat(end.at("/tables/events/rows_end").asLong()).isEqualTo(end.at("/totals/accepted").asLong()).isPositive();
        assertThat(p.stderr()).doesNotContain("Exception");
        // the demo ends by naming its report, beside the run log
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        String report = log.replace("run.jsonl", "report.html");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("report: " + report);
        assertThat(dir.resolve(report)).isRegularFile();
        assertThat(Files.readString(dir.resolve(report))).contains("<div class=\"chart\" id=\"chart-table-events\"");
    }

    @Test
    void sigtermDrainsWritesTheEndOfTheRunLogAndExits130() throws Exception {
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path sc = dir.resolve("long.yaml");
            Files.writeString(sc, """
                    duration: 10m
                    target: { url: "%s/event", health_url: "%s/health" }
                    database: { url: "%s", tables: [events] }
                    emitters: [ { name: a, rate: 100 } ]
                    """.formatted(t.baseUrl(), t.baseUrl(), db.url()));
            Path log = dir.resolve("run.jsonl");
            Proc p = start("run", sc.toString(), "--log-file", log.toString());
            // SIGTERM once a tick has counted accepted events: the run is delivering, so the drain has work to do
            long acceptedAtTick = Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), () -> {
                assertThat(p.process().isAlive()).as("still running").isTrue();
                try {
                    return RunLogs.ofType(RunLogs.read(log), "tick").stream().mapToLong(k -> k.path("accepted").asLong()).sum();
                } catch (IOException e) {
                    return 0L; // not written yet, or a line half written
                }
            }, n -> n > 0);
            assertThat(acceptedAtTick).as("events accepted by the ticks before the SIGTERM (waited 60 s)\n" + p.stdout() + p.stderr()).isPositive();
            p.process().destroy(); // SIGTERM
            int code = p.waitFor(30);
            assertThat(code).as(p.stdout() + p.stderr()).isEqualTo(130);
            assertThat(p.stdout()).contains("received SIGTERM").contains("interrupted after");
            JsonNode end = RunLogs.last(RunLogs.read(log), "run.end");
            assertThat(end.get("verdict").asText()).isEqualTo("interrupted");
            assertThat(end.get("exit_code").asInt()).isEqualTo(130);
            JsonNode totals = end.get("totals");
            long accepted = totals.get("accepted").asLong();
            assertThat(accepted).as("accepted by the end, at least what the ticks had counted").isGreaterThanOrEqualTo(acceptedAtTick);
            assertThat(accepted + totals.get("rejected").asLong() + totals.get("failed").asLong() + totals.get("dropped").asLong())
                    .isEqualTo(totals.get("planned").asLong());
            assertThat(TestDb.scalar(db, "select count(*) from events")).as("drained: every accepted event is stored").isEqualTo(accepted);
        }
    }

    @Test
    void badInputIsExit2WithAClearMessageAndNoStackTrace() throws Exception {
        Path sc = dir.resolve("bad.yaml");
        Files.writeString(sc, "duration: 1m\nemitters:\n  - name: a\n    rate: lots\n");
        Proc p = start("run", sc.toString(), "--target-url", "http://127.0.0.1:1/event");
        assertThat(p.waitFor(60)).isEqualTo(2);
        assertThat(p.stderr()).contains(sc + ":4: emitters[0].rate: must be a number, got \"lots\"").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aReplayStreamsInConstantMemory() throws Exception {
        // 80 MB of recording through a 48 MB heap: it can only pass if the replay streams
        Path big = dir.resolve("big.ndjson");
        try (var w = Files.newBufferedWriter(big)) {
            for (int i = 0; i < 600_000; i++)
                w.write(String.format("{\"id\":\"00000000-0000-0000-0000-%012d\",\"timestamp\":\"2025-12-23T12:%02d:%02d.%03dZ\","
                        + "\"category\":\"motion\",\"payload\":{\"room\":\"hall\",\"note\":\"padding padding padding\"}}%n",
                        i, i / 60_000 % 60, i / 1000 % 60, i % 1000));
        }
        assertThat(Files.size(big)).isGreaterThan(80_000_000L);
        String jar = Path.of(System.getProperty("longrun.jar", "target/longrun.jar")).toAbsolutePath().toString();
        Proc p = launch(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m", "-jar", jar,
                "replay", big.toString(), "--target-url", "http://127.0.0.1:1/none", "--rate", "100000", "--dry-run", "--quiet",
                "--log-file", dir.resolve("big.jsonl").toString()));
        assertThat(p.waitFor(120)).as(p.stderr()).isZero();
        JsonNode end = RunLogs.last(RunLogs.read(dir.resolve("big.jsonl")), "run.end");
        assertThat(end.at("/totals/planned").asLong()).isEqualTo(600_000);
    }

    @Test
    void theLauncherRunsTheJar() throws Exception {
        Path launcher = Path.of("longrun").toAbsolutePath();
        Proc p = launch(List.of(launcher.toString(), "--version"));
        assertThat(p.waitFor(300)).as(p.stderr()).isZero();
        assertThat(p.stdout()).startsWith("longrun ");
        Proc help = launch(List.of(launcher.toString(), "--help"));
        assertThat(help.waitFor(60)).isZero();
        assertThat(help.stdout()).contains("run", "validate", "demo", "target", "reset", "130");
    }
}
