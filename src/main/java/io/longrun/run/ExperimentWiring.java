package io.longrun.run;

import io.longrun.experiment.ExperimentPlan;
import io.longrun.experiment.PhaseRunner;
import io.longrun.fault.FaultCleanup;
import io.longrun.fault.FaultEngine;
import io.longrun.fault.FaultException;
import io.longrun.fault.FaultReset;
import io.longrun.fault.ToxiproxyClient;
import io.longrun.metrics.RunMetrics;
import io.longrun.pace.Clock;
import io.longrun.runlog.RunLog;
import io.longrun.scenario.Experiment;
import io.longrun.scenario.FaultSpec;
import io.longrun.scenario.ProxySpec;
import io.longrun.scenario.Scenario;
import java.util.List;

/**
 * A run's network faults: the engine opened before the first event (its proxies started, the scenario's faults
 * checked: what it cannot apply is bad input before anything is sent), the cleanup that takes every fault off
 * whatever ends the run, and the phase runner that the phases route polls.
 */
final class ExperimentWiring implements AutoCloseable {
    /** A scenario without proxies or phases: nothing to open, run or close. */
    static final ExperimentWiring NONE = new ExperimentWiring(null, null, null);

    private final Scenario sc;
    private final FaultEngine engine;
    private final FaultCleanup cleanup;
    private PhaseRunner runner;

    private ExperimentWiring(Scenario sc, FaultEngine engine, FaultCleanup cleanup) {
        this.sc = sc;
        this.engine = engine;
        this.cleanup = cleanup;
    }

    /**
     * Opens the scenario's fault engine and starts its proxies; bad input (exit 2) when a proxy cannot start or a
     * fault cannot be applied by this engine. The cleanup is registered as a shutdown hook at once.
     */
    static ExperimentWiring open(Scenario sc, long seed, String runId, Clock clock, Console console) throws BadInput {
        return open(sc, seed, runId, clock, console, false);
    }

    /** @param resuming a resume: the toxics the killed run left on a Toxiproxy server (its own, by name) are removed first */
    static ExperimentWiring open(Scenario sc, long seed, String runId, Clock clock, Console console, boolean resuming) throws BadInput {
        if (sc.proxies().isEmpty() && sc.experiment().isEmpty()) return NONE;
        FaultEngine engine = FaultEngine.open(sc.faultEngine(), seed, runId, clock);
        FaultCleanup cleanup = FaultCleanup.onShutdown(engine, console::line);
        try {
            if (resuming && sc.faultEngine().toxiproxy().isPresent()) {
                ToxiproxyClient client = new ToxiproxyClient(sc.faultEngine().toxiproxy().get(), sc.faultEngine().timeout());
                for (String done : FaultReset.ofRun(client, sc.proxies().stream().map(ProxySpec::name).toList(), runId))
                    console.line(done + " (the killed run left it)");
            }
            List<String> warnings = engine.start(sc.proxies());
            List<FaultSpec> all = sc.experiment().map(e -> e.phases().stream().flatMap(p -> p.faults().stream()).toList()).orElse(List.of());
            List<String> cannot = engine.check(all);
            if (!cannot.isEmpty()) throw new FaultException(String.join("; ", cannot));
            for (String w : warnings) console.line("warning: " + w);
        } catch (FaultException | RuntimeException e) {
            cleanup.close();
            throw new BadInput("faults: " + e.getMessage() + " (nothing was sent)");
        }
        return new ExperimentWiring(sc, engine, cleanup);
    }

    boolean phases() {
        return sc != null && sc.experiment().isPresent();
    }

    /** The {@code experiment} record, right after run.start (or run.resume). */
    void writeExperiment(RunLog log, Clock clock) {
        if (phases()) log.write("experiment", clock.now(), ExperimentPlan.record(sc.experiment().get(), engine.describe()));
    }

    /** The phase runner, for the phases route; null without phases. */
    PhaseRunner runner(RunLog log, Clock clock, java.util.function.Consumer<String> warn, RunMetrics metrics) {
        if (!phases()) return null;
        Experiment exp = sc.experiment().get();
        runner = new PhaseRunner(exp, engine, log, clock, warn);
        if (metrics != null) runner.metrics(metrics);
        return runner;
    }

    /** Whether the phases have ended before the schedule's end (the last phase's until: held, or a step failed): the run ends now. */
    boolean over() {
        return runner != null && runner.over();
    }

    /** Whether a phase is still on, though the generator may have finished (a last phase with rate: 0 that waits until:). */
    boolean on() {
        return runner != null && runner.on();
    }

    /** The steps that failed, as failed results of the run (exit 4). */
    List<io.longrun.verify.AssertionResult> failedSteps() {
        if (runner == null) return List.of();
        return runner.failures().stream().map(f -> new io.longrun.verify.AssertionResult(f.name(), "step", f.description(), false,
                f.reason(), "the step succeeds", null, 0)).toList();
    }

    /** Whether some phase waits until: a metric of longrun's own (the registry is needed even without --metrics-port). */
    boolean needsMetrics() {
        return phases() && sc.experiment().get().phases().stream().anyMatch(p -> p.until().orElse(null) instanceof io.longrun.scenario.Step.Metric);
    }

    /**
     * The schedule's time zero: the phases count from it; the first phase (or a resumed run's) starts now, which is
     * {@code from} seconds into the schedule (0, or where a resumed run goes on).
     */
    void begin(long start, double from) {
        if (runner == null) return;
        runner.begin(start, from);
        runner.poll();
    }

    /**
     * The generator has stopped: the phase on ends and its faults come off, for the reason the run stopped
     * ({@code error}: an internal error), before the drain waits on requests in flight.
     */
    void finish(RunControl control, boolean error) {
        if (runner == null) return;
        RunControl.Stop stop = control.stop();
        runner.finish(error ? PhaseRunner.Reason.ERROR : stop == null ? PhaseRunner.Reason.PHASE_END
                : stop.reason() == RunControl.Reason.INTERRUPTED ? PhaseRunner.Reason.SIGNAL : PhaseRunner.Reason.STOP);
    }

    /** Takes off anything still on and stops the proxies: the run's normal end, or after an error. */
    @Override
    public void close() {
        if (cleanup != null) cleanup.close();
    }
}
