package io.longrun.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.experiment.ExperimentLog;
import io.longrun.experiment.VerdictRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A fault experiment in the report: summary.json's {@code experiment} key, the phase table (baseline, fault and
 * recovery side by side) with the verdict and its reason, and the phases shaded and faults marked on every chart.
 */
final class ExperimentSection {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExperimentSection() {}

    /**
     * The {@code experiment} key: the run's own experiment.verdict record when it wrote one (it alone knows what the
     * database lost and what the phase assertions said), else judged now from the log; null without an experiment.
     */
    static Map<String, Object> summary(RunData d) {
        ExperimentLog x = d.experiment;
        if (!x.present() || !x.started()) return null; // a dry run writes the plan only
        Optional<com.fasterxml.jackson.databind.JsonNode> rec = x.verdictRecord();
        if (rec.isPresent()) {
            Map<String, Object> m = JSON.convertValue(rec.get(), new TypeReference<LinkedHashMap<String, Object>>() {});
            m.remove("type");
            m.remove("time");
            return m;
        }
        return VerdictRecord.judge(x).record();
    }

    /** Each phase shaded, each fault's confirmed on and off a marker, on every chart (times as the charts', epoch seconds). */
    static void draw(RunData d, Map<String, Object> exp, List<Map<String, Object>> phases, List<Map<String, Object>> markers) {
        if (exp == null) return;
        for (Object o : (List<?>) exp.get("phases")) {
            Map<?, ?> p = (Map<?, ?>) o;
            double from = wall(d, p.get("start")), to = wall(d, p.get("end"));
            List<?> faults = (List<?>) p.get("faults");
            String kind = Boolean.TRUE.equals(p.get("baseline")) ? "baseline" : faults != null && !faults.isEmpty() ? "fault" : "recover";
            if (!Double.isNaN(from) && !Double.isNaN(to) && to > from) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("from", from);
                m.put("to", to);
                m.put("label", "phase " + p.get("name") + (kind.equals("baseline") ? " (baseline)" : ""));
                m.put("kind", kind);
                phases.add(m);
            }
            if (faults == null) continue;
            for (Object fo : faults) {
                Map<?, ?> f = (Map<?, ?>) fo;
                marker(markers, wall(d, f.get("on_s")), "on: " + f.get("desc"), "fault-on");
                marker(markers, wall(d, f.get("off_s")), "off: " + f.get("desc"), "fault-off");
            }
        }
    }

    private static void marker(List<Map<String, Object>> markers, double t, String label, String state) {
        if (Double.isNaN(t)) return;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", t);
        m.put("label", label);
        m.put("state", state);
        markers.add(m);
    }

    private static double wall(RunData d, Object elapsed) {
        if (!(elapsed instanceof Number n)) return Double.NaN;
        return d.experiment.wall(n.doubleValue()).map(i -> i.getEpochSecond() + i.getNano() / 1e9).orElse(Double.NaN);
    }

    /** The verdict with its reason, then the phase table. */
    static void html(StringBuilder b, Map<String, Object> exp) {
        if (exp == null) return;
        String verdict = String.valueOf(exp.get("verdict"));
        b.append("<section id=\"experiment\"><h2>Fault experiment</h2>\n");
        b.append("<p class=\"verdict ").append(HtmlReport.esc(verdict)).append("\"><b>").append(HtmlReport.esc(verdict)).append("</b>");
        if (exp.get("recovery_s") instanceof Number r) b.append(" in ").append(num(r)).append(" s");
        b.append(": <span class=\"reason\">").append(HtmlReport.esc(String.valueOf(exp.get("reason")))).append("</span></p>\n");
        Map<?, ?> base = (Map<?, ?>) exp.get("baseline");
        b.append("<table class=\"phases\">\n<tr><th>phase</th><th>from s</th><th>to s</th><th>faults</th><th>events/s</th><th>errors %</th><th>p50 ms</th>"
                + "<th>p95 ms</th><th>ingest rows/s</th><th>worst p95 ms</th><th>worst errors %</th><th>impact after s</th><th>fault took effect</th>"
                + "<th>lost</th></tr>\n");
        for (Object o : (List<?>) exp.get("phases")) {
            Map<?, ?> p = (Map<?, ?>) o;
            Map<?, ?> worst = p.get("worst") instanceof Map<?, ?> w ? w : Map.of();
            StringBuilder faults = new StringBuilder();
            if (p.get("faults") instanceof List<?> fl)
                for (Object fo : fl) faults.append(faults.length() > 0 ? "; " : "").append(((Map<?, ?>) fo).get("desc"));
            boolean isBase = Boolean.TRUE.equals(p.get("baseline"));
            b.append("<tr class=\"").append(isBase ? "baseline" : faults.length() > 0 ? "fault" : "recover").append("\"><td>")
                    .append(HtmlReport.esc(String.valueOf(p.get("name")))).append(isBase ? " (baseline)" : "").append(Boolean.TRUE.equals(p.get("cut")) ? " (cut short)" : "")
                    .append("</td>");
            for (Object v : new Object[] {p.get("start"), p.get("end")}) cell(b, v);
            b.append("<td>").append(faults.length() == 0 ? "–" : HtmlReport.esc(faults.toString())).append("</td>");
            for (String k : new String[] {"eps", "error_pct", "p50_ms", "p95_ms", "ingest_eps"}) cell(b, p.get(k));
            cell(b, worst.get("p95_ms"));
            cell(b, worst.get("error_pct"));
            cell(b, p.get("impact_s"));
            Object eff = p.get("effective");
            b.append("<td>").append(eff == null ? "–" : Boolean.TRUE.equals(eff) ? "yes" : "<b>no</b>").append("</td>");
            cell(b, p.get("lost"));
            b.append("</tr>\n");
        }
        b.append("</table>\n");
        b.append("<p class=\"explain\">").append(HtmlReport.esc(String.format(Locale.ROOT,
                "Baseline (median per tick over the baseline phase from %s s, its start left out as warm-up): %s events/s, %s %% errors, p95 %s ms, "
                        + "%s rows/s ingested. A signal is out when it is more than %s %% worse than its baseline (error rate at least 1 point, p95 at least "
                        + "10 ms); recovery is timed from the last fault's confirmed removal until every signal (%s) stayed within for %s s. Throughput "
                        + "and ingest are judged as shares of the schedule, so that a phase's own rate is not an impact.",
                num(base.get("from_s")), num(base.get("eps")), num(base.get("error_pct")), num(base.get("p95_ms")), num(base.get("ingest_eps")),
                num(exp.get("tolerance_pct")), String.join(", ", strings(exp.get("signals"))), num(exp.get("hold_s"))))).append("</p>\n");
        for (String n : strings(exp.get("notes"))) b.append("<p class=\"note\">").append(HtmlReport.esc(n)).append("</p>\n");
        b.append("</section>\n");
    }

    private static List<String> strings(Object o) {
        return o instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    private static void cell(StringBuilder b, Object v) {
        b.append("<td class=\"num\">").append(num(v)).append("</td>");
    }

    static String num(Object v) {
        if (!(v instanceof Number n)) return "–";
        double x = n.doubleValue();
        if (x == Math.rint(x) && Math.abs(x) < 1e15) return Long.toString((long) x);
        return String.format(Locale.ROOT, Math.abs(x) >= 100 ? "%.0f" : Math.abs(x) >= 10 ? "%.1f" : "%.2f", x);
    }

    /** summary.md's part: the verdict and the phase table; "" without an experiment. */
    static String markdown(Map<String, Object> exp) {
        if (exp == null) return "";
        StringBuilder b = new StringBuilder("\n");
        b.append("**Experiment: ").append(exp.get("verdict")).append("**").append(exp.get("recovery_s") instanceof Number r ? " in " + num(r) + " s" : "")
                .append(": ").append(md(String.valueOf(exp.get("reason")))).append("\n\n");
        b.append("| phase | from s | to s | faults | events/s | errors % | p95 ms | worst p95 ms | impact after s | took effect |\n");
        b.append("|---|---:|---:|---|---:|---:|---:|---:|---:|---|\n");
        for (Object o : (List<?>) exp.get("phases")) {
            Map<?, ?> p = (Map<?, ?>) o;
            Map<?, ?> worst = p.get("worst") instanceof Map<?, ?> w ? w : Map.of();
            List<String> faults = p.get("faults") instanceof List<?> fl ? fl.stream().map(f -> String.valueOf(((Map<?, ?>) f).get("desc"))).toList() : List.of();
            Object eff = p.get("effective");
            b.append("| ").append(md(String.valueOf(p.get("name")))).append(Boolean.TRUE.equals(p.get("baseline")) ? " (baseline)" : "").append(" | ")
                    .append(num(p.get("start"))).append(" | ").append(num(p.get("end"))).append(" | ").append(faults.isEmpty() ? "–" : md(String.join("; ", faults)))
                    .append(" | ").append(num(p.get("eps"))).append(" | ").append(num(p.get("error_pct"))).append(" | ").append(num(p.get("p95_ms")))
                    .append(" | ").append(num(worst.get("p95_ms"))).append(" | ").append(num(p.get("impact_s"))).append(" | ")
                    .append(eff == null ? "–" : Boolean.TRUE.equals(eff) ? "yes" : "**no**").append(" |\n");
        }
        return b.toString();
    }

    private static String md(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
