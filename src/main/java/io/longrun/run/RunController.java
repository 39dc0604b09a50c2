package io.longrun.run;

import com.zaxxer.hikari.HikariDataSource;
import io.longrun.db.DbSettings;
import io.longrun.db.DataSources;
import io.longrun.db.Tables;
import io.longrun.deliver.Delivery;
import io.longrun.deliver.Dispatcher;
import io.longrun.deliver.HttpSink;
import io.longrun.deliver.Latency;
import io.longrun.deliver.Outcomes;
import io.longrun.deliver.PacerComponent;
import io.longrun.deliver.Recorder;
import io.longrun.generate.EventFormat;
import io.longrun.generate.Formats;
import io.longrun.replay.ReplayFormat;
import io.longrun.replay.ReplaySource;
import io.longrun.pace.Clock;
import io.longrun.pace.DueTimes;
import io.longrun.pace.Schedule;
import io.longrun.pace.Traffic;
import io.longrun.random.SplitMix;
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
import io.longrun.verify.Verifier;
import io.longrun.metrics.Metrics;
import io.longrun.metrics.RunMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
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
    /** How to run, beyond the scenario. */
    public record Options(Optional<String> scenarioId, Optional<Path> logFile, Optional<Path> routesDir, boolean quiet, boolean terminal,
                          Path runsDir, Map<String, String> env, PrintStream out, boolean handleSignals, boolean dryRun, boolean strict,
                          boolean strictTimeouts, Optional<Path> record, Optional<String> onAlert, Optional<Path> junit, int metricsPort,
                          Optional<ScenarioSource> source) {
        /** The options of a plain run. */
        public Options(Optional<String> scenarioId, Optional<Path> logFile, Optional<Path> routesDir, boolean quiet, boolean terminal,
                       Path runsDir, Map<String, String> env, PrintStream out, boolean handleSignals) {
            this(scenarioId, logFile, routesDir, quiet, terminal, runsDir, env, out, handleSignals, false, false, false, Optional.empty(),
                    Optional.empty(), Optional.empty(), 0, Optional.empty());
        }

        /** The same options, with the scenario's source kept for a resume. */
        public Options withSource(ScenarioSource s) {
            return new Options(scenarioId, logFile, routesDir, quiet, terminal, runsDir, env, out, handleSignals, dryRun, strict, strictTimeouts,
                    record, onAlert, junit, metricsPort, Optional.of(s));
        }
    }

    private static final DateTimeFormatter FOLDER_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private final Clock clock;

    public RunController(Clock clock) {
        this.clock = clock;
    }

    public RunResult run(Scenario sc, Options opt) throws BadInput, IOException, InterruptedException {
        long seed = sc.seed().orElseGet(() -> ThreadLocalRandom.current().nextLong(1, 1L << 48));
        if (opt.dryRun()) return DryRun.run(sc, opt, seed, clock);
        for (Scenario.Emitter e : sc.emitters()) {
            if (e.replay().isEmpty() || !(e.replay().get().strict() || opt.strict())) continue;
            try {
                ReplaySource.check(e.replay().get());
            } catch (Exception ex) {
                throw new BadInput("replay --strict: " + ex.getMessage() + " (nothing was sent)");
            }
        }
        Preflight.reachable("target", sc.target().url(), sc.target().timeout());
        HikariDataSource ds = sc.database().isPresent() ? openDatabase(sc.database().get(), opt.env()) : null;
        Optional<Path> routesDir = opt.routesDir();
        if (routesDir.isPresent()) UserRoutes.check(routesDir.get());
        Console console = new Console(opt.out(), opt.terminal(), opt.quiet());
        String runId = runId(sc, clock);
        Path logFile = logFile(opt, runId);
        RunControl control = new RunControl();
        RunResult result;
        RunFiles.Lock lock = RunFiles.Lock.take(logFile);
        if (lock == null) {
            if (ds != null) ds.close();
            throw new BadInput(logFile + ": another longrun is writing this run log (it holds " + RunFiles.lockFile(logFile) + ")");
        }
        try (lock; RunLog log = new RunLog(logFile); SignalTrap trap = trap(opt, console, control)) {
            String scenarioId = opt.scenarioId().orElse(runId);
            Map<String, Object> start = startRecord(sc, scenarioId, seed, runId);
            start.putAll(ResumeInfo.keep(sc, opt.source(), logFile));
            log.write("run.start", clock.now(), start);
            try {
                result = run(sc, opt, scenarioId, runId, seed, ds, log, console, control, null);
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
    public RunResult resume(Resumption earlier, Scenario sc, Options opt) throws BadInput, IOException, InterruptedException {
        Path logFile = earlier.log;
        RunFiles.Lock lock = RunFiles.Lock.take(logFile);
        if (lock == null)
            throw new BadInput(logFile.getParent() + ": the run is still going: its runner holds " + RunFiles.lockFile(logFile) + "; stop it first");
        try (lock) {
            Preflight.reachable("target", sc.target().url(), sc.target().timeout());
            HikariDataSource ds = sc.database().isPresent() ? openDatabase(sc.database().get(), opt.env()) : null;
            Console console = new Console(opt.out(), opt.terminal(), opt.quiet());
            RunControl control = new RunControl();
            RunResult result;
            try (RunLog log = new RunLog(logFile, true); SignalTrap trap = trap(opt, console, control)) {
                result = run(sc, opt, earlier.scenarioId(), earlier.runId(), earlier.seed(), ds, log, console, control, new Resume(earlier, sc, clock));
            } finally {
                if (ds != null) ds.close();
            }
            report(logFile, console);
            return result;
        }
    }

    private static SignalTrap trap(Options opt, Console console, RunControl control) {
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

    private RunResult run(Scenario sc, Options opt, String scenarioId, String runId, long seed, HikariDataSource ds, RunLog log, Console console,
                          RunControl control, Resume resume) throws BadInput, InterruptedException {
        List<String> names = sc.emitters().stream().map(Scenario.Emitter::name).toList();
        Outcomes outcomes = new Outcomes(names);
        List<Schedule> schedules = new ArrayList<>();
        List<DueTimes> dueTimes = new ArrayList<>();
        List<Delivery.Lane> lanes = new ArrayList<>();
        List<Map.Entry<String, ReplaySource>> replays = new ArrayList<>();
        for (Scenario.Emitter e : sc.emitters()) {
            long stream = SplitMix.hash(e.name());
            Traffic traffic = Traffic.of(e, sc.duration(), sc.tick(), seed, stream);
            schedules.add(traffic.schedule());
            dueTimes.add(resume == null ? traffic.dueTimes() : resume.wrap(traffic.dueTimes()));
            EventFormat format = traffic.dueTimes() instanceof ReplaySource rs ? new ReplayFormat(rs) : Formats.create(e.format(), e.options());
            if (traffic.dueTimes() instanceof ReplaySource rs) replays.add(Map.entry(e.name(), rs));
            lanes.add(new Delivery.Lane(e.name(), format, stream, e.url().orElse(null), e.headers()));
        }
        Dispatcher dispatcher = new Dispatcher(dueTimes, sc.target().maxInFlight(), sc.tick(), Dispatcher.SLACK, clock, outcomes);
        Delivery delivery = new Delivery(lanes, seed, scenarioId, clock, outcomes);
        RunMonitor monitor = new RunMonitor(log, console, outcomes, schedules, delivery.levels(), sc.stopWhen(), clock, sc.duration(), control);
        if (opt.strict()) delivery.onFailure((emitter, reason) -> {
            if (!reason.equals("timeout") || opt.strictTimeouts()) monitor.strictFailure(emitter, reason);
        });
        Scenario.Runbook book = sc.runbook();
        OnAlertCommand onAlert = opt.onAlert().map(c -> new OnAlertCommand(c, monitor::warning)).orElse(null);
        AlertHooks hooks = book.alerts().webhook().isPresent() || onAlert != null
                ? new AlertHooks(book.alerts().format(), Map.of("scenario", sc.name(), "run_id", runId), onAlert, monitor::warning) : null;
        if (hooks != null) monitor.hooks(hooks::publish);
        LogWatcher logWatcher = sc.watch().logs().isEmpty() ? null : new LogWatcher(LogTail.of(sc.watch().logs()), sc.watch().levels(),
                sc.stopWhen().stream().map(r -> r.condition() instanceof Conditions.Cadence c ? c.logRegex().orElse(null) : null)
                        .filter(java.util.Objects::nonNull).distinct().toList(), clock, monitor);
        Probes probes = null;
        DbWatcher dbWatcher = null;
        if (ds != null) {
            SentEvents sent = Probes.needsSamples(sc.stopWhen()) ? new SentEvents(SAMPLES_PER_SECOND, SAMPLES_KEPT) : null;
            if (sent != null) delivery.sample(sent);
            probes = new Probes(sc.stopWhen(), ds, sent, scenarioId, monitor::acceptedAt, monitor::acceptedNow, clock, monitor);
            Duration longQuery = sc.stopWhen().stream().map(r -> r.condition() instanceof Conditions.DbLoad l ? l.longQuery() : null)
                    .filter(java.util.Objects::nonNull).min(Duration::compareTo).orElse(Duration.ofSeconds(30));
            dbWatcher = new DbWatcher(sc.database().get(), longQuery, sc.watch().dbEvery(), book.lagAllowance(), ds, clock, monitor);
            checkColumns(sc, probes, dbWatcher, ds, monitor);
        }

        if (resume != null) {
            monitor.resume(resume.earlier());
            resume.prepare(lanes, seed, scenarioId, ds, monitor);
        }

        Main main = new Main();
        main.configure().setName("longrun");
        main.configure().setJmxEnabled(false);
        main.configure().setShutdownTimeout(Math.max(5, (int) sc.target().timeout().toSeconds() + 2));
        main.configure().setRoutesIncludePattern(String.join(",", routes(sc, opt.routesDir(), ds != null && Probes.isAny(sc.stopWhen()))));
        Properties props = properties(sc);
        int metricsPort = Metrics.port(opt.metricsPort(), monitor::warning);
        if (metricsPort > 0) {
            RunMetrics metrics = new RunMetrics(sc.name(), runId, outcomes);
            monitor.metrics(metrics);
            main.bind("metricsRegistry", metrics.registry());
            Metrics.properties(props, metricsPort);
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
        long t0 = clock.nanoTime();
        try {
            main.start();
        } catch (Exception | StackOverflowError e) { // Camel's YAML reader recurses once per level of a user's route
            try {
                main.stop();
            } catch (Exception ignored) {
                // it did not start; what it holds goes with it
            }
            throw new BadInput("cannot start the routes" + opt.routesDir().map(d -> " (with --routes " + d + ")").orElse("")
                    + ": " + (e instanceof StackOverflowError ? "a route nested too deep for Camel's YAML reader" : rootMessage(e)));
        }
        Instant started = clock.now();
        Recorder recorder = null;
        try {
            ProducerTemplate template = main.getCamelTemplate();
            if (hooks != null && book.alerts().webhook().isPresent()) hooks.webhook(template);
            warmUp(sc, lanes, seed, scenarioId, sink, log);
            dispatcher.awaitRouteWarm(WARM_UP_BUDGET);
            if (logWatcher != null) logWatcher.start();
            if (ds != null) template.sendBody("direct:db-baseline", null); // exact counts before the first event
            long start = clock.nanoTime(), from = 0;
            if (resume == null) {
                log.write("schedule.start", clock.now(), scheduleStart(sc, clock.now()));
            } else {
                double at = resume.begin();
                from = Math.round(at * 1e9);
                start = clock.nanoTime() - from;
                for (int i = 0; i < lanes.size(); i++) outcomes.resume(i, resume.prior(i));
                log.write("run.resume", clock.now(), resume.record(at, resume.earlier().segments + 1));
            }
            if (opt.record().isPresent()) {
                recorder = new Recorder(opt.record().get(), start, clock.now());
                delivery.record(recorder);
                monitor.record(recorder);
            }
            monitor.begin(start, from);
            dispatcher.begin(start);
            if (!opt.quiet()) console.line(String.format(Locale.ROOT, "longrun: %s %s against %s (routes up in %d ms)%s%s", sc.name(),
                    resume != null ? "resumed at " + Durations.elapsed(Duration.ofSeconds(from / 1_000_000_000L)) + " of "
                            + Durations.format(sc.duration()) + " (" + resume.missedText() + ")"
                            : sc.duration().equals(Scenario.UNTIL_DONE) ? "until its recordings end" : "for " + Durations.format(sc.duration()),
                    Secrets.maskUrl(sc.target().url()), (clock.nanoTime() - t0) / 1_000_000,
                    metricsPort > 0 ? "; metrics at http://127.0.0.1:" + metricsPort + "/observe/metrics" : "",
                    HealthUrls.moved(sc.target()).map(h -> "; " + h).orElse("")));
            HealthUrls.warning(sc.target()).ifPresent(console::line);
            while (!dispatcher.awaitFinished(Duration.ofMillis(200))) {
                if (control.stop() != null) break;
            }
            dispatcher.stop();
            dispatcher.awaitFinished(Duration.ofSeconds(5));
            if (!dispatcher.drain(sc.target().timeout().plusSeconds(1)))
                console.line("warning: " + outcomes.inFlight() + " request(s) still in flight after the time-out; they count as failed (abandoned)");
            // the target may store what it accepted a little later: wait the lag allowance before the final checks
            boolean finalChecks = ds != null && (probes.any() || !book.asserts().isEmpty());
            if (finalChecks && control.stop() == null || finalChecks && control.stop().reason() == RunControl.Reason.CRITERION) {
                if (!opt.quiet()) console.line("waiting " + Durations.format(book.lagAllowance()) + " (lag_allowance) before the final checks");
                long until = clock.nanoTime() + book.lagAllowance().toNanos();
                while (clock.nanoTime() < until && (control.stop() == null || control.stop().reason() != RunControl.Reason.INTERRUPTED))
                    Thread.sleep(Math.max(1, Math.min(100, (until - clock.nanoTime()) / 1_000_000)));
            }
            if (ds != null) template.sendBody("direct:db-final", null); // exact counts after the drain
            if (probes != null && probes.any()) probes.last();
        } catch (Exception e) {
            if (e instanceof InterruptedException ie) throw ie;
            throw new IllegalStateException("run failed: " + rootMessage(e), e);
        } finally {
            dispatcher.stop();
            try {
                main.stop();
            } catch (Exception e) {
                console.line("warning: stopping Camel: " + rootMessage(e));
            }
        }
        monitor.tick(); // the last, partial tick
        for (Map.Entry<String, ReplaySource> r : replays) reportSkips(r.getKey(), r.getValue(), log, console);
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
        Duration elapsed = Duration.between(resume == null ? started : resume.earlier().timeZero, clock.now());
        List<AssertionResult> asserted = List.of();
        if (!book.asserts().isEmpty()) {
            if (control.stop() != null && control.stop().reason() == RunControl.Reason.INTERRUPTED) {
                console.line("assertions skipped: the run was interrupted");
            } else {
                asserted = new Verifier(ds, scenarioId, figures(outcomes, elapsed)).run(book.asserts());
                for (AssertionResult a : asserted) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("name", a.name());
                    r.put("kind", a.kind());
                    r.put("passed", a.passed());
                    r.put("observed", a.observed());
                    r.put("expected", a.expected());
                    if (a.error() != null) r.put("error", a.error());
                    r.put("description", a.description());
                    log.write("assert", clock.now(), r);
                }
            }
        }
        return finish(log, console, control, outcomes, monitor, elapsed, asserted, opt, sc.name(), resume);
    }

    /** A replay's lines that could not be sent, counted by reason, with the first few by file and line. */
    private void reportSkips(String emitter, ReplaySource source, RunLog log, Console console) {
        Map<String, Long> counts = source.skips().counts();
        if (counts.isEmpty()) return;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("emitter", emitter);
        r.put("skipped", counts);
        r.put("examples", source.skips().examples());
        log.write("replay.skips", clock.now(), r);
        console.line("replay " + emitter + ": " + counts + " (out_of_order lines were sent at once; the others were not sent)");
        for (String ex : source.skips().examples()) console.line("  " + ex);
    }

    /**
     * Before the clock starts: renders a few thousand events of each emitter (discarded) and sends a short burst of
     * requests that store nothing (GET health, else OPTIONS on the target), so that the JIT and the connection pool
     * are ready and the first seconds go out at the scheduled rate, not late and then in a burst.
     */
    private void warmUp(Scenario sc, List<Delivery.Lane> lanes, long seed, String scenarioId, HttpSink sink, RunLog log)
            throws InterruptedException {
        Instant now = clock.now();
        for (Delivery.Lane lane : lanes)
            for (int i = 0; i < WARM_UP_RENDERS; i++)
                lane.format().render(new io.longrun.generate.EventContext(seed, lane.stream(), lane.name(), -1 - i, scenarioId, now));
        boolean health = sc.target().healthUrl().isPresent();
        String url = sc.target().healthUrl().orElse(sc.target().url());
        int concurrency = Math.min(sc.target().maxInFlight(), WARM_UP_CONNECTIONS);
        HttpSink.WarmUp w = sink.warmUp(url, health, WARM_UP_REQUESTS, concurrency, WARM_UP_BUDGET,
                lanes.isEmpty() ? Map.of() : lanes.get(0).headers());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("url", Secrets.maskUrl(url));
        r.put("method", health ? "GET" : "OPTIONS");
        r.put("answered", w.answered());
        r.put("failed", w.failed());
        r.put("took_ms", w.took().toMillis());
        log.write("warmup", clock.now(), r);
    }

    static final int WARM_UP_RENDERS = 2_000;
    static final int WARM_UP_REQUESTS = 500;
    static final int WARM_UP_CONNECTIONS = 8;
    static final Duration WARM_UP_BUDGET = Duration.ofSeconds(2);

    static final int SAMPLES_PER_SECOND = 20;
    static final int SAMPLES_KEPT = 20_000;

    /**
     * The probes' tables and columns and the watched tables' keys exist and are indexed (else bad input, before
     * anything is sent); naive timestamp columns and probe columns without an index warn.
     */
    private static void checkColumns(Scenario sc, Probes probes, DbWatcher dbWatcher, HikariDataSource ds, RunMonitor monitor) throws BadInput {
        try (Connection c = ds.getConnection()) {
            List<String> warnings = new ArrayList<>(dbWatcher.check(c));
            warnings.addAll(probes.check(c));
            List<String> tables = new ArrayList<>(sc.database().get().tables());
            for (String naive : Probes.naiveTimestamps(c, tables))
                if (warnings.stream().noneMatch(w -> w.startsWith(naive + " ")))
                    warnings.add(naive + " is a timestamp without time zone: what it stores depends on the writer's time zone");
            for (String w : warnings) monitor.warning(w);
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        } catch (SQLException e) {
            throw new BadInput("database " + Secrets.maskUrl(sc.database().get().url()) + ": " + e.getMessage());
        }
    }

    /** The delivery figures assertions can name (see Assertions.Threshold). */
    static Map<String, Double> figures(Outcomes outcomes, Duration elapsed) {
        List<Outcomes.Stats> emitters = outcomes.totals();
        Latency[] latency = outcomes.totalLatency();
        Outcomes.Stats t = Outcomes.sum("all", emitters, latency[0], latency[1]);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("p50", t.intended().p50());
        m.put("p95", t.intended().p95());
        m.put("p99", t.intended().p99());
        m.put("max", t.intended().max());
        m.put("service_p50", t.service().p50());
        m.put("service_p95", t.service().p95());
        m.put("service_p99", t.service().p99());
        m.put("service_max", t.service().max());
        long completed = t.accepted() + t.rejected() + t.failed();
        m.put("error_rate", completed == 0 ? 0 : 100.0 * (t.rejected() + t.failed()) / completed);
        m.put("dropped_pct", t.planned() == 0 ? 0 : 100.0 * t.dropped() / t.planned());
        m.put("accepted", (double) t.accepted());
        m.put("rejected", (double) t.rejected());
        m.put("failed", (double) t.failed());
        m.put("dropped", (double) t.dropped());
        m.put("sent", (double) t.sent());
        m.put("planned", (double) t.planned());
        m.put("rate", elapsed.isZero() ? 0 : t.accepted() / (elapsed.toNanos() / 1e9));
        return m;
    }

    private RunResult finish(RunLog log, Console console, RunControl control, Outcomes outcomes, RunMonitor monitor, Duration elapsed,
                             List<AssertionResult> asserted, Options opt, String suite, Resume resume) {
        List<Outcomes.Stats> emitters = outcomes.totals();
        Latency[] latency = outcomes.totalLatency();
        Outcomes.Stats total = Outcomes.sum("all", emitters, latency[0], latency[1]);
        // A request still in flight after Camel stopped can no longer complete: it counts as failed.
        long abandoned = total.sent() - total.completed();
        if (abandoned > 0) {
            Map<String, Long> failedBy = new java.util.TreeMap<>(total.failedBy());
            failedBy.merge("abandoned", abandoned, Long::sum);
            total = new Outcomes.Stats("all", total.planned(), total.sent(), total.accepted(), total.rejected(),
                    total.failed() + abandoned, total.dropped(), total.rejectedBy(), failedBy, total.intended(), total.service(), total.missed());
        }
        RunControl.Stop stop = control.stop();
        int exit = stop == null ? ExitCodes.OK : stop.reason() == RunControl.Reason.CRITERION ? ExitCodes.CRITERION : ExitCodes.INTERRUPTED;
        String verdict = stop == null ? "completed" : stop.reason() == RunControl.Reason.CRITERION ? "stopped by criterion" : "interrupted";
        long failedAssertions = asserted.stream().filter(a -> !a.passed()).count();
        if (failedAssertions > 0 && exit == ExitCodes.OK) {
            exit = ExitCodes.ASSERTION;
            verdict = "assertion failed";
        }
        // each table's first and last figures; a resumed run's rows_start is its first segment's
        Map<String, RunResult.TableGrowth> tables = monitor.tableGrowth();
        RunResult result = new RunResult(exit, verdict, Optional.ofNullable(stop).map(RunControl.Stop::detail), elapsed, log.file(),
                emitters, total, latency[0], latency[1], tables, asserted);
        if (opt.junit().isPresent()) {
            List<io.longrun.verify.JUnitReport.Stop> stops = monitor.alerts().stream()
                    .filter(a -> a.firing() && a.severity() == Scenario.Severity.ABORT)
                    .map(a -> new io.longrun.verify.JUnitReport.Stop(a.criterion(), a.text())).toList();
            try {
                io.longrun.verify.JUnitReport.write(opt.junit().get(), suite, asserted, stops, elapsed.toMillis() / 1000.0);
            } catch (IOException e) {
                console.line("warning: --junit " + opt.junit().get() + ": " + e.getMessage());
            }
        }
        Map<String, Object> end = endRecord(result, monitor);
        if (resume != null) end.put("missed_by", resume.missedBy());
        log.write("run.end", clock.now(), end);
        RunSummary.print(result, monitor, console);
        return result;
    }

    private static Map<String, Object> endRecord(RunResult r, RunMonitor monitor) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", r.verdict());
        m.put("exit_code", r.exitCode());
        r.stoppedBy().ifPresent(s -> m.put("stopped_by", s));
        m.put("elapsed_s", r.elapsed().toMillis() / 1000.0);
        m.put("totals", counts(r.total()));
        Map<String, Object> per = new LinkedHashMap<>();
        for (Outcomes.Stats s : r.emitters()) per.put(s.emitter(), counts(s));
        m.put("emitters", per);
        if (!r.total().rejectedBy().isEmpty()) m.put("rejected_by", r.total().rejectedBy());
        if (!r.total().failedBy().isEmpty()) m.put("failed_by", r.total().failedBy());
        m.put("latency_ms", Map.of("intended", latency(r.intended()), "service", latency(r.service())));
        Map<String, Object> tables = new LinkedHashMap<>();
        r.tables().forEach((t, g) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("rows_start", g.rowsStart());
            row.put("rows_end", g.rowsEnd());
            row.put("bytes_end", g.bytesEnd());
            row.put("rows_start_method", g.startMethod());
            row.put("rows_end_method", g.endMethod());
            tables.put(t, row);
        });
        m.put("tables", tables);
        Map<String, Long> levels = monitor.levelTotals();
        if (!levels.isEmpty()) m.put("levels_total", levels);
        m.put("health", Map.of("checks", monitor.healthChecks(), "failures", monitor.healthFailures()));
        m.put("alerts", monitor.alertCount());
        if (!r.assertions().isEmpty()) {
            long passed = r.assertions().stream().filter(AssertionResult::passed).count();
            m.put("assertions", Map.of("passed", passed, "failed", r.assertions().size() - passed));
        }
        if (monitor.logLines() > 0) m.put("logs", Map.of("lines", monitor.logLines(), "levels", monitor.logLevels()));
        return m;
    }

    /** The outcome counts as the run log writes them, in tick and run.end records alike. */
    static Map<String, Object> counts(Outcomes.Stats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("planned", s.planned());
        m.put("sent", s.sent());
        m.put("accepted", s.accepted());
        m.put("rejected", s.rejected());
        m.put("failed", s.failed());
        m.put("dropped", s.dropped());
        if (s.missed() > 0) m.put("missed", s.missed());
        return m;
    }

    private static Map<String, Object> latency(Latency l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", l.count());
        m.put("p50", l.p50());
        m.put("p95", l.p95());
        m.put("p99", l.p99());
        m.put("max", l.max());
        return m;
    }

    static Map<String, Object> startRecord(Scenario sc, String scenarioId, long seed, String runId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("log_version", Resumption.LOG_VERSION);
        m.put("scenario", sc.name());
        m.put("run_id", runId);
        m.put("scenario_id", scenarioId);
        m.put("seed", seed);
        m.put("config", ResolvedConfig.of(sc));
        return m;
    }

    /** The schedule's time zero, and when it ends as planned (absent for a replay that runs until its recordings end). */
    private static Map<String, Object> scheduleStart(Scenario sc, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time_zero", now.toString());
        if (!sc.duration().equals(Scenario.UNTIL_DONE)) m.put("planned_end", now.plus(sc.duration()).toString());
        return m;
    }

    private static HikariDataSource openDatabase(Scenario.Database db, Map<String, String> env) throws BadInput {
        HikariDataSource ds;
        try {
            // one connection for the database watcher, held through the run; the others for the probes and assertions
            ds = DataSources.open(new DbSettings(db.url(), db.user(), db.passwordEnv()), env, "longrun-watch", 3);
        } catch (SQLException e) {
            throw new BadInput("database: " + e.getMessage());
        }
        try (Connection c = ds.getConnection()) {
            List<String> missing = Tables.missing(c, db.tables());
            if (!missing.isEmpty()) {
                ds.close();
                throw new BadInput("database " + Secrets.maskUrl(db.url()) + ": no such table: " + String.join(", ", missing)
                        + " (named in database.tables or stop_when)");
            }
        } catch (SQLException e) {
            ds.close();
            throw new BadInput("database " + Secrets.maskUrl(db.url()) + ": " + e.getMessage());
        }
        return ds;
    }

    private static List<String> routes(Scenario sc, Optional<Path> routesDir, boolean probes) {
        List<String> r = new ArrayList<>(List.of("classpath:routes/run/generate.yaml", "classpath:routes/run/tick.yaml"));
        if (sc.target().healthUrl().isPresent()) r.add("classpath:routes/run/watch-health.yaml");
        if (sc.database().isPresent()) r.add("classpath:routes/run/watch-db.yaml");
        if (!sc.watch().logs().isEmpty()) r.add("classpath:routes/run/watch-logs.yaml");
        if (probes) r.add("classpath:routes/run/watch-probes.yaml");
        if (sc.runbook().evaluate().isPresent()) r.add("classpath:routes/run/evaluate.yaml");
        if (sc.runbook().alerts().webhook().isPresent()) r.add("classpath:routes/run/alerts.yaml");
        routesDir.ifPresent(d -> r.add("file:" + d.toAbsolutePath() + "/*.yaml"));
        return r;
    }

    private static Properties properties(Scenario sc) {
        Properties p = new Properties();
        long timeout = sc.target().timeout().toMillis();
        p.setProperty("longrun.tick.ms", Long.toString(Math.max(1, sc.tick().toMillis())));
        p.setProperty("longrun.health.every.ms", Long.toString(Math.max(1, sc.watch().healthEvery().toMillis())));
        p.setProperty("longrun.db.every.ms", Long.toString(Math.max(1, sc.watch().dbEvery().toMillis())));
        // The health checks go through camel-http (a timer thread, one request at a time); events go through
        // longrun-http (HttpSink), which has its own pool of max_in_flight connections.
        sc.target().healthUrl().ifPresent(h -> p.setProperty("longrun.health.endpoint", Delivery.endpointUri(h, "GET")));
        p.setProperty("longrun.logs.every.ms", Long.toString(Math.max(1, sc.watch().logsEvery().toMillis())));
        sc.runbook().evaluate().ifPresent(e -> {
            p.setProperty("longrun.evaluate.endpoint", Delivery.endpointUri(e.url(), "POST"));
            p.setProperty("longrun.evaluate.every.ms", Long.toString(Math.max(1, e.every().toMillis())));
        });
        // a webhook that answers other than 2xx is an error, retried by the alerts route
        sc.runbook().alerts().webhook().ifPresent(w -> p.setProperty("longrun.alerts.endpoint",
                w + (w.contains("?") ? "&" : "?") + "throwExceptionOnFailure=true&httpMethod=POST"));
        p.setProperty("camel.component.http.maxTotalConnections", "8");
        p.setProperty("camel.component.http.connectionsPerRoute", "2");
        p.setProperty("camel.component.http.connectTimeout", Long.toString(timeout));
        p.setProperty("camel.component.http.connectionRequestTimeout", Long.toString(timeout));
        p.setProperty("camel.component.http.responseTimeout", Long.toString(timeout));
        p.setProperty("camel.component.http.soTimeout", Long.toString(timeout));
        // Every request is counted once: no silent retries, redirects, cookies or compression.
        p.setProperty("camel.component.http.automaticRetriesDisabled", "true");
        p.setProperty("camel.component.http.followRedirects", "false");
        p.setProperty("camel.component.http.cookieManagementDisabled", "true");
        p.setProperty("camel.component.http.contentCompressionDisabled", "true");
        return p;
    }

    static String runId(Scenario sc, Clock clock) {
        return sc.name() + "-" + FOLDER_TIME.format(clock.now());
    }

    /** --log-file, else runs/<run id>/run.jsonl in a folder of its own. */
    static Path logFile(Options opt, String runId) {
        return opt.logFile().orElseGet(() -> freeFolder(opt.runsDir(), runId).resolve("run.jsonl"));
    }

    private static Path freeFolder(Path runsDir, String runId) {
        Path dir = runsDir.resolve(runId);
        for (int i = 2; Files.exists(dir); i++) dir = runsDir.resolve(runId + "-" + i);
        return dir;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.split("\n")[0];
    }
}
