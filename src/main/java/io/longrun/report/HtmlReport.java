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
import java.util.ArrayList;
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
        List<Map<String, Object>> charts = charts(d, tables, limit), markers = markers(d), phases = phases(d);
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
    private static List<Map<String, Object>> charts(RunData d, Map<String, TableSummary> tables, OptionalLong limit) {
        List<Map<String, Object>> charts = new ArrayList<>();
        if (d.ticksSeen > 0) {
            double[][] p = d.ticks.points();
            int n = p[0].length;
            double[] target = new double[n], actual = new double[n];
            double[][] outcomes = new double[4][n];
            for (int i = 0; i < n; i++) {
                double dt = p[1][i];
                target[i] = p[2][i] / dt;
                actual[i] = p[4][i] / dt;
                for (int k = 0; k < 4; k++) outcomes[k][i] = p[5 + k][i] / dt;
            }
            charts.add(chart("chart-rate", "Target vs actual rate", "events/s", null, p[0],
                    "The schedule's rate (target) and the events sent per second (actual), all emitters together.",
                    series("target", GREY, "y", target, 2, true), series("actual (sent)", BLUE, "y", actual, 2, false)));
            charts.add(chart("chart-outcomes", "Outcomes over time", "events/s", null, p[0],
                    "Accepted (2xx), rejected (other below 500), failed (5xx, time-outs, connection errors) and dropped (never sent) per second.",
                    series("accepted", GREEN, "y", outcomes[0], 2, false), series("rejected", ORANGE, "y", outcomes[1], 2, false),
                    series("failed", RED, "y", outcomes[2], 2, false), series("dropped", PURPLE, "y", outcomes[3], 2, false)));
            charts.add(chart("chart-latency-intended", "Latency from the intended send time", "ms", null, p[0],
                    "Percentiles measured from when each event was due (coordinated omission corrected). Each point is the highest tick in its span.",
                    series("p50", GREEN, "y", p[9], 2, false), series("p95", ORANGE, "y", p[10], 2, false), series("p99", RED, "y", p[11], 2, false)));
            Map<String, Object> service = chart("chart-latency-service", "Service time", "ms", null, p[0],
                    "Percentiles measured from the actual send time. Each point is the highest tick in its span.",
                    series("p50", GREEN, "y", p[12], 2, false), series("p95", ORANGE, "y", p[13], 2, false), series("p99", RED, "y", p[14], 2, false));
            for (JsonNode r : d.start.path("config").path("stop_when"))
                if (r.path("kind").asText().equals("slow_backend") && !r.path("params").path("source").asText("delivery").equals("health"))
                    Durations.parse(r.path("params").path("p95_above").asText()).ifPresent(x ->
                            hline(service, x.toNanos() / 1e6, "y", r.path("name").asText() + ": p95 above"));
            charts.add(service);
        }
        if (d.healthChecks > 0) {
            double[][] p = d.health.points();
            double[] failedPct = new double[p[0].length];
            for (int i = 0; i < failedPct.length; i++) failedPct[i] = 100 * p[2][i] / p[1][i];
            Map<String, Object> h = chart("chart-health", "Health timeline", "latency ms", "failed %", p[0],
                    "Health check latency (the slowest in each span) and the share of checks that failed (bars).",
                    series("latency", TEAL, "y", p[3], 2, false), series("failed %", RED, "y2", failedPct, 1, false));
            ((List<Map<String, Object>>) h.get("series")).get(1).put("bars", true);
            charts.add(h);
        }
        Set<String> ids = new HashSet<>();
        for (TableSummary s : tables.values()) {
            RunData.TableData t = d.tables.get(s.table());
            double[][] p = t.series.points();
            int n = p[0].length;
            double[] mb = new double[n], rowsFit = new double[n], mbFit = new double[n];
            for (int i = 0; i < n; i++) {
                mb[i] = p[2][i] / TableSummary.MB;
                double x = p[0][i] - d.startTime;
                rowsFit[i] = t.rows.at(x);
                mbFit[i] = t.bytes.at(x) / TableSummary.MB;
            }
            String id = "chart-table-" + slug(s.table());
            for (int k = 2; !ids.add(id); k++) id = "chart-table-" + slug(s.table()) + "-" + k;
            Map<String, Object> c = chart(id, "Table " + s.table() + ": rows and size", "rows", "MB", p[0],
                    "Rows and size at each sample, with their least-squares lines (dashed): " + s.reason(),
                    series("rows", BLUE, "y", p[1], 0, false), series("rows, fitted", "#74c0fc", "y", rowsFit, 1, true),
                    series("MB", BROWN, "y2", mb, 3, false), series("MB, fitted", "#e599f7", "y2", mbFit, 3, true));
            c.put("table", s.table());
            c.put("verdict", s.verdict());
            charts.add(c);
        }
        if (!Double.isNaN(d.dbSizeLast)) {
            double[][] p = d.dbSize.points();
            int n = p[0].length;
            double[] mb = new double[n], fit = new double[n];
            for (int i = 0; i < n; i++) {
                mb[i] = p[1][i] / TableSummary.MB;
                fit[i] = d.dbSizeFit.at(p[0][i] - d.startTime) / TableSummary.MB;
            }
            Map<String, Object> c = chart("chart-db-size", "Database size", "MB", null, p[0],
                    "pg_database_size at each sample, with its least-squares line (dashed).",
                    series("database", BROWN, "y", mb, 3, false), series("fitted", "#e599f7", "y", fit, 3, true));
            limit.ifPresent(l -> hline(c, l / TableSummary.MB, "y", "disk limit"));
            charts.add(c);
        }
        double end = d.complete() ? d.endTime : d.lastTime;
        for (Map<String, Object> c : charts) span((List<List<Double>>) c.get("data"), d.startTime, end);
        return charts;
    }

    /** Every chart spans the whole run, from run.start to run.end, so that they line up and the warm-up and the drain show. */
    private static void span(List<List<Double>> data, double from, double to) {
        List<Double> xs = data.get(0);
        if (xs.isEmpty() || xs.get(0) > from) {
            xs.add(0, Math.floor(from * 1000) / 1000);
            for (int i = 1; i < data.size(); i++) data.get(i).add(0, null);
        }
        if (xs.get(xs.size() - 1) < to) {
            xs.add(Math.ceil(to * 1000) / 1000);
            for (int i = 1; i < data.size(); i++) data.get(i).add(null);
        }
    }

    @SafeVarargs
    static Map<String, Object> chart(String id, String title, String y, String y2, double[] xs, String explain, Map<String, Object>... series) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("title", title);
        c.put("explain", explain);
        c.put("y", y);
        if (y2 != null) c.put("y2", y2);
        List<Object> data = new ArrayList<>();
        data.add(values(xs, 3));
        List<Map<String, Object>> list = new ArrayList<>();
        for (Map<String, Object> s : series) {
            data.add(s.remove("values"));
            list.add(s);
        }
        c.put("series", list);
        c.put("data", data);
        c.put("hlines", new ArrayList<>());
        return c;
    }

    static Map<String, Object> series(String label, String color, String scale, double[] v, int decimals, boolean dashed) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("label", label);
        s.put("color", color);
        s.put("scale", scale);
        if (dashed) s.put("dash", true);
        s.put("values", values(v, decimals));
        return s;
    }

    @SuppressWarnings("unchecked")
    private static void hline(Map<String, Object> chart, double value, String scale, String label) {
        ((List<Object>) chart.get("hlines")).add(Map.of("value", value, "scale", scale, "label", label));
    }

    /** NaN and infinities are gaps (null); the rest rounded, to keep the page small. */
    private static List<Double> values(double[] v, int decimals) {
        List<Double> out = new ArrayList<>(v.length);
        double p = Math.pow(10, decimals);
        for (double x : v) out.add(Double.isNaN(x) || Double.isInfinite(x) ? null : Math.round(x * p) / p);
        return out;
    }

    private static List<Map<String, Object>> markers(RunData d) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RunData.Marker m : d.markers) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("t", m.time());
            r.put("label", m.criterion() + " " + m.state());
            r.put("state", m.state());
            out.add(r);
        }
        return out;
    }

    /** Warm-up, stages and ramps from the scenario as run.start records it, and the drain after the last due event. */
    static List<Map<String, Object>> phases(RunData d) {
        List<Map<String, Object>> out = new ArrayList<>();
        double end = d.complete() ? d.endTime : d.lastTime;
        if (!Double.isNaN(d.warmupFrom)) phase(out, d.warmupFrom, d.warmupTo, "warm-up", "warmup");
        if (!Double.isNaN(d.clockStart)) {
            JsonNode cfg = d.start.path("config");
            double duration = seconds(cfg.path("duration").asText(), Double.NaN);
            Map<String, List<String>> spans = new LinkedHashMap<>(); // "kind|from|to|label" -> emitters
            for (JsonNode e : cfg.path("emitters")) {
                JsonNode s = e.path("schedule");
                double from = seconds(s.path("start_after").asText("0s"), 0);
                double to = s.has("stop_after") ? seconds(s.path("stop_after").asText(), duration) : duration;
                if (!Double.isNaN(duration)) to = Math.min(to, duration);
                String name = e.path("name").asText();
                if (e.has("stages")) {
                    double at = from;
                    int i = 1;
                    for (JsonNode st : e.path("stages")) {
                        double len = seconds(st.path("duration").asText(), 0);
                        span(spans, "stage", at, Double.isNaN(to) ? at + len : Math.min(at + len, to),
                                "stage " + i + " → " + trim(st.path("rate").asDouble()) + "/s", name);
                        at += len;
                        i++;
                    }
                } else {
                    double up = seconds(s.path("ramp_up").asText("0s"), 0), down = seconds(s.path("ramp_down").asText("0s"), 0);
                    if (up > 0) span(spans, "ramp", from, Double.isNaN(to) ? from + up : Math.min(from + up, to), "ramp-up", name);
                    if (down > 0 && !Double.isNaN(to)) span(spans, "ramp", Math.max(from, to - down), to, "ramp-down", name);
                }
            }
            for (Map.Entry<String, List<String>> sp : spans.entrySet()) {
                if (out.size() >= 40) break;
                String[] k = sp.getKey().split("\\|", 4);
                List<String> who = sp.getValue();
                String label = k[3] + " " + (who.size() <= 2 ? String.join(", ", who) : who.size() + " emitters");
                double a = d.clockStart + Double.parseDouble(k[1]), b = d.clockStart + Double.parseDouble(k[2]);
                if (a < end) phase(out, a, Math.min(b, end), label, k[0]);
            }
        }
        for (RunData.Gap g : d.gaps) phase(out, g.from(), g.to(), "runner down: " + g.missed() + " event(s) missed", "gap");
        if (!Double.isNaN(d.lastDueTime) && end - d.lastDueTime > 0.2) phase(out, d.lastDueTime, end, "drain and final checks", "drain");
        return out;
    }

    private static void span(Map<String, List<String>> spans, String kind, double from, double to, String label, String emitter) {
        if (to <= from) return;
        spans.computeIfAbsent(kind + "|" + from + "|" + to + "|" + label, k -> new ArrayList<>()).add(emitter);
    }

    private static void phase(List<Map<String, Object>> out, double from, double to, String label, String kind) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("from", from);
        p.put("to", to);
        p.put("label", label);
        p.put("kind", kind);
        out.add(p);
    }

    private static double seconds(String text, double dflt) {
        return Durations.parse(text).map(Durations::seconds).orElse(dflt);
    }

    private static String trim(double v) {
        return io.longrun.scenario.Num.text(v);
    }

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
