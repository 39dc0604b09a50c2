package io.longrun.run;

import io.longrun.deliver.Latency;
import io.longrun.deliver.Outcomes;
import io.longrun.pace.Clock;
import io.longrun.replay.ReplaySource;
import io.longrun.runlog.RunLog;
import io.longrun.scenario.Scenario;
import io.longrun.verify.AssertionResult;
import io.longrun.verify.Verifier;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The outcome of a run: its end-of-run assertions, its totals (requests abandoned in flight counted as failed), its
 * verdict and exit code, the run.end record, the --junit file and the summary.
 */
final class RunEnd {
    private final Clock clock;
    /** A fault experiment's verdict, once judged. */
    private io.longrun.experiment.Verdict.Kind experiment;

    RunEnd(Clock clock) {
        this.clock = clock;
    }

    private ChaosWiring chaos;

    /** The run's stream faults and ledger: the ledger assertion reads them, run.end gets their figures. */
    void chaos(ChaosWiring chaos) {
        this.chaos = chaos;
    }

    /** The end-of-run assertions, judged on the run's figures, each written to the run log; none after Ctrl+C. */
    List<AssertionResult> assertions(List<io.longrun.scenario.Assertions.Assertion> asserts, DataSource ds, String scenarioId, Outcomes outcomes,
                                     Duration elapsed, RunControl control, RunLog log, Console console) {
        if (asserts.isEmpty()) return List.of();
        if (control.stop() != null && control.stop().reason() == RunControl.Reason.INTERRUPTED) {
            console.line("assertions skipped: the run was interrupted");
            return List.of();
        }
        List<AssertionResult> asserted = new Verifier(ds, scenarioId, figures(outcomes, elapsed))
                .ledger(chaos == null ? null : chaos.check()).run(asserts);
        for (AssertionResult a : asserted) log.write("assert", clock.now(), record(a));
        return asserted;
    }

    /**
     * A fault experiment's end, after the drain and the lag allowance: its phases' assertions (none after Ctrl+C),
     * then its verdict, judged from the run log so far, written as the experiment.verdict record, printed and counted
     * in the metrics. Returns the end-of-run assertions with the phases' after them.
     */
    List<AssertionResult> experiment(Scenario sc, DataSource ds, String scenarioId, List<AssertionResult> asserted, RunControl control, RunLog log,
                                     Console console, RunMonitor monitor, io.longrun.experiment.LostTally lost) {
        if (sc.experiment().isEmpty()) return asserted;
        io.longrun.experiment.ExperimentLog x;
        try {
            x = io.longrun.experiment.ExperimentLog.read(log.file());
        } catch (IOException e) {
            console.line("warning: the experiment could not be judged: " + e.getMessage());
            return asserted;
        }
        if (!x.present()) {
            console.line("warning: the run log has no experiment record: no verdict");
            return asserted;
        }
        io.longrun.experiment.VerdictRecord.Judged j = io.longrun.experiment.VerdictRecord.judge(x, lost, monitor.timeZero());
        List<AssertionResult> all = new java.util.ArrayList<>(asserted);
        boolean interrupted = control.stop() != null && control.stop().reason() == RunControl.Reason.INTERRUPTED;
        if (io.longrun.experiment.PhaseAssertions.any(sc.experiment().get()) && !interrupted)
            for (AssertionResult a : io.longrun.experiment.PhaseAssertions.run(sc.experiment().get(), j, x, ds, scenarioId)) {
                log.write("assert", clock.now(), record(a));
                all.add(a);
            }
        log.write("experiment.verdict", clock.now(), j.record());
        console.line(io.longrun.experiment.VerdictText.headline(j.verdict()));
        for (String line : io.longrun.experiment.VerdictText.table(j)) console.line("  " + line);
        if (monitor.metrics() != null) monitor.metrics().verdict(sc.name(), j.verdict().kind().key(), j.verdict().recoveryS());
        experiment = j.verdict().kind();
        return all;
    }

    /** A run's exit code and its verdict in words. */
    record Outcome(int exit, String verdict) {}

