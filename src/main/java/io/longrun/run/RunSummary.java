package io.longrun.run;

import io.longrun.criteria.Criteria;
import io.longrun.deliver.Outcomes;
import io.longrun.scenario.Durations;
import io.longrun.watch.HealthSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The summary table printed at the end of a run. */
final class RunSummary {
    private RunSummary() {}

    static void print(RunResult r, RunMonitor monitor, Console console) {
        for (String line : lines(r, monitor)) console.line(line);
    }

    static List<String> lines(RunResult r, RunMonitor monitor) {
        List<String> out = new ArrayList<>();
        out.add("");
        out.add(String.format(Locale.ROOT, "%s after %s: exit %d%s", r.verdict(), Durations.elapsed(r.elapsed()), r.exitCode(),
                r.stoppedBy().map(s -> " (" + s + ")").orElse("")));
        boolean missed = r.total().missed() > 0; // a resumed run: a column for the events due while it was down
        out.add(String.format(Locale.ROOT, "%-20s %10s %10s %10s %10s %10s %10s%s %9s %9s %9s", "emitter", "planned", "sent",
                "accepted", "rejected", "failed", "dropped", missed ? String.format(Locale.ROOT, " %10s", "missed") : "", "p50 ms", "p95 ms", "p99 ms"));
        for (Outcomes.Stats s : r.emitters()) out.add(row(s, missed));
        if (r.emitters().size() > 1) out.add(row(r.total(), missed));
        out.add(String.format(Locale.ROOT, "latency from the intended send time (coordinated omission corrected); service time p50 %.1f ms, p95 %.1f ms, p99 %.1f ms",
                r.service().p50(), r.service().p95(), r.service().p99()));
        if (!r.total().rejectedBy().isEmpty()) out.add("rejected by status: " + r.total().rejectedBy());
        if (!r.total().failedBy().isEmpty()) out.add("failed by reason: " + r.total().failedBy());
        HealthSample h = monitor.lastHealth();
        if (h != null) out.add(String.format(Locale.ROOT, "health: %d checks, %d failed, last %s", monitor.healthChecks(),
                monitor.healthFailures(), h.describe()));
        if (!r.tables().isEmpty()) {
            out.add(String.format(Locale.ROOT, "%-20s %12s %12s %12s %12s", "table", "rows start", "rows end", "added", "size"));
            r.tables().forEach((t, g) -> out.add(String.format(Locale.ROOT, "%-20s %12s %12s %+12d %12s%s", t, rows(g.rowsStart(), g.startMethod()),
                    rows(g.rowsEnd(), g.endMethod()), g.added(), bytes(g.bytesEnd()), g.added() == r.total().accepted() && g.added() > 0
                            ? "   = accepted events" : "")));
            out.addAll(counting(r));
        } else if (monitor.lastDbError() != null) {
            out.add("database: " + monitor.lastDbError());
        }
        List<Criteria.State> states = monitor.criteria();
        if (!states.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (Criteria.State s : states) parts.add(s.name() + (s.firing() ? " FIRING" : " ok"));
            out.add("criteria: " + String.join(", ", parts));
        }
        if (monitor.logLines() > 0) out.add("logs: " + monitor.logLines() + " line(s) watched, by level " + monitor.logLevels());
        for (io.longrun.verify.AssertionResult a : r.assertions())
            out.add(String.format(Locale.ROOT, "assert %-24s %s  %s: %s%s", a.name(), a.passed() ? "PASS" : "FAIL", a.description(),
                    a.error() != null ? "error: " + a.error() : "observed " + a.observed(), a.error() != null ? "" : ", expected " + a.expected()));
        out.add("run log: " + r.runLog());
        return out;
    }

    /** A table's rows at one end; ≈ when the count there failed and the statistics' estimate stands in. */
    private static String rows(long rows, String method) {
        return (method.equals("stats") ? "≈" : "") + rows;
    }

    /** How the rows of the table block were counted: a promise the reader can hold them to. */
    static List<String> counting(RunResult r) {
        List<String> out = new ArrayList<>();
        List<String> keyset = new ArrayList<>(), estimated = new ArrayList<>();
        r.tables().forEach((t, g) -> {
            if (g.endMethod().equals("keyset")) keyset.add(t);
            if (!g.counted()) estimated.add(t);
        });
        out.add("rows start and end are exact" + (estimated.isEmpty() ? ": " : ", but where marked ≈ (")
                + "count(*) before the first event and after the drain" + (estimated.isEmpty() ? "" : ")")
                + (keyset.isEmpty() ? "" : "; rows end of " + String.join(", ", keyset) + " counted past its key's marks of the last lag allowance"));
        if (!estimated.isEmpty()) out.add("≈ " + String.join(", ", estimated) + ": a count failed at that end (a lock or an error); "
                + "the figure is estimated from PostgreSQL's statistics");
        return out;
    }

    private static String row(Outcomes.Stats s, boolean missed) {
        return String.format(Locale.ROOT, "%-20s %10d %10d %10d %10d %10d %10d%s %9.1f %9.1f %9.1f", s.emitter(), s.planned(), s.sent(),
                s.accepted(), s.rejected(), s.failed(), s.dropped(), missed ? String.format(Locale.ROOT, " %10d", s.missed()) : "",
                s.intended().p50(), s.intended().p95(), s.intended().p99());
    }

    static String bytes(long b) {
        if (b < 1024) return b + " B";
        if (b < 1024 * 1024) return String.format(Locale.ROOT, "%.0f kB", b / 1024.0);
        if (b < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MB", b / 1048576.0);
        return String.format(Locale.ROOT, "%.2f GB", b / 1073741824.0);
    }
}
