package io.longrun.experiment;

import static io.longrun.experiment.FigureText.*;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A suite's summary: a table for the console, suite.json for scripts, and junit.xml (one test case per experiment;
 * not_recovered and inconclusive fail with their reason, as any non-zero exit does), and the suite's exit code.
 */
public final class SuiteReport {
    public static final String JSON_FILE = "suite.json", JUNIT_FILE = "junit.xml";

    /**
     * Exit codes, worst first: the suite exits with the worst of its experiments'. Interrupted and stopped-by-a-
     * criterion come first, as within a run (130 / 3 > 5 > 4 > 6 > 0), with the runs that could not be done at all
     * (1 internal, 2 bad input) between them.
     */
    public static final List<Integer> WORST_FIRST = List.of(130, 1, 2, 3, 5, 4, 6, 0);

    /**
     * What the suite did.
     *
     * @param outcomes    the experiments that ran, in order
     * @param notRun      the names of those planned but not run (interrupted), in order; empty under --loop forever
     * @param interrupted whether Ctrl+C or SIGTERM ended it
     */
    public record Result(List<ExperimentOutcome> outcomes, List<String> notRun, boolean interrupted, Instant started, double seconds,
                         Optional<Long> shuffleSeed) {}

    private SuiteReport() {}

    /** The worst exit code of the experiments (130 when interrupted); 0 for none. */
    public static int exitCode(Result r) {
        int worst = 0;
        for (ExperimentOutcome o : r.outcomes()) if (rank(o.exitCode()) < rank(worst)) worst = o.exitCode();
        if (r.interrupted()) worst = 130;
        return worst;
    }

    static int rank(int code) {
        int i = WORST_FIRST.indexOf(code);
        return i < 0 ? 1 : i; // an unknown code ranks as an internal error
    }

    /** The console table: one line per experiment. */
    public static String table(Result r) {
        StringBuilder b = new StringBuilder();
        String fmt = "%-26s %-14s %4s %9s %9s %8s %8s %8s %10s  %s%n";
        b.append(String.format(Locale.ROOT, fmt, "experiment", "verdict", "exit", "base p95", "worst p95", "base err", "worst err", "impact",
                "recovery", "run"));
        for (ExperimentOutcome o : r.outcomes()) {
            ExperimentOutcome.Figures f = o.figures().orElse(null);
            b.append(String.format(Locale.ROOT, fmt, o.name() + (o.round() > 1 ? " #" + o.round() : ""), o.verdict(), o.exitCode(),
                    f == null ? "-" : ms(f.baselineP95Ms()), f == null ? "-" : ms(f.worstP95Ms()), f == null ? "-" : pct(f.baselineErrPct()),
                    f == null ? "-" : pct(f.worstErrPct()), f == null ? "-" : s(f.impactS()), f == null ? "-" : s(f.recoveryS()),
                    o.runDir().map(Path::toString).orElse("(not started)")));
        }
        for (String n : r.notRun()) b.append(String.format(Locale.ROOT, fmt, n, "not run", "-", "-", "-", "-", "-", "-", "-", "(interrupted)"));
        long failed = r.outcomes().stream().filter(ExperimentOutcome::failed).count();
        b.append(String.format(Locale.ROOT, "%d experiment(s) in %.0f s: %d passed or recovered, %d failed%s; exit %d%n", r.outcomes().size(),
                r.seconds(), r.outcomes().size() - failed, failed, r.interrupted() ? ", interrupted (" + r.notRun().size() + " not run)" : "",
                exitCode(r)));
        return b.toString();
    }


    /** suite.json. */
    public static void writeJson(Path file, Result r) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("started", r.started().toString());
        root.put("seconds", round(r.seconds()));
        root.put("exit_code", exitCode(r));
        root.put("interrupted", r.interrupted());
        root.put("shuffle_seed", r.shuffleSeed().orElse(null));
        root.put("experiments", r.outcomes().stream().map(SuiteReport::json).toList());
        root.put("not_run", r.notRun());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    private static Map<String, Object> json(ExperimentOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", o.name());
        m.put("round", o.round());
        m.put("file", o.file().toString());
        m.put("run_dir", o.runDir().map(Path::toString).orElse(null));
        m.put("verdict", o.verdict());
        m.put("reason", o.reason());
        m.put("exit_code", o.exitCode());
        m.put("seconds", round(o.seconds()));
        ExperimentOutcome.Figures f = o.figures().orElse(null);
        m.put("baseline", f == null ? null : figures(f.baselineP95Ms(), f.baselineErrPct()));
        m.put("worst", f == null ? null : figures(f.worstP95Ms(), f.worstErrPct()));
        m.put("impact_s", f == null ? null : f.impactS());
        m.put("recovery_s", f == null ? null : f.recoveryS());
        m.put("settle", o.settle().map(w -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("settled", w.settled());
            s.put("waited_s", round(w.waitedS()));
            s.put("health_p50_ms", round(w.last().p50Ms()));
            s.put("health_p95_ms", round(w.last().p95Ms()));
            s.put("health_failed", w.last().failed());
            s.put("text", w.text());
            return s;
        }).orElse(null));
        return m;
    }

    private static Map<String, Object> figures(Double p95, Double err) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p95_ms", p95);
        m.put("error_pct", err);
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** junit.xml: one test case per experiment run; those not run (interrupted) are skipped. */
    public static void writeJUnit(Path file, Result r) throws IOException {
        long failures = r.outcomes().stream().filter(o -> o.failed() && !o.error()).count();
        long errors = r.outcomes().stream().filter(ExperimentOutcome::error).count();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            w.write(String.format(Locale.ROOT, "<testsuite name=\"longrun suite\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">%n",
                    r.outcomes().size() + r.notRun().size(), failures, errors, r.notRun().size(), r.seconds()));
            for (ExperimentOutcome o : r.outcomes()) {
                w.write(String.format(Locale.ROOT, "  <testcase classname=\"longrun.experiment\" name=\"%s\" time=\"%.3f\">",
                        esc(o.name() + (o.round() > 1 ? " #" + o.round() : "")), o.seconds()));
                if (o.failed()) {
                    String tag = o.error() ? "error" : "failure";
                    String message = o.verdict() + (o.reason().isEmpty() ? "" : ": " + o.reason()) + " (exit " + o.exitCode() + ")";
                    w.write("\n    <" + tag + " type=\"" + esc(o.verdict()) + "\" message=\"" + esc(message) + "\">" + esc(detail(o)) + "</" + tag + ">\n  ");
                }
                w.write("</testcase>\n");
            }
            for (String n : r.notRun())
                w.write("  <testcase classname=\"longrun.experiment\" name=\"" + esc(n) + "\">\n    <skipped message=\"not run: the suite was interrupted\"/>\n  </testcase>\n");
            w.write("</testsuite>\n");
        }
    }

    private static String detail(ExperimentOutcome o) {
        StringBuilder b = new StringBuilder(o.reason());
        o.figures().ifPresent(f -> b.append(String.format(Locale.ROOT, "%nbaseline p95 %s, worst %s; baseline error rate %s, worst %s; impact %s; recovery %s",
                ms(f.baselineP95Ms()), ms(f.worstP95Ms()), pct(f.baselineErrPct()), pct(f.worstErrPct()), s(f.impactS()), s(f.recoveryS()))));
        o.runDir().ifPresent(d -> b.append("\nrun folder: ").append(d));
        return b.toString().strip();
    }

    /** XML text: the JUnit report's escaping, one piece of code for both files. */
    static String esc(String s) {
        return io.longrun.verify.JUnitReport.esc(s);
    }
}
