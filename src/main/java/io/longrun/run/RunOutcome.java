package io.longrun.run;

import io.longrun.metrics.MetricsLinger;
import io.longrun.pace.Clock;
import io.longrun.replay.ReplaySource;
import io.longrun.runlog.RunLog;
import io.longrun.scenario.Scenario;
import io.longrun.verify.AssertionResult;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The last part of a run's assembly, once Camel has stopped: the last tick, the replays' skips, the record file
 * closed, the alerts' counts, the chaos figures, the assertions, the failed steps and the experiment's verdict, and
 * run.end with the summary. A fault experiment's metrics stay served a while for the scrape that reads its verdict.
 */
final class RunOutcome {
    private RunOutcome() {}

    static RunResult of(Assembly a, RunLifecycle.Ran ran, Clock clock) throws InterruptedException {
        RunInputs in = a.in();
        Scenario sc = in.sc();
        RunLog log = in.log();
        RunMonitor monitor = a.monitor();
        RunControl control = in.control();
        monitor.tick(); // the last, partial tick
        // Camel's metrics server has stopped: the experiment's verdict, judged below, is served on its port from here on
        try (MetricsLinger linger = a.metricsPort() > 0 && sc.experiment().isPresent()
                ? MetricsLinger.serve(monitor.metrics(), a.metricsPort(), clock, monitor::warning) : MetricsLinger.NONE) {
            RunEnd end = new RunEnd(clock);
            for (Map.Entry<String, ReplaySource> r : a.plan().replays()) end.reportSkips(r.getKey(), r.getValue(), log, in.console());
            if (ran.recorder() != null) {
                try {
                    ran.recorder().close();
                } catch (IOException e) {
                    in.console().line("warning: closing the record file: " + e.getMessage());
                }
            }
            in.console().closeProgress();
            if (a.onAlert() != null) a.onAlert().close();
            if (a.webhook()) log.write("alerts.webhook", clock.now(), new LinkedHashMap<>(a.hooks().counts()));
            Instant zero = in.resuming() ? in.resume().earlier().timeZero : ran.started() != null ? ran.started() : clock.now();
            Duration elapsed = Duration.between(zero, clock.now());
            end.chaos(a.chaos());
            List<AssertionResult> asserted = end.assertions(sc.runbook().asserts(), in.ds(), in.scenarioId(), a.plan().outcomes(), elapsed, control, log,
                    in.console());
            List<AssertionResult> steps = in.fx().failedSteps();
            if (!steps.isEmpty()) asserted = Stream.concat(steps.stream(), asserted.stream()).toList();
            asserted = end.experiment(sc, in.ds(), in.scenarioId(), asserted, control, log, in.console(), monitor, a.lost());
            RunResult result = end.finish(log, in.console(), control, a.plan().outcomes(), monitor, elapsed, asserted, in.opt(), sc.name(), in.resume());
            linger.hold(in.opt().metricsLinger(), () -> control.stop() != null && control.stop().reason() == RunControl.Reason.INTERRUPTED, clock,
                    in.console()::line);
            return result;
        }
    }
}
