package io.longrun.run;

import com.zaxxer.hikari.HikariDataSource;
import io.longrun.deliver.Delivery;
import io.longrun.deliver.Dispatcher;
import io.longrun.deliver.HttpSink;
import io.longrun.deliver.Outcomes;
import io.longrun.deliver.PacerComponent;
import io.longrun.deliver.Recorder;
import io.longrun.deliver.ThrowawaySink;
import io.longrun.replay.ReplaySource;
import io.longrun.pace.Clock;
import io.longrun.pace.Schedule;
import io.longrun.runlog.RunLog;
import io.longrun.runlog.Secrets;
import io.longrun.scenario.Durations;
import io.longrun.scenario.HealthUrls;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.ScenarioSource;
import io.longrun.watch.DbWatcher;
import io.longrun.watch.HealthWatcher;
import io.longrun.watch.LogTail;
import io.longrun.watch.LogWatcher;
import io.longrun.watch.Probes;
import io.longrun.watch.SentEvents;
import io.longrun.alert.AlertHooks;
import io.longrun.alert.OnAlertCommand;
import io.longrun.scenario.Conditions;
import io.longrun.verify.AssertionResult;
import io.longrun.metrics.Metrics;
import io.longrun.metrics.MetricsLinger;
import io.longrun.metrics.RunMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

/**
 * Runs one soak: checks the target and the database, starts the Camel routes (generator, delivery, watchers,
 * tick), waits until the schedule is over, a criterion aborts or a signal comes, drains what is in flight, and
 * writes the end of the run log and the summary.
 */
public final class RunController {
    private static final DateTimeFormatter FOLDER_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private final Clock clock;

    private ShardedRun shards = ShardedRun.none();

    public RunController(Clock clock) {
        this.clock = clock;
    }

    /** Runs this shard of the schedule, from the shared start ({@code --shard}, {@code --start-at}). */
    public RunController shard(ShardedRun s) {
        this.shards = s;
        return this;
    }

