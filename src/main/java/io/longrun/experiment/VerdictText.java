package io.longrun.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The verdict in lines of text: the console's at the end of a run, and summary.md's. */
public final class VerdictText {
    private VerdictText() {}

    /** The headline: "experiment: recovered in 4.9 s: p95 left the tolerance ...". */
    public static String headline(Verdict v) {
        String rec = v.recoveryS() == null ? "" : " in " + Tolerance.fmt(v.recoveryS()) + " s";
        return "experiment: " + v.kind().key() + rec + " (exit " + v.kind().exitCode() + "): " + v.reason();
    }

    /** A table of the phases, one line each, in fixed columns. */
    public static List<String> table(VerdictRecord.Judged j) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "%-22s %8s %8s %9s %8s %9s %9s %10s %9s", "phase", "start s", "end s", "eps", "errors %", "p50 ms", "p95 ms",
                "ingest/s", "impact s"));
        for (int i = 0; i < j.phases().size(); i++) {
            PhaseSpan p = j.phases().get(i);
            PhaseFigures f = i < j.figures().size() ? j.figures().get(i) : new PhaseFigures();
            Verdict.PhaseVerdict pv = j.verdict().phases().get(i);
            String name = p.name() + (p.baseline() ? " (baseline)" : "");
            out.add(String.format(Locale.ROOT, "%-22s %8.1f %8.1f %9s %8s %9s %9s %10s %9s%s", name, p.start(), p.end(), n(f.eps(), 1), n(f.errorPct(), 2),
                    n(f.intended(50), 1), n(f.intended(95), 1), n(f.ingestEps(), 1), pv.impactS() == null ? "–" : n(pv.impactS(), 1),
                    Boolean.FALSE.equals(pv.effective()) ? "  fault not effective" : ""));
        }
        for (String note : j.verdict().notes()) out.add("note: " + note);
        return out;
    }

    static String n(double v, int decimals) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
