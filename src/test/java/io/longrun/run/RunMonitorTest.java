package io.longrun.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.deliver.Outcomes;
import io.longrun.generate.Levels;
import io.longrun.pace.FakeClock;
import io.longrun.runlog.RunLog;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.Scenario.Severity;
import io.longrun.testing.RunLogs;
import io.longrun.watch.HealthSample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor turns a firing alert into a stop request by its severity: abort stops the run, warn does not. */
class RunMonitorTest {
    static final long S = 1_000_000_000L;

    @TempDir
    Path dir;

    final FakeClock clock = new FakeClock();
    final RunControl control = new RunControl();
    final ByteArrayOutputStream console = new ByteArrayOutputStream();

    RunMonitor monitor(RunLog log, Scenario.StopRule... rules) {
        RunMonitor m = new RunMonitor(log, new Console(new PrintStream(console, true, StandardCharsets.UTF_8), false, true),
                new Outcomes(List.of("a")), List.of(), List.of(new Levels()), List.of(rules), clock, Duration.ofMinutes(1), control);
        m.begin(0);
        return m;
    }

    HealthSample down(long sec) {
        return new HealthSample(sec * S, clock.now().plusSeconds(sec), false, Optional.of(503), 2, Optional.empty());
    }

    @Test
    void aWarnDoesNotAbortTheRunAndAnAbortDoes() throws Exception {
        Scenario.StopRule warn = new Scenario.StopRule("early-health", Severity.WARN, Duration.ZERO, new Scenario.HealthFailures(1));
        Scenario.StopRule abort = new Scenario.StopRule("late-health", Severity.ABORT, Duration.ZERO, new Scenario.HealthFailures(3));
        Path file = dir.resolve("run.jsonl");
        try (RunLog log = new RunLog(file)) {
            RunMonitor m = monitor(log, warn, abort);
            m.onHealth(down(1));
            m.onHealth(down(2));
            // the warn fires at the first failure, and keeps firing: the run goes on
            assertThat(m.alerts()).extracting(a -> a.criterion() + " " + a.state()).containsExactly("early-health firing");
            assertThat(control.stop()).as("a firing warn requests no stop").isNull();
            m.onHealth(down(3));
            assertThat(control.stop()).as("the abort criterion, at its third failure").isNotNull();
            assertThat(control.stop().reason()).isEqualTo(RunControl.Reason.CRITERION);
            assertThat(control.stop().detail()).startsWith("late-health: ");
        }
        assertThat(RunLogs.ofType(RunLogs.read(file), "alert")).extracting(a -> a.get("severity").asText()).containsExactly("warn", "abort");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("ALERT [warn] early-health firing").contains("ALERT [abort] late-health firing");
    }
}
