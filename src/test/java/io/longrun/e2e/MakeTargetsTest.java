package io.longrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.testing.Cli;
import io.longrun.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seed 000's make targets: {@code make -n} expands each to the right longrun command, the command is valid longrun input
 * (the same arguments validate), and {@code make help} and README's stack table list them.
 */
class MakeTargetsTest {
    static final Path PROJECT = Path.of("").toAbsolutePath();
    static final String INGEST = "http://127.0.0.1:8000/ingest";

    record Made(int code, String out, String err) {}

    static Made make(String... args) throws Exception {
        Tools.MAKE.require();
        List<String> cmd = new ArrayList<>(List.of("make", "--no-print-directory"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("make", ".out"), err = Files.createTempFile("make", ".err");
        try {
            Process p = new ProcessBuilder(cmd).directory(PROJECT.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("make finished").isTrue();
            return new Made(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The command {@code make -n} prints, which must be one longrun run line; validated with the same arguments. */
    static List<String> longrunRun(Made m) {
        assertThat(m.code()).as(m.out() + m.err()).isZero();
        List<String> lines = m.out().lines().toList();
        assertThat(lines).hasSize(1);
        List<String> words = Arrays.asList(lines.get(0).split(" "));
        assertThat(words.subList(0, 2)).containsExactly("./longrun", "run");
        List<String> args = new ArrayList<>(words.subList(2, words.size()));
        args.add(0, "validate");
        Cli.Result v = new Cli(PROJECT).run(args.toArray(String[]::new));
        assertThat(v.code()).as(v.all()).isZero();
        assertThat(v.out()).contains(": valid");
        return words;
    }

    @ParameterizedTest(name = "make {0} runs {1}")
    @CsvSource({
        "scenario-default,         scenarios/default.yaml",
        "scenario-quiet,           scenarios/quiet.yaml",
        "scenario-spike,           scenarios/spike.yaml",
        "scenario-high-errors,     scenarios/high_errors.yaml",
        "scenario-burst-then-ramp, scenarios/burst-then-ramp.yaml",
    })
    void eachSampleTargetRunsItsScenarioAgainstTheIngestEndpoint(String target, String file) throws Exception {
        assertThat(longrunRun(make("-n", target))).containsExactly("./longrun", "run", file, "--target-url", INGEST);
        // INGEST_URL points it elsewhere, and the health check goes along
        assertThat(longrunRun(make("-n", target, "INGEST_URL=http://staging:9000/ingest")))
                .containsExactly("./longrun", "run", file, "--target-url", "http://staging:9000/ingest");
        Cli.Result v = new Cli(PROJECT).run("validate", file, "--target-url", "http://staging:9000/ingest");
        assertThat(v.out()).contains("health http://staging:9000/health every").contains("(moved with --target-url)");
    }

    @Test
    void scenarioRunTakesAPathOrANameAndSaysWhenItHasNeither() throws Exception {
        assertThat(longrunRun(make("-n", "scenario-run", "SCEN=scenarios/burst-then-ramp.yaml")))
                .containsExactly("./longrun", "run", "scenarios/burst-then-ramp.yaml", "--target-url", INGEST);
        assertThat(longrunRun(make("-n", "scenario-run", "SCEN=spike"))).containsExactly("./longrun", "run", "scenarios/spike.yaml", "--target-url", INGEST);
        Made none = make("-n", "scenario-run");
        assertThat(none.code()).isNotZero();
        assertThat(none.err()).contains("make scenario-run needs SCEN=scenarios/NAME.yaml");
        assertThat(none.out()).doesNotContain("longrun");
    }

    /** Seed 001's experiments against the stack: one by NAME, or all as a suite; both through the stack's Toxiproxy API. */
    @Test
    void experimentAndExperimentsRunSeed001sScenariosThroughTheStacksToxiproxy() throws Exception {
        Made one = make("-n", "experiment", "NAME=packet-loss-10-pct");
        assertThat(one.code()).as(one.err()).isZero();
        List<String> words = Arrays.asList(one.out().strip().split(" "));
        assertThat(words).containsExactly("./longrun", "run", "scenarios/experiments/packet-loss-10-pct.yaml", "--toxiproxy", "http://127.0.0.1:8474");
        List<String> args = new ArrayList<>(words.subList(2, words.size()));
        args.add(0, "validate");
        Cli.Result v = new Cli(PROJECT).run(args.toArray(String[]::new));
        assertThat(v.code()).as(v.all()).isZero();
        Made none = make("-n", "experiment");
        assertThat(none.code()).isNotZero();
        assertThat(none.err()).contains("make experiment needs NAME=..., one of:", "latency-200ms-2m", "packet-loss-100-pct");
        Made all = make("-n", "experiments", "ONLY=latency-*", "LOOP=2");
        assertThat(all.out().strip()).isEqualTo("./longrun suite scenarios/experiments --toxiproxy http://127.0.0.1:8474 --only 'latency-*' --loop 2");
        Cli.Result list = new Cli(PROJECT).run("suite", "scenarios/experiments", "--toxiproxy", "http://127.0.0.1:8474", "--only", "latency-*", "--list");
        assertThat(list.code()).as(list.all()).isZero();
        assertThat(list.out()).contains("6 experiment(s)");
        assertThat(make("-n", "experiments-list").out().strip()).isEqualTo("./longrun suite scenarios/experiments --list");
        assertThat(make("-n", "demo-experiment").out().strip()).isEqualTo("./longrun demo --experiment");
        assertThat(make("-n", "up", "FAULT_PROXY=longrun").out()).contains("docker compose --profile emulated-loss up -d --wait --scale toxiproxy=0");
    }

    @Test
    void makeHelpAndReadmesStackTableListThem() throws Exception {
        Made help = make("help");
        assertThat(help.code()).isZero();
        String readme = Files.readString(PROJECT.resolve("README.md"));
        String table = readme.substring(readme.indexOf("## The stack"), readme.indexOf("## Command line"));
        for (String t : List.of("scenario-default", "scenario-quiet", "scenario-spike", "scenario-high-errors", "scenario-burst-then-ramp", "scenario-run",
                "experiment NAME=", "experiments", "experiments-list", "demo-experiment", "FAULT_PROXY=longrun")) {
            assertThat(help.out()).as("make help").contains(t);
            assertThat(table).as("README's stack table").contains(t);
        }
    }
}
