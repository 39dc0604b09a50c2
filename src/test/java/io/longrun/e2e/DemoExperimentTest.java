package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code longrun demo --experiment}, whole: nothing but the JDK; three phases; a verdict printed and in summary.json. */
class DemoExperimentTest {
    @TempDir
    Path dir;

    @Test
    void theExperimentDemoRunsThreePhasesThroughItsProxyAndPrintsTheVerdict() throws Exception {
        Cli.Result r = new Cli(dir).run("demo", "--experiment", "--quiet");
        assertThat(r.code()).as(r.all()).isIn(0, 5, 6);
        assertThat(r.out()).contains("the proxy db on 127.0.0.1:", "through the proxy", "stabilize", "fault", "recover", "experiment verdict: ");
        Path runDir;
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            runDir = s.filter(p -> p.getFileName().toString().startsWith("demo-experiment-")).findFirst().orElseThrow();
        }
        JsonNode e = new ObjectMapper().readTree(runDir.resolve("summary.json").toFile()).path("experiment");
        assertThat(r.out()).contains("experiment verdict: " + e.path("verdict").asText());
        assertThat(e.path("phases")).hasSize(3);
        // the latency reached the target's database path: the proxy carried the target's queries, each 200 ms later
        JsonNode fault = e.path("phases").get(1);
        assertThat(fault.path("effective").asBoolean()).as(e.toString()).isTrue();
        assertThat(fault.path("p50_ms").asDouble()).as("200 ms on each database round trip: " + e).isGreaterThan(150);
        assertThat(r.out()).contains("the target answers through the proxy");
    }

    @Test
    void durationIsTheSoakDemosOnly() {
        Cli.Result r = new Cli(dir).run("demo", "--experiment", "--duration", "10s");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--duration is the soak demo's; the experiment's length is its phases' (15s + 15s + 20s)");
    }
}
