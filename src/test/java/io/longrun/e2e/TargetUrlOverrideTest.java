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

/** README's example, {@code ./longrun run my.yaml --target-url http://staging:8000/event}: the health check goes along. */
class TargetUrlOverrideTest {
    @TempDir
    Path dir;

    Path scenario(String target, String health) throws Exception {
        Path f = dir.resolve("my.yaml");
        Files.writeString(f, """
                name: my
                duration: 4s
                target: { url: "%s", health_url: "%s", timeout: 5s }
                emitters: [ { name: motion, rate: 20 } ]
                watch: { health_every: 500ms }
                stop_when:
                  - health_failures: { consecutive: 3 }
                """.formatted(target, health));
        return f;
    }

    @Test
    void theReadmesExampleMovesTheHealthCheckToTheNewTargetAndTheRunPasses() throws Exception {
        int dead = MetricsTest.freePort(); // nothing listens there: the file's target, where the run must no longer look
        DbSettings db = TestDb.freshSchema();
        try (TargetServer t = TargetServer.start(0, db, Faults.NONE, Map.of())) {
            Path my = scenario("http://127.0.0.1:" + dead + "/event", "http://127.0.0.1:" + dead + "/health");
            Path log = dir.resolve("run.jsonl");
            Cli.Result r = new Cli(dir).run("run", my.toString(), "--target-url", t.baseUrl() + "/event", "--log-file", log.toString(),
                    "--metrics-port", "0");
            // before: the checks went to the dead port, health_failures fired after three, exit 3
            assertThat(r.code()).as(r.all()).isZero();
            assertThat(r.out()).contains("health: " + t.baseUrl() + "/health (moved with --target-url)");
            List<JsonNode> records = RunLogs.read(log);
            assertThat(records.get(0).at("/config/target/health_url").asText()).isEqualTo(t.baseUrl() + "/health");
            List<JsonNode> health = RunLogs.ofType(records, "health");
            // every check reached the new target (the dead port refuses: "connect"); a busy machine may time one out
            assertThat(health).allSatisfy(h -> assertThat(h.get("ok").asBoolean() || h.path("error").asText().equals("timeout")).as(h.toString()).isTrue());
            assertThat(health.stream().filter(h -> h.get("ok").asBoolean() && h.get("status").asInt() == 200)).as("passed checks").hasSizeGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aHealthCheckOnAnotherHostStaysWithAWarningAndAnExplicitHealthUrlWins() throws Exception {
        Path my = scenario("http://127.0.0.1:8000/event", "http://monitor.internal:9000/health");
        Cli.Result r = new Cli(dir).run("validate", my.toString(), "--target-url", "http://staging:8000/event");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("health http://monitor.internal:9000/health every 500ms\n")
                .contains("warning: target.health_url http://monitor.internal:9000/health and --target-url http://staging:8000/event point at "
                        + "different hosts: the health checks stay on http://monitor.internal:9000/health (--health-url moves them)");

        Path same = scenario("http://127.0.0.1:8000/event", "http://127.0.0.1:8000/health");
        Cli.Result moved = new Cli(dir).run("validate", same.toString(), "--target-url", "http://staging:8000/event");
        assertThat(moved.out()).contains("health http://staging:8000/health every 500ms (moved with --target-url)").doesNotContain("warning");

        Cli.Result explicit = new Cli(dir).run("validate", same.toString(), "--target-url", "http://staging:8000/event",
                "--health-url", "http://staging:8001/ready");
        assertThat(explicit.out()).contains("health http://staging:8001/ready every 500ms\n").doesNotContain("moved").doesNotContain("warning");
    }
}
