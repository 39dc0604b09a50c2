package io.longrun.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.runlog.Secrets;
import io.longrun.scenario.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * report.html: one self-contained page. uPlot's script and stylesheet are inlined (read from its webjar on the
 * classpath), the data is a JSON block, and report.js draws one chart per {@code div.chart}. After drawing, each
 * chart carries {@code data-points} (values drawn) and {@code data-ink} (canvas pixels in its series' colours),
 * which the tests read back from a headless browser.
 */
final class HtmlReport {
    static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/";
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String BLUE = "#1f6feb", ORANGE = "#e8590c", GREEN = "#2b8a3e", RED = "#c92a2a", PURPLE = "#7048e8", GREY = "#495057",
            TEAL = "#0c8599", BROWN = "#a0522d";

    private HtmlReport() {}

    static String page(RunData d, Map<String, Object> run, Map<String, TableSummary> tables, List<String> notes, List<Expectation> expectations,
                       OptionalLong limit, Map<String, Object> experiment) throws IOException {
        List<Map<String, Object>> charts = ReportCharts.charts(d, tables, limit), markers = ReportCharts.markers(d), phases = ReportCharts.phases(d);
        charts.addAll(d.fieldCharts);
        ExperimentSection.draw(d, experiment, phases, markers);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("charts", charts);
        data.put("markers", markers);
        data.put("phases", phases);
        StringBuilder b = new StringBuilder(256 * 1024);
        String title = "longrun report: " + run.get("scenario") + " (" + run.get("run_id") + ")";
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n");
        b.append("<style>\n").append(resource(UPLOT + "dist/uPlot.min.css")).append("\n").append(resource("io/longrun/report/report.css")).append("</style>\n");
        b.append("</head>\n<body>\n<header><h1>").append(esc(title)).append("</h1></header>\n<main>\n");
        for (String n : notes) b.append("<p class=\"note\">").append(esc(n)).append("</p>\n");
        facts(b, d, run);
        ExperimentSection.html(b, experiment);
        growth(b, tables, limit.isPresent());
        criteria(b, d);
        b.append("<section id=\"charts\">\n");
        for (Map<String, Object> c : charts) {
            b.append("<section class=\"panel\"><h2>").append(esc((String) c.get("title"))).append("</h2>\n");
            b.append("<div class=\"chart\" id=\"").append(c.get("id")).append("\"").append(c.containsKey("table")
                    ? " data-table=\"" + esc((String) c.get("table")) + "\"" : "").append("></div>\n");
            b.append("<p class=\"explain\">").append(esc((String) c.get("explain"))).append("</p></section>\n");
        }
        b.append("</section>\n");
        alerts(b, d);
        warnings(b, d);
        b.append("</main>\n<footer>Charts drawn with uPlot 1.6.30 (MIT licence, inlined below), so that this page opens offline. "
                + "Times are UTC. Built by longrun report from ").append(esc(String.valueOf(run.get("run_id")))).append("'s run log.</footer>\n");
        b.append("<script id=\"report-data\" type=\"application/json\">").append(json(data)).append("</script>\n");
        b.append("<script>\n/*\n").append(resource(UPLOT + "LICENSE").replace("*/", "* /")).append("*/\n")
                .append(resource(UPLOT + "dist/uPlot.iife.min.js")).append("\n</script>\n");
        b.append("<script>\n").append(resource("io/longrun/report/report.js")).append("\n</script>\n</body>\n</html>\n");
        return b.toString();
    }

    // ---- the page's tables

    private static void facts(StringBuilder b, RunData d, Map<String, Object> run) {
        b.append("<section id=\"facts\"><h2>The run</h2>\n<table class=\"facts\">\n");
        row(b, "scenario", run.get("scenario"));
        row(b, "run id", run.get("run_id"));
        row(b, "scenario id", run.get("scenario_id"));
        row(b, "seed", run.get("seed"));
        String url = d.start.path("config").path("target").path("url").asText(null);
        if (url != null) row(b, "target", Secrets.maskUrl(url));
        row(b, "start (UTC)", run.get("start"));
        row(b, "end (UTC)", run.get("end") + (d.complete() ? "" : " (last record)"));
        double dur = ((Number) run.get("duration_s")).doubleValue();
        String planned = d.start.path("config").path("duration").asText("?");
        row(b, "duration", Durations.elapsed(Duration.ofMillis(Math.round(dur * 1000))) + " (planned "
                + Durations.parse(planned).map(Durations::elapsed).orElse(planned) + ")");
        row(b, "verdict", run.get("verdict"));
        row(b, "stop reason", run.get("stopped_by") == null ? (d.complete() ? "none: the schedule ended" : "unknown") : run.get("stopped_by"));
        row(b, "exit code", run.get("exit_code") == null ? "unknown (" + Report.NO_END + ")" : run.get("exit_code"));
        Map<?, ?> t = (Map<?, ?>) run.get("totals");
        row(b, "events", String.format(Locale.ROOT, "%s planned, %s sent, %s accepted, %s rejected, %s failed, %s dropped%s", t.get("planned"),
                t.get("sent"), t.get("accepted"), t.get("rejected"), t.get("failed"), t.get("dropped"),
                t.containsKey("missed") ? ", " + t.get("missed") + " missed while the runner was down" : ""));
        row(b, "accepted per second", run.get("accepted_eps"));
        if (run.get("chaos") instanceof JsonNode c)
            row(b, "stream chaos", String.format(Locale.ROOT, "%d dropped, %d duplicated, %d delayed, %d reordered, %d modified, %d corrupted "
                    + "(%d accepted though corrupted), %d injected (ledger %s)", c.path("dropped").asLong(), c.path("duplicated").asLong(),
                    c.path("delayed").asLong(), c.path("reordered").asLong(), c.path("modified").asLong(), c.path("corrupted").asLong(),
                    c.path("corrupted_accepted").asLong(), c.path("injected").asLong(), c.path("ledger").asText("chaos.ndjson")));
        if (run.get("ledger") instanceof Map<?, ?> l)
            row(b, "ledger", (Boolean.TRUE.equals(l.get("passed")) ? "passed: " : "FAILED: ") + l.get("observed") + " (expected " + l.get("expected") + ")");
        JsonNode lat = d.end == null ? null : d.end.path("latency_ms");
        if (lat != null && lat.has("intended"))
            row(b, "latency ms (p50 / p95 / p99)", String.format(Locale.ROOT, "from the intended send time %s / %s / %s; service time %s / %s / %s",
                    lat.at("/intended/p50").asText(), lat.at("/intended/p95").asText(), lat.at("/intended/p99").asText(),
                    lat.at("/service/p50").asText(), lat.at("/service/p95").asText(), lat.at("/service/p99").asText()));
        row(b, "health checks", d.healthChecks + " (" + d.healthFailures + " failed)");
        if (run.get("db_size_end_bytes") != null)
            row(b, "database size", ByteSize.format(((Number) run.get("db_size_start_bytes")).doubleValue()) + " → "
                    + ByteSize.format(((Number) run.get("db_size_end_bytes")).doubleValue())
                    + (run.get("db_mb_per_hour") != null ? " (" + run.get("db_mb_per_hour") + " MB/h)" : ""));
        if (run.containsKey("disk_limit_bytes"))
            row(b, "disk limit", ByteSize.format(((Number) run.get("disk_limit_bytes")).doubleValue()) + " (" + run.get("disk_limit_source") + "): "
                    + (run.get("db_size_limit_eta") == null ? "not reached: the database does not grow"
                    : "reached at " + run.get("db_size_limit_eta") + ", " + run.get("db_size_limit_hours") + " h after the last sample"));
        b.append("</table></section>\n");
    }

    private static void row(StringBuilder b, String k, Object v) {
        b.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(String.valueOf(v))).append("</td></tr>\n");
    }

    private static void growth(StringBuilder b, Map<String, TableSummary> tables, boolean limit) {
        b.append("<section id=\"growth\"><h2>Database growth</h2>\n");
        if (tables.isEmpty()) {
            b.append("<p>No database samples.</p></section>\n");
            return;
        }
        b.append("<table class=\"summary\" id=\"summary-table\">\n<tr><th>table</th><th>rows start</th><th>rows end</th><th>rows/min</th><th>MB/h</th>"
                + "<th>R²</th><th>rows per accepted event</th><th>in 6 h</th><th>in 24 h</th>").append(limit ? "<th>fills the disk at</th>" : "")
                .append("<th>verdict</th><th>reason</th></tr>\n");
        for (TableSummary s : tables.values()) {
            b.append("<tr class=\"").append(s.verdict()).append("\"><td>").append(esc(s.table())).append("</td>");
            num(b, s.rowsStartText());
            num(b, s.rowsEndText());
            num(b, s.fitted(s.rowsPerMin(), 1));
            num(b, opt(s.mbPerHour(), 2));
            num(b, s.fitted(s.r2(), 3));
            num(b, s.ratioText());
            num(b, s.fitted(s.projection6h()));
            num(b, s.fitted(s.projection24h()));
            if (limit) b.append("<td>").append(esc(s.diskLimitAt() == null ? "–" : s.diskLimitAt())).append("</td>");
            b.append("<td class=\"verdict\">").append(s.verdict()).append("</td><td>").append(esc(s.reason())).append("</td></tr>\n");
        }
        b.append("</table>\n<p class=\"explain\">Rows/min and MB/h are least-squares slopes over every sample; R² is how well that line fits. "
                + "Rows per accepted event is the rows' slope over the slope of the events accepted by each sample's time (for a table "
                + "estimated from the statistics: the rows added between the exact counts at the ends over the events accepted between them). In 6 h and in 24 h: "
                + "the rows a run that long at this rate would leave, from the same start.").append(limit
                ? " Fills the disk at: when the database would reach the limit if this table alone kept growing at its rate." : "")
                .append("</p>\n");
        if (tables.values().stream().anyMatch(TableSummary::marked))
            b.append("<p class=\"explain\" id=\"estimates\">").append(TableSummary.ESTIMATE).append(" ").append(esc(TableSummary.ESTIMATES)).append("</p>\n");
        b.append("</section>\n");
    }

    private static void num(StringBuilder b, String v) {
        b.append("<td class=\"num\">").append(esc(v)).append("</td>");
    }

    private static String opt(Double v, int decimals) {
        return v == null ? "–" : TableSummary.f(v, decimals);
    }

    private static void criteria(StringBuilder b, RunData d) {
        JsonNode rules = d.start.path("config").path("stop_when");
        if (rules.isEmpty() && d.criteria.isEmpty()) return;
        b.append("<section id=\"criteria\"><h2>Criteria</h2>\n<table class=\"criteria\">\n<tr><th>criterion</th><th>severity</th><th>condition</th>"
                + "<th>fired</th><th>first fired (UTC)</th><th>last state</th></tr>\n");
        Set<String> shown = new HashSet<>();
        for (JsonNode r : rules) {
            String name = r.path("name").asText();
            shown.add(name);
            criterionRow(b, name, r.path("severity").asText(), r.path("condition").asText(), d.criteria.get(name));
        }
        d.criteria.forEach((name, c) -> {
            if (!shown.contains(name)) criterionRow(b, name, c.severity, c.kind, c);
        });
        b.append("</table></section>\n");
    }

    private static void criterionRow(StringBuilder b, String name, String severity, String condition, RunData.CriterionState c) {
        boolean fired = c != null && c.firings > 0;
        b.append("<tr class=\"").append(fired ? "fired" : "quiet").append("\"><td>").append(esc(name)).append("</td><td>").append(esc(severity))
                .append("</td><td>").append(esc(condition)).append("</td><td class=\"num\">").append(c == null ? 0 : c.firings).append("</td><td>")
                .append(fired ? esc(Report.utc(c.firstFiring)) : "–").append("</td><td>").append(c == null ? "ok" : esc(c.lastState)).append("</td></tr>\n");
    }

    private static void alerts(StringBuilder b, RunData d) {
        if (d.markers.isEmpty()) return;
        b.append("<section id=\"alerts\"><h2>Alerts</h2>\n<table class=\"alerts\">\n<tr><th>time (UTC)</th><th>criterion</th><th>severity</th><th>state</th><th>message</th></tr>\n");
        for (RunData.Marker m : d.markers)
            b.append("<tr class=\"").append(esc(m.state())).append("\"><td>").append(Report.utc(m.time())).append("</td><td>").append(esc(m.criterion()))
                    .append("</td><td>").append(esc(m.severity())).append("</td><td>").append(esc(m.state())).append("</td><td>").append(esc(m.message()))
                    .append("</td></tr>\n");
        b.append("</table>").append(d.markersLeftOut > 0 ? "<p>… and " + d.markersLeftOut + " more in the run log.</p>" : "").append("</section>\n");
    }

    private static void warnings(StringBuilder b, RunData d) {
        if (d.warnings.isEmpty()) return;
        b.append("<section id=\"warnings\"><h2>Warnings during the run</h2>\n<ul>\n");
        for (String w : d.warnings) b.append("<li>").append(esc(w)).append("</li>\n");
        b.append("</ul>").append(d.warningsLeftOut > 0 ? "<p>… and " + d.warningsLeftOut + " more in the run log.</p>" : "").append("</section>\n");
    }

    // ---- the charts' data

    @SuppressWarnings("unchecked")
    static String slug(String table) {
        String s = table.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return s.isEmpty() ? "table" : s;
    }

    private static String json(Object data) throws JsonProcessingException {
        // "<" only occurs inside JSON strings, where \u003c means the same: no "</script>" can end the block early
        return JSON.writeValueAsString(data).replace("<", "\\u003c");
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IOException("missing from the classpath: " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
