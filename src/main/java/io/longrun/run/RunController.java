package io.longrun.run;

import com.zaxxer.hikari.HikariDataSource;
import io.longrun.pace.Clock;
import io.longrun.replay.ReplaySource;
import io.longrun.runlog.RunLog;
import io.longrun.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs one soak, or resumes one: opens its run log (holding its lock), checks the target and the database, and
 * assembles the run in four named parts: the resolved plan ({@link RunPlan}: lanes, schedules, formats), the wiring
 * into Camel's registry and routes ({@link RunWiring}, giving an {@link Assembly}), the lifecycle ({@link RunLifecycle}:
 * preflight, start, time zero, stop, drain) and the outcome ({@link RunOutcome}: assertions, verdict, run.end). The
 * report is written beside the run log once it is closed.
 */
public final class RunController {
    private static final DateTimeFormatter FOLDER_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private final Clock clock;

    public RunController(Clock clock) {
        this.clock = clock;
    }

    public RunResult run(Scenario sc, RunOptions opt) throws BadInput, IOException, InterruptedException {
        long seed = sc.seed().orElseGet(() -> ThreadLocalRandom.current().nextLong(1, 1L << 48));
        ShardedRun shards = opt.shards(); // this run's shard of the schedule, and when it starts (--shard, --start-at)
        if (opt.dryRun()) return DryRun.run(sc, opt, seed, clock, shards);
        Leadership.check(opt, shards);
        for (Scenario.Emitter e : sc.emitters()) {
            if (e.replay().isEmpty() || !(e.replay().get().strict() || opt.strict())) continue;
            try {
                ReplaySource.check(e.replay().get());
            } catch (Exception ex) {
                throw new BadInput("replay --strict: " + ex.getMessage() + " (nothing was sent)");
            }
        }
        Optional<Path> routesDir = opt.routesDir();
        if (routesDir.isPresent()) UserRoutes.check(routesDir.get());
        Console console = new Console(opt.out(), opt.terminal(), opt.quiet());
        String runId = runId(sc, clock);
        try (ExperimentWiring fx = ExperimentWiring.open(sc, seed, runId, clock, console)) { // before the target: it may sit behind a proxy
            return run(sc, opt, seed, console, runId, fx, shards);
        }
    }

    private RunResult run(Scenario sc, RunOptions opt, long seed, Console console, String runId, ExperimentWiring fx, ShardedRun shards)
            throws BadInput, IOException, InterruptedException {
        HikariDataSource ds = RunLifecycle.preflight(sc, opt);
        Path logFile = RunFiles.logFile(opt, runId);
        RunControl control = opt.control().orElseGet(RunControl::new);
        RunResult result;
        RunFiles.Lock lock = RunFiles.Lock.take(logFile);
        if (lock == null) {
            if (ds != null) ds.close();
            throw new BadInput(logFile + ": another longrun is writing this run log (it holds " + RunFiles.lockFile(logFile) + ")");
        }
        try (lock; RunLog log = new RunLog(logFile); SignalTrap trap = trap(opt, console, control)) {
            String scenarioId = opt.scenarioId().orElse(runId);
            Map<String, Object> start = RunStart.startRecord(sc, scenarioId, seed, runId);
            start.putAll(ResumeInfo.keep(sc, opt.source(), logFile));
            start.putAll(shards.startFields());
            log.write("run.start", clock.now(), start);
            fx.writeExperiment(log, clock);
            try {
                result = assemble(new RunInputs(sc, opt, scenarioId, runId, seed, ds, log, console, control, null, fx, shards));
            } catch (BadInput e) {
                log.write("run.end", clock.now(), Map.of("verdict", "bad input", "exit_code", ExitCodes.BAD_INPUT, "error", e.getMessage()));
                throw e;
            }
        } finally {
            if (ds != null) ds.close();
        }
        report(logFile, console);
        return result;
    }

    /**
     * Resumes a run whose runner died: the same scenario (its copy), seed, scenario id and time zero; the events
     * that fell due while nobody ran it are missed; the run log goes on, and its run.end covers the whole run.
     */
    public RunResult resume(Resumption earlier, Scenario sc, RunOptions opt) throws BadInput, IOException, InterruptedException {
        Path logFile = earlier.log;
        if (earlier.start.has("shard"))
            throw new BadInput(logFile + ": this run is a shard of a sharded run (--shard), which cannot be resumed; what it did not send "
                    + "shows as its missed share in the merged report (longrun report RUN_LOG...)");
        if (!opt.shard().whole() || opt.startAt().isPresent())
            throw new BadInput(logFile + ": a resumed run keeps the first segment's schedule: --shard and --start-at cannot be given to a resume");
        RunFiles.Lock lock = RunFiles.Lock.take(logFile);
        if (lock == null)
            throw new BadInput(logFile.getParent() + ": the run is still going: its runner holds " + RunFiles.lockFile(logFile) + "; stop it first");
        Console console = new Console(opt.out(), opt.terminal(), opt.quiet());
        try (lock; ExperimentWiring fx = ExperimentWiring.open(sc, earlier.seed(), earlier.runId(), clock, console, true)) {
            HikariDataSource ds = RunLifecycle.preflight(sc, opt);
            RunControl control = opt.control().orElseGet(RunControl::new);
            RunResult result;
            try (RunLog log = new RunLog(logFile, true); SignalTrap trap = trap(opt, console, control)) {
                result = assemble(new RunInputs(sc, opt, earlier.scenarioId(), earlier.runId(), earlier.seed(), ds, log, console, control,
                        new Resume(earlier, sc, clock), fx, ShardedRun.none()));
            } finally {
                if (ds != null) ds.close();
            }
            report(logFile, console);
            return result;
        }
    }

    private static SignalTrap trap(RunOptions opt, Console console, RunControl control) {
        return opt.handleSignals() ? SignalTrap.onInterrupt(sig -> {
            console.line("received " + sig + ": stopping the generator and draining requests in flight (again to quit at once)");
            control.requestStop(RunControl.Reason.INTERRUPTED, sig);
        }) : SignalTrap.NONE;
    }

    /**
     * The report, beside the run log, once it is closed: the run's last console line names it. A report that
     * cannot be built costs a warning, never the run's exit code.
     */
    static void report(Path logFile, Console console) {
        Path shown = logFile.resolveSibling(io.longrun.report.Report.HTML);
        try {
            io.longrun.report.Report.write(logFile, logFile.toAbsolutePath().getParent(), java.util.OptionalLong.empty());
            console.line("report: " + shown);
        } catch (Exception | OutOfMemoryError e) {
            console.line("warning: the report could not be written: " + rootMessage(e) + " (the run log is intact; try again with: longrun report "
                    + logFile + ")");
        }
    }

    /** One run, or one resumed segment: the plan and the wiring, the lifecycle, the outcome. */
    private RunResult assemble(RunInputs in) throws BadInput, InterruptedException {
        Assembly a = RunWiring.wire(in, clock);
        RunLifecycle.Ran ran = new RunLifecycle(a, clock).run();
        return RunOutcome.of(a, ran, clock);
    }

    static String runId(Scenario sc, Clock clock) {
        return sc.name() + "-" + FOLDER_TIME.format(clock.now());
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.split("\n")[0];
    }
}