    /**
     * The exit code and verdict of a run, by the precedence of {@link ExitCodes#worst}: interrupted (130) and stopped by
     * a criterion (3), then an experiment that did not recover (5), a failed assertion (4), an inconclusive experiment
     * (6), and 0.
     */
    static Outcome outcome(RunControl.Reason stop, boolean assertionFailed, io.longrun.experiment.Verdict.Kind experiment) {
        Outcome o = stop == null ? new Outcome(ExitCodes.OK, "completed")
                : stop == RunControl.Reason.CRITERION ? new Outcome(ExitCodes.CRITERION, "stopped by criterion") : new Outcome(ExitCodes.INTERRUPTED, "interrupted");
        if (assertionFailed && ExitCodes.worst(o.exit(), ExitCodes.ASSERTION) != o.exit()) o = new Outcome(ExitCodes.ASSERTION, "assertion failed");
        if (experiment != null && ExitCodes.worst(o.exit(), experiment.exitCode()) != o.exit())
            o = new Outcome(experiment.exitCode(), "experiment " + experiment.key());
        return o;
    }

    /** An assert record of the run log. */
    static Map<String, Object> record(AssertionResult a) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", a.name());
        r.put("kind", a.kind());
        r.put("passed", a.passed());
        r.put("observed", a.observed());
        r.put("expected", a.expected());
        if (a.error() != null) r.put("error", a.error());
        r.put("description", a.description());
        return r;
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

    RunResult finish(RunLog log, Console console, RunControl control, Outcomes outcomes, RunMonitor monitor, Duration elapsed,
                             List<AssertionResult> asserted, RunOptions opt, String suite, Resume resume) {
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
        Outcome o = outcome(stop == null ? null : stop.reason(), asserted.stream().anyMatch(a -> !a.passed()), experiment);
        int exit = o.exit();
        String verdict = o.verdict();
        // each table's first and last figures; a resumed run's rows_start is its first segment's
        Map<String, RunResult.TableGrowth> tables = monitor.tableGrowth();
        List<RunResult.FiredCriterion> fired = monitor.alerts().stream()
                .filter(a -> a.firing() && a.severity() == Scenario.Severity.ABORT)
                .map(a -> new RunResult.FiredCriterion(a.criterion(), a.text())).toList();
        RunResult result = new RunResult(exit, verdict, Optional.ofNullable(stop).map(RunControl.Stop::detail), elapsed, log.file(),
                emitters, total, latency[0], latency[1], tables, asserted, fired);
        if (opt.junit().isPresent()) {
            List<io.longrun.verify.JUnitReport.Stop> stops = fired.stream().map(f -> new io.longrun.verify.JUnitReport.Stop(f.criterion(), f.text())).toList();
            try {
                io.longrun.verify.JUnitReport.write(opt.junit().get(), suite, asserted, stops, elapsed.toMillis() / 1000.0);
            } catch (IOException e) {
                console.line("warning: --junit " + opt.junit().get() + ": " + e.getMessage());
            }
        }
        Map<String, Object> end = endRecord(result, monitor);
        if (experiment != null) end.put("experiment", experiment.key());
        if (chaos != null && chaos.record() != null) end.put("chaos", chaos.record());
        if (chaos != null) chaos.close();
        if (resume != null) end.put("missed_by", resume.missedBy());
        Map<String, Long> droppedBy = outcomes.droppedBy();
        if (!droppedBy.isEmpty()) end.put("dropped_by", droppedBy); // this segment's: max_in_flight, late
        Map<String, io.longrun.deliver.FormatErrors.Error> formatErrors = outcomes.formatErrors();
        if (!formatErrors.isEmpty()) {
            Map<String, Object> fe = new LinkedHashMap<>();
            formatErrors.forEach((name, e) -> {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("class", e.className());
                one.put("message", e.message());
                one.put("count", e.count());
                fe.put(name, one);
                console.line("warning: emitter " + name + ": format " + e.className() + " failed " + e.count() + " time(s): " + e.message());
            });
            end.put("format_errors", fe);
        }
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

    /** A replay's lines that could not be sent, counted by reason, with the first few by file and line. */
    void reportSkips(String emitter, ReplaySource source, RunLog log, Console console) {
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

}
