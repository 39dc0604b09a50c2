package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seed 001's 12 experiments in scenarios/experiments: each validates with longrun validate, and each is what its name
 * says: 30 s of stabilization, the fault on proxy db (between the reference target and its PostgreSQL), 60 s of recovery.
 */
class ExperimentScenariosTest {
    static final Path PROJECT = Path.of("").toAbsolutePath();
    static final List<String> NAMES = List.of("packet-loss-2-pct", "packet-loss-5-pct", "packet-loss-10-pct", "packet-loss-20-pct",
            "packet-loss-50-pct", "packet-loss-100-pct", "latency-200ms-100ms", "latency-200ms-1s", "latency-200ms-5s", "latency-200ms-10s",
            "latency-200ms-40s", "latency-200ms-2m");

    static Stream<String> names() {
        return NAMES.stream();
    }

    @Test
    void theFolderHoldsSeed001sTwelveAndNothingElse() throws Exception {
        try (Stream<Path> files = Files.list(PROJECT.resolve("scenarios/experiments"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(NAMES.stream().map(n -> n + ".yaml").toList());
        }
        Cli.Result list = new Cli(PROJECT).run("suite", "scenarios/experiments", "--list");
        assertThat(list.code()).as(list.all()).isZero();
        assertThat(list.out()).contains("12 experiment(s)");
        assertThat(list.out().indexOf("packet-loss-2-pct ")).as("numbers by value").isLessThan(list.out().indexOf("packet-loss-10-pct "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void eachValidatesAndIsWhatItsNameSays(String name) throws Exception {
        String file = "scenarios/experiments/" + name + ".yaml";
        Cli.Result v = new Cli(PROJECT).run("validate", file);
        assertThat(v.code()).as(v.all()).isZero();
        assertThat(v.out()).contains("scenario " + name + ": valid", "proxies (Toxiproxy at http://127.0.0.1:8474): db 127.0.0.1:15432 -> 127.0.0.1:5432");
        JsonNode y = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(PROJECT.resolve(file).toFile());
        assertThat(y.path("name").asText()).isEqualTo(name);
        JsonNode e = y.path("experiment");
        assertThat(e.path("stabilize").asText()).isEqualTo("30s");
        assertThat(e.path("recover").asText()).isEqualTo("60s");
        assertThat(e.path("fault").path(name.startsWith("latency") ? "latency" : "loss").path("proxy").asText()).isEqualTo("db");
        Matcher loss = Pattern.compile("packet-loss-(\\d+)-pct").matcher(name), lat = Pattern.compile("latency-200ms-(.+)").matcher(name);
        if (loss.matches()) {
            assertThat(e.path("fault").path("loss").path("pct").asInt()).isEqualTo(Integer.parseInt(loss.group(1)));
            assertThat(e.path("fault_for").asText()).isEqualTo("60s");
            assertThat(v.out()).contains("loss " + loss.group(1) + "% (emulated) on db");
        } else {
            assertThat(lat.matches()).isTrue();
            assertThat(e.path("fault").path("latency").path("ms").asInt()).isEqualTo(200);
            assertThat(e.path("fault_for").asText()).isEqualTo(lat.group(1));
            assertThat(v.out()).contains("latency 200 ms on db");
        }
        // the database is watched directly, not through the proxy the fault is on
        assertThat(y.path("database").path("url").asText()).contains(":5432/").doesNotContain("15432");
    }

    @Test
    void theDemosExperimentValidates() {
        Cli.Result v = new Cli(PROJECT).run("validate", "scenarios/demo-experiment.yaml");
        assertThat(v.code()).as(v.all()).isZero();
        assertThat(v.out()).contains("phases (3, 50s in all)", "latency 200 ms on db");
    }
}