    public RunResult run(Scenario sc, RunOptions opt) throws BadInput, IOException, InterruptedException {
        long seed = sc.seed().orElseGet(() -> ThreadLocalRandom.current().nextLong(1, 1L << 48));
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
            return run(sc, opt, seed, console, runId, fx);
        }
    }

    private RunResult run(Scenario sc, RunOptions opt, long seed, Console console, String runId, ExperimentWiring fx)
            throws BadInput, IOException, InterruptedException {
        Preflight.reachable("target", sc.target().url(), sc.target().timeout());
        HikariDataSource ds = sc.database().isPresent() ? RunStart.openDatabase(sc.database().get(), opt.env()) : null;
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
                result = run(sc, opt, scenarioId, runId, seed, ds, log, console, control, null, fx);
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
        RunFiles.Lock lock = RunFiles.Lock.take(logFile);
        if (lock == null)
            throw new BadInput(logFile.getParent() + ": the run is still going: its runner holds " + RunFiles.lockFile(logFile) + "; stop it first");
        Console console = new Console(opt.out(), opt.terminal(), opt.quiet());
        try (lock; ExperimentWiring fx = ExperimentWiring.open(sc, earlier.seed(), earlier.runId(), clock, console, true)) {
            Preflight.reachable("target", sc.target().url(), sc.target().timeout());
            HikariDataSource ds = sc.database().isPresent() ? RunStart.openDatabase(sc.database().get(), opt.env()) : null;
            RunControl control = opt.control().orElseGet(RunControl::new);
            RunResult result;
            try (RunLog log = new RunLog(logFile, true); SignalTrap trap = trap(opt, console, control)) {
                result = run(sc, opt, earlier.scenarioId(), earlier.runId(), earlier.seed(), ds, log, console, control, new Resume(earlier, sc, clock), fx);
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

    private RunResult run(Scenario sc, RunOptions opt, String scenarioId, String runId, long seed, HikariDataSource ds, RunLog log, Console console,
                          RunControl control, Resume resume, ExperimentWiring fx) throws BadInput, InterruptedException {
        RunPlan plan = RunPlan.of(sc, seed, shards, resume);
        Outcomes outcomes = plan.outcomes();
        List<Schedule> schedules = plan.schedules();
        List<Delivery.Lane> lanes = plan.lanes();
        Dispatcher dispatcher = new Dispatcher(plan.dueTimes(), sc.target().maxInFlight(), sc.tick(), Dispatcher.SLACK, sc.target().catchUp(), clock, outcomes);
        Delivery delivery = new Delivery(lanes, seed, scenarioId, clock, outcomes);
        ChaosWiring chaos = ChaosWiring.open(sc, seed, log.file(), delivery, outcomes);
        RunMonitor monitor = new RunMonitor(log, console, outcomes, schedules, delivery.levels(), sc.stopWhen(), clock, sc.duration(), control);
        monitor.extraRows(chaos::injectedStored);
        Leadership lead = resume == null ? Leadership.open(sc, opt, shards, scenarioId, log, console, control, clock, outcomes) : null;
        monitor.lead(lead);
        if (opt.strict()) delivery.onFailure((emitter, reason) -> {
            if (!reason.equals("timeout") || opt.strictTimeouts()) monitor.strictFailure(emitter, reason);
        });
        Scenario.Runbook book = sc.runbook();
        OnAlertCommand onAlert = opt.onAlert().map(c -> new OnAlertCommand(c, monitor::warning)).orElse(null);
        AlertHooks hooks = book.alerts().webhook().isPresent() || onAlert != null
                ? new AlertHooks(book.alerts().format(), Map.of("scenario", sc.name(), "run_id", runId), onAlert, monitor::warning) : null;
        if (hooks != null) monitor.hooks(hooks::publish);
        LogWatcher logWatcher = sc.watch().logs().isEmpty() ? null : new LogWatcher(LogTail.of(sc.watch().logs()), sc.watch().levels(),
                java.util.stream.Stream.concat(sc.stopWhen().stream().map(r -> r.condition() instanceof Conditions.Cadence c ? c.logRegex().orElse(null) : null),
                        sc.experiment().stream().flatMap(x -> x.phases().stream()).map(p -> p.until().orElse(null) instanceof io.longrun.scenario.Step.Log l
                                ? l.regex().pattern() : null)).filter(java.util.Objects::nonNull).distinct().toList(), clock, monitor);
        Probes probes = null;
        io.longrun.experiment.LostTally lost = null;
        DbWatcher dbWatcher = null;
        if (ds != null) {
            SentEvents sent = Probes.needsSamples(sc.stopWhen()) ? new SentEvents(SAMPLES_PER_SECOND, SAMPLES_KEPT) : null;
            if (sent != null) delivery.sample(sent);
            probes = new Probes(sc.stopWhen(), ds, sent, scenarioId, monitor::acceptedAt, monitor::acceptedNow, clock, monitor);
            if (sc.experiment().isPresent()) probes.onReadBack(lost = new io.longrun.experiment.LostTally()); // each phase's lost events
            Duration longQuery = sc.stopWhen().stream().map(r -> r.condition() instanceof Conditions.DbLoad l ? l.longQuery() : null)
                    .filter(java.util.Objects::nonNull).min(Duration::compareTo).orElse(Duration.ofSeconds(30));
            dbWatcher = new DbWatcher(sc.database().get(), longQuery, sc.watch().dbEvery(), book.lagAllowance(), ds, clock, monitor);
            RunStart.checkColumns(sc, probes, dbWatcher, ds, monitor);
        }

        if (resume != null) {
            monitor.resume(resume.earlier());
            resume.prepare(lanes, seed, scenarioId, ds, monitor);
        }

        Main main = new Main();
        main.configure().setName("longrun");
        main.configure().setJmxEnabled(false);
        main.configure().setShutdownTimeout(Math.max(5, (int) sc.target().timeout().toSeconds() + 2));
        main.configure().setRoutesIncludePattern(String.join(",", Wiring.routes(sc, opt.routesDir(), ds != null && Probes.isAny(sc.stopWhen()))));
        Properties props = Wiring.properties(sc);
        int metricsPort = Metrics.port(opt.metricsPort(), monitor::warning);
        RunMetrics metrics = null;
        if (metricsPort > 0 || fx.needsMetrics()) { // an until: on a metric reads the registry in-process
            metrics = new RunMetrics(sc.name(), runId, outcomes);
            monitor.metrics(metrics);
        }
        if (metricsPort > 0) {
            main.bind("metricsRegistry", metrics.registry());
            Metrics.properties(props, metricsPort);
        }
        var phases = fx.runner(log, clock, monitor::warning, metricsPort > 0 ? metrics : null);
        if (phases != null) {
            main.bind("phaseRunner", phases);
            StepFeed feed = new StepFeed(monitor::acceptedNow, ds, metrics);
            monitor.steps(feed);
            phases.steps(feed, opt.quiet() ? s -> {} : console::line);
        }
        chaos.follow(phases, clock);
        if (lead != null) {
            lead.wire(main, props);
            if (logWatcher != null) lead.onAcquire(logWatcher::start); // a new leader's log watcher counts from its lead on
        }
        main.setInitialProperties(props);
        if (hooks != null) main.bind("alertHooks", hooks);
        if (logWatcher != null) main.bind("logWatcher", logWatcher);
        if (probes != null && probes.any()) main.bind("probes", probes);
        book.evaluate().ifPresent(e -> main.bind("evaluateCaller", HealthWatcher.evaluate(clock, monitor::evaluated)));
        main.bind("pacer", new PacerComponent(dispatcher, delivery));
        HttpSink sink = new HttpSink(sc.target().url(), "POST", sc.target().maxInFlight(), sc.target().timeout(), delivery, clock);
        main.bind("longrun-http", sink);
        main.bind("delivery", delivery);
        main.bind("delivery-prepare", (Processor) delivery::prepare);
        main.bind("runMonitor", monitor);
        main.bind("healthWatcher", new HealthWatcher(clock, monitor));
        if (ds != null) {
            main.bind("watchDataSource", ds);
            main.bind("dbWatcher", dbWatcher);
        }
        ThrowawaySink throwaway;
        try {
            throwaway = RunStart.prepareWarmUp(dispatcher, sink, schedules, clock);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the warm-up's sink: " + rootMessage(e), e);
        }
        long t0 = clock.nanoTime();
        try {
            main.start();
        } catch (Exception | StackOverflowError e) { // Camel's YAML reader recurses once per level of a user's route
            try {
                main.stop();
            } catch (Exception ignored) {
                // it did not start; what it holds goes with it
            }
            throwaway.close();
            if (lead != null) lead.close();
            throw new BadInput("cannot start the routes" + opt.routesDir().map(d -> " (with --routes " + d + ")").orElse("")
                    + ": " + (e instanceof StackOverflowError ? "a route nested too deep for Camel's YAML reader" : rootMessage(e)));
        }
        Instant started = null;
        Recorder recorder = null;
        try {
            if (lead != null) lead.start(main.getCamelContext());
            ProducerTemplate template = main.getCamelTemplate();
            if (hooks != null && book.alerts().webhook().isPresent()) hooks.webhook(template);
            RunStart.warmUp(sc, dispatcher, sink, throwaway, RunStart.warmRate(schedules), log, console, opt.quiet(), clock);
            if (logWatcher != null) logWatcher.start();
            if (ds != null) template.sendBody("direct:db-baseline", null); // exact counts before the first event
            long start = shards.begin(dispatcher, clock, outcomes), from = shards.from(); // now, or --start-at
            started = shards.startAt().orElseGet(clock::now); // time zero: the warm-up is not part of the run's elapsed time
            if (resume == null) {
                log.write("schedule.start", clock.now(), RunStart.scheduleStart(sc, started));
                if (!shards.plain()) log.write("shard.start", clock.now(), shards.startRecord(sc, schedules));
            } else {
                double[] resumedAt = new double[1];
                dispatcher.rereadFirst(() -> resumedAt[0] = resume.begin());
                double at = resumedAt[0];
                from = Math.round(at * 1e9);
                start = clock.nanoTime() - from;
                for (int i = 0; i < lanes.size(); i++) outcomes.resume(i, resume.prior(i));
                log.write("run.resume", clock.now(), resume.record(at, resume.earlier().segments + 1));
                fx.writeExperiment(log, clock);
            }
            if (opt.record().isPresent()) {
                recorder = new Recorder(opt.record().get(), start, clock.now());
                delivery.record(recorder);
                monitor.record(recorder);
            }
            monitor.begin(start, from);
            opt.onStart().accept(new RunOptions.LiveRun(runId, log.file(), outcomes));
            delivery.begin(start);
            dispatcher.begin(start);
            fx.begin(start);
            if (!opt.quiet()) console.line(String.format(Locale.ROOT, "longrun: %s %s against %s (routes up in %d ms)%s%s", sc.name(),
                    resume != null ? "resumed at " + Durations.elapsed(Duration.ofSeconds(from / 1_000_000_000L)) + " of "
                            + Durations.format(sc.duration()) + " (" + resume.missedText() + ")"
                            : sc.duration().equals(Scenario.UNTIL_DONE) ? "until its recordings end" : "for " + Durations.format(sc.duration()),
                    Secrets.maskUrl(sc.target().url()), (clock.nanoTime() - t0) / 1_000_000,
                    metricsPort > 0 ? "; metrics at http://127.0.0.1:" + metricsPort + "/observe/metrics" : "",
                    HealthUrls.moved(sc.target()).map(h -> "; " + h).orElse("")));
            HealthUrls.warning(sc.target()).ifPresent(console::line);
            if (!opt.quiet() && !shards.plain()) console.line(shards.startText());
            while (!dispatcher.awaitFinished(Duration.ofMillis(200))) {
                if (control.stop() != null || fx.over()) break; // fx.over(): the phases ended early (until:, a failed step)
            }
            while (fx.on() && control.stop() == null) Thread.sleep(50); // nothing left to send, and a phase still waits or runs out its time
            dispatcher.stop();
            fx.finish(control, false); // faults off before the drain waits on what they held up
            dispatcher.awaitFinished(Duration.ofSeconds(5));
            if (!dispatcher.drain(sc.target().timeout().plusSeconds(1)))
                console.line("warning: " + outcomes.inFlight() + " request(s) still in flight after the time-out; they count as failed (abandoned)");
            // the target may store what it accepted a little later: wait the lag allowance before the final checks
            boolean finalChecks = ds != null && (probes.any() || !book.asserts().isEmpty() || sc.experiment().isPresent());
            if (finalChecks && control.stop() == null || finalChecks && control.stop().reason() == RunControl.Reason.CRITERION) {
                if (!opt.quiet()) console.line("waiting " + Durations.format(book.lagAllowance()) + " (lag_allowance) before the final checks");
                long until = clock.nanoTime() + book.lagAllowance().toNanos();
                while (clock.nanoTime() < until && (control.stop() == null || control.stop().reason() != RunControl.Reason.INTERRUPTED))
                    Thread.sleep(Math.max(1, Math.min(100, (until - clock.nanoTime()) / 1_000_000)));
            }
            if (ds != null) template.sendBody("direct:db-final", null); // exact counts after the drain
            if (probes != null && probes.any()) probes.last();
        } catch (Exception e) {
            fx.finish(control, true);
            if (e instanceof InterruptedException ie) throw ie;
            throw new IllegalStateException("run failed: " + rootMessage(e), e);
        } finally {
            dispatcher.stop();
            throwaway.close();
            if (lead != null) lead.ending();
            try {
                main.stop();
            } catch (Exception e) {
                console.line("warning: stopping Camel: " + rootMessage(e));
            }
            if (lead != null) lead.close(); // this shard's last outcomes published, marked ended

        }
        monitor.tick(); // the last, partial tick
        // Camel's metrics server has stopped: the experiment's verdict, judged below, is served on its port from here on
        try (MetricsLinger linger = metricsPort > 0 && sc.experiment().isPresent()
                ? MetricsLinger.serve(monitor.metrics(), metricsPort, clock, monitor::warning) : MetricsLinger.NONE) {
            RunEnd end = new RunEnd(clock);
            for (Map.Entry<String, ReplaySource> r : plan.replays()) end.reportSkips(r.getKey(), r.getValue(), log, console);
            if (recorder != null) {
                try {
                    recorder.close();
                } catch (IOException e) {
                    console.line("warning: closing the record file: " + e.getMessage());
                }
            }
            console.closeProgress();
            if (onAlert != null) onAlert.close();
            if (hooks != null && book.alerts().webhook().isPresent()) log.write("alerts.webhook", clock.now(), new LinkedHashMap<>(hooks.counts()));
            Duration elapsed = Duration.between(resume != null ? resume.earlier().timeZero : started != null ? started : clock.now(), clock.now());
            end.chaos(chaos);
            List<AssertionResult> asserted = end.assertions(book.asserts(), ds, scenarioId, outcomes, elapsed, control, log, console);
            List<AssertionResult> steps = fx.failedSteps();
            if (!steps.isEmpty()) asserted = java.util.stream.Stream.concat(steps.stream(), asserted.stream()).toList();
            asserted = end.experiment(sc, ds, scenarioId, asserted, control, log, console, monitor, lost);
            RunResult result = end.finish(log, console, control, outcomes, monitor, elapsed, asserted, opt, sc.name(), resume);
            linger.hold(opt.metricsLinger(), () -> control.stop() != null && control.stop().reason() == RunControl.Reason.INTERRUPTED, clock,
                    console::line);
            return result;
        }
    }

    static final int SAMPLES_PER_SECOND = 20;
    static final int SAMPLES_KEPT = 20_000;

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
