package io.longrun.api;

import io.longrun.report.Report;
import io.longrun.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a run ended, as its run log's {@code run.end} says: the verdict and exit code the command line would give,
 * the delivery totals, the stop criteria that fired, the assertions, each watched table's growth, and where the
 * run log and the report are.
 */
public final class SoakResult {
    /**
     * A stop criterion (severity abort) that fired.
     *
     * @param criterion its name, as in the run log's alerts
     * @param reason what it saw
     */
    public record Criterion(String criterion, String reason) {}

    /**
     * One assertion of the runbook's {@code assert:} (or a failed phase step), as the run log records it.
     *
     * @param name its name
     * @param kind its kind: count, no_rows, sql, threshold, sequence, ledger, step
     * @param description what it checks, in words
     * @param passed whether it held
     * @param observed what was found
     * @param expected what was expected
     * @param error why it could not be checked, or null
     */
    public record Assertion(String name, String kind, String description, boolean passed, String observed, String expected, String error) {}

    /**
     * A watched table at its first and last figure.
     *
     * @param rowsStart rows at the start
     * @param rowsEnd rows at the end
     * @param bytesEnd its size at the end, in bytes
     * @param counted whether both ends are counts (exact or keyset), not the statistics' estimates
     */
    public record Table(long rowsStart, long rowsEnd, long bytesEnd, boolean counted) {
        /** Rows added during the run. */
        public long added() {
            return rowsEnd - rowsStart;
        }
    }

    private final RunResult r;

    SoakResult(RunResult r) {
        this.r = r;
    }

    /** The exit code {@code longrun run} gives for this run: 0 completed, 3 stopped by a criterion, 4 an assertion failed, 130 stopped early. */
    public int exitCode() {
        return r.exitCode();
    }

    /** The verdict: {@code completed}, {@code stopped by criterion}, {@code assertion failed}, {@code interrupted}, {@code experiment ...}. */
    public String verdict() {
        return r.verdict();
    }

    /** Whether the run passed: exit code 0. */
    public boolean passed() {
        return r.exitCode() == 0;
    }

    /** What stopped the run early (a criterion and what it saw, or a stop request), if anything did. */
    public Optional<String> stoppedBy() {
        return r.stoppedBy();
    }

    /** How long the schedule ran, from time zero (the warm-up excluded). */
    public Duration elapsed() {
        return r.elapsed();
    }

    /** All emitters' figures together; a request still in flight at the end counts as failed (abandoned). */
    public Counts total() {
        return Counts.of(r.total());
    }

    /** Each emitter's figures, by name, in the scenario's order. */
    public Map<String, Counts> emitters() {
        Map<String, Counts> m = new LinkedHashMap<>();
        r.emitters().forEach(s -> m.put(s.emitter(), Counts.of(s)));
        return m;
    }

    /** The stop criteria (severity abort) that fired, in the order they fired. */
    public List<Criterion> criteriaFired() {
        return r.criteria().stream().map(c -> new Criterion(c.criterion(), c.text())).toList();
    }

    /** The assertions' results, in the runbook's order. */
    public List<Assertion> assertions() {
        return r.assertions().stream().map(a -> new Assertion(a.name(), a.kind(), a.description(), a.passed(), a.observed(), a.expected(), a.error()))
                .toList();
    }

    /** Each watched table's growth, by table name. */
    public Map<String, Table> tables() {
        Map<String, Table> m = new LinkedHashMap<>();
        r.tables().forEach((t, g) -> m.put(t, new Table(g.rowsStart(), g.rowsEnd(), g.bytesEnd(), g.counted())));
        return m;
    }

    /** The JSONL run log. */
    public Path runLog() {
        return r.runLog();
    }

    /** The HTML report beside the run log, when it could be written. */
    public Optional<Path> report() {
        Path p = r.runLog().resolveSibling(Report.HTML);
        return Files.exists(p) ? Optional.of(p) : Optional.empty();
    }

    /**
     * Every reason this run did not pass, one line each: the criteria that fired, the assertions that failed, and the
     * verdict when neither explains it. Empty when it passed.
     */
    public List<String> failures() {
        if (passed()) return List.of();
        List<String> out = new java.util.ArrayList<>();
        for (Criterion c : criteriaFired()) out.add("stop criterion " + c.criterion() + ": " + c.reason());
        for (Assertion a : assertions())
            if (!a.passed()) out.add("assertion " + a.name() + ": " + (a.error() != null ? a.error() : "observed " + a.observed() + ", expected " + a.expected()));
        if (out.isEmpty()) out.add(verdict() + stoppedBy().map(s -> " (" + s + ")").orElse(""));
        return out;
    }

    /** The run as the command line's exit line says it, with its totals. */
    @Override
    public String toString() {
        Counts t = total();
        return verdict() + ": exit " + exitCode() + ", planned " + t.planned() + ", sent " + t.sent() + ", accepted " + t.accepted()
                + ", rejected " + t.rejected() + ", failed " + t.failed() + ", dropped " + t.dropped() + " (" + runLog() + ")";
    }
}
