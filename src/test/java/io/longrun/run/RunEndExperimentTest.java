package io.longrun.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.deliver.Outcomes;
import io.longrun.experiment.ExperimentFixture;
import io.longrun.experiment.Verdict;
import io.longrun.pace.FakeClock;
import io.longrun.runlog.RunLog;
import io.longrun.scenario.Assertions;
import io.longrun.scenario.Experiment;
import io.longrun.scenario.Overrides;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.ScenarioReader;
import io.longrun.verify.AssertionResult;
import io.longrun.generate.Levels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The end of an experiment's run: its phases' assertions, the experiment.verdict record, the console, and the exit code's precedence. */
class RunEndExperimentTest {
    @TempDir
    Path dir;

    final FakeClock clock = new FakeClock();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Scenario scenario(Experiment e) throws Exception {
        Scenario sc = ScenarioReader.read("exp.yaml", "exp", new StringReader("""
                name: exp
                duration: 2m
                target: { url: "http://127.0.0.1:8000/event" }
                emitters:
                  - { name: motion, format: agingos-event, rate: 100 }
                """), Overrides.NONE);
        return new Scenario(sc.name(), sc.duration(), sc.seed(), sc.tick(), sc.target(), sc.database(), sc.emitters(), sc.watch(), sc.stopWhen(),
                sc.runbook(), sc.proxies(), sc.faultEngine(), Optional.of(e));
    }

    @Test
    void theVerdictIsWrittenBeforeRunEndAndAPhaseAssertionIsJudgedOnThatPhaseAlone() throws Exception {
        Path file = dir.resolve("run.jsonl");
        ExperimentFixture.write(file, new ExperimentFixture.Shape(t -> t > 31 && t <= 65 ? 240 : 40, t -> 0, 4096, false));
        // the fixture ends with run.end: keep what comes before it, as a run's log stands when its end is judged
        List<String> lines = Files.readAllLines(file);
        Files.write(file, lines.subList(0, lines.size() - 1));
        Assertions.Threshold fast = (Assertions.Threshold) Assertions.Threshold.parse("fault-p95", "p95 < 100ms");
        Assertions.Threshold fastOverall = (Assertions.Threshold) Assertions.Threshold.parse("recover-p95", "p95 < 150ms");
        Scenario sc = scenario(new Experiment(List.of(
                new Experiment.Phase("stabilize", Duration.ofSeconds(30), List.of(), Optional.empty(), List.of(), true),
                new Experiment.Phase("fault", Duration.ofSeconds(30), List.of(), Optional.empty(), List.of(fast), false),
                new Experiment.Phase("recover", Duration.ofSeconds(60), List.of(), Optional.empty(), List.of(fastOverall), false)),
                Experiment.Recovery.DEFAULT));
        RunControl control = new RunControl();
        List<AssertionResult> asserted;
        try (RunLog log = new RunLog(file, true)) {
            Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8), false, false);
            RunMonitor monitor = new RunMonitor(log, console, new Outcomes(List.of("motion")), List.of(), List.of(new Levels()), List.of(), clock,
                    Duration.ofMinutes(1), control);
            asserted = new RunEnd(clock).experiment(sc, null, "exp", List.of(), control, log, console, monitor, null);
        }
        // the fault phase's p95 (240 ms) fails its assertion; the recover phase's (120 ms: its first 5 ticks still slow) passes
        assertThat(asserted).extracting(AssertionResult::name, AssertionResult::passed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("fault/fault-p95", false), org.assertj.core.groups.Tuple.tuple("recover/recover-p95", true));
        assertThat(asserted.get(0).description()).startsWith("in phase fault: ");
        List<String> written = Files.readAllLines(file);
        JsonNode last = new ObjectMapper().readTree(written.get(written.size() - 1));
        assertThat(last.path("type").asText()).isEqualTo("experiment.verdict");
        assertThat(last.path("verdict").asText()).isEqualTo("recovered");
        assertThat(last.path("recovery_s").asDouble()).isEqualTo(4.9);
        JsonNode assertRecord = new ObjectMapper().readTree(written.get(written.size() - 3));
        assertThat(assertRecord.path("type").asText()).isEqualTo("assert");
        assertThat(assertRecord.path("name").asText()).isEqualTo("fault/fault-p95");
        String console = out.toString(StandardCharsets.UTF_8);
        assertThat(console).contains("experiment: recovered in 4.9 s (exit 0): p95 left the tolerance 1.8 s after latency 200 ms on db came on")
                .containsPattern("fault +30\\.0 +60\\.1 +100\\.0 +0\\.00 +120\\.\\d +240\\.\\d +100\\.\\d +1\\.8");
    }

    @Test
    void exitCodesFollowTheContractsPrecedence() {
        RunControl.Reason none = null;
        // an experiment that did not recover beats a failed assertion; a failed assertion beats an inconclusive one
        assertThat(RunEnd.outcome(none, true, Verdict.Kind.NOT_RECOVERED)).isEqualTo(new RunEnd.Outcome(5, "experiment not_recovered"));
        assertThat(RunEnd.outcome(none, true, Verdict.Kind.INCONCLUSIVE)).isEqualTo(new RunEnd.Outcome(4, "assertion failed"));
        assertThat(RunEnd.outcome(none, false, Verdict.Kind.INCONCLUSIVE)).isEqualTo(new RunEnd.Outcome(6, "experiment inconclusive"));
        assertThat(RunEnd.outcome(none, false, Verdict.Kind.RECOVERED)).isEqualTo(new RunEnd.Outcome(0, "completed"));
        assertThat(RunEnd.outcome(none, false, Verdict.Kind.PASSED)).isEqualTo(new RunEnd.Outcome(0, "completed"));
        assertThat(RunEnd.outcome(none, true, null)).isEqualTo(new RunEnd.Outcome(4, "assertion failed"));
        // a run that did not finish says so first
        assertThat(RunEnd.outcome(RunControl.Reason.INTERRUPTED, true, Verdict.Kind.NOT_RECOVERED)).isEqualTo(new RunEnd.Outcome(130, "interrupted"));
        assertThat(RunEnd.outcome(RunControl.Reason.CRITERION, false, Verdict.Kind.NOT_RECOVERED)).isEqualTo(new RunEnd.Outcome(3, "stopped by criterion"));
    }
}
