package io.longrun.report;

import static io.longrun.report.HtmlReport.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.longrun.scenario.Durations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The report's charts as data for report.js: one chart per series group over the whole run (rate, latency,
 * outcomes, tables, health...), with the markers (alerts, faults) and the phases (warm-up, stages, ramps, drain)
 * drawn on every chart.
 */
final class ReportCharts {
    private ReportCharts() {}

    static List<Map<String, Object>> charts(RunData d, Map<String, TableSummary> tables, OptionalLong limit) {
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

    static List<Map<String, Object>> markers(RunData d) {
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
}
