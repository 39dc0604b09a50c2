package io.longrun.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.longrun.run.BadInput;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The database growth report of one run, built from its run log in one streaming pass:
 * <ul>
 *   <li>{@code report.html}: one self-contained page (uPlot inlined) with the run's facts, the growth table and charts;</li>
 *   <li>{@code summary.json}: {@code {"run": {...}, "tables": {"<table>": {rows_start, rows_end, rows_per_min, mb_per_hour,
 *       r2, ratio_to_accepted_eps, projection_6h_rows, projection_24h_rows, verdict, reason}}}} for scripts;</li>
 *   <li>{@code summary.md}: the growth table in Markdown, for a CI job summary;</li>
 *   <li>{@code samples.csv}: every DB sample, one row per table.</li>
 * </ul>
 */
public final class Report {
    public static final String HTML = "report.html", SUMMARY_JSON = "summary.json", SUMMARY_MD = "summary.md", SAMPLES_CSV = "samples.csv";
    static final String NO_END = "run log ends without run.end (killed?)";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What was written, and what the report noticed. */
    public record Result(Path html, Path summaryJson, Path summaryMd, Path samplesCsv, List<String> notes, List<String> tableLines) {}

    private Report() {}

    /**
     * Builds the report of {@code runLog} into {@code outDir} (created when missing). {@code diskLimitBytes}: the disk
     * the database may fill; without it, a db_size_growth criterion's limit_mb when the scenario has one.
     *
     * @throws BadInput the file is missing, unreadable or not a run log, or the folder cannot be written
     */
    public static Result write(Path runLog, Path outDir, OptionalLong diskLimitBytes) throws BadInput, IOException {
        return write(runLog, outDir, diskLimitBytes, null, List.of());
    }

    /**
     * The same, with charts of {@code fields} (dotted paths into the sent events' JSON) read from {@code recording}, the
     * run's {@code --record} file.
     */
    public static Result write(Path runLog, Path outDir, OptionalLong diskLimitBytes, Path recording, List<String> fields) throws BadInput, IOException {
        RunLogReader.check(runLog);
        List<Map<String, Object>> fieldCharts = recording == null || fields.isEmpty() ? List.of() : FieldSeries.charts(recording, fields);
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new BadInput(outDir + ": cannot create the report folder: " + e.getMessage());
        }
        if (!Files.isWritable(outDir)) throw new BadInput(outDir + ": the report folder is not writable");
        Path csv = outDir.resolve(SAMPLES_CSV);
        RunData d;
        try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            d = RunLogReader.read(runLog, w);
        }
        d.fieldCharts.addAll(fieldCharts);
        List<Expectation> expectations = Expectation.of(d.start);
        OptionalLong limit = diskLimitBytes;
        String limitSource = limit.isPresent() ? "--disk-limit" : null;
        if (limit.isEmpty()) {
            for (JsonNode r : d.start.path("config").path("stop_when"))
                if (r.path("kind").asText().equals("db_size_growth") && r.path("params").has("limit_mb")) {
                    limit = OptionalLong.of(Math.round(r.path("params").path("limit_mb").asDouble() * TableSummary.MB));
                    limitSource = r.path("name").asText("db_size_growth") + "'s limit_mb";
                    break;
                }
        }
        Map<String, TableSummary> tables = new LinkedHashMap<>();
        for (String name : tableOrder(d)) tables.put(name, TableSummary.of(d.tables.get(name), expectations, limit, d));
        List<String> notes = notes(d, expectations);

        OptionalLong diskLimit = limit;
        Map<String, Object> run = run(d, notes, limit, limitSource);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("run", run);
        Map<String, Object> t = new LinkedHashMap<>();
        tables.forEach((name, s) -> t.put(name, tableJson(s, diskLimit.isPresent())));
        summary.put("tables", t);
        Map<String, Object> experiment = ExperimentSection.summary(d);
        if (experiment != null) summary.put("experiment", experiment);
        Path json = outDir.resolve(SUMMARY_JSON);
        JSON.writeValue(json.toFile(), summary);
        Path md = outDir.resolve(SUMMARY_MD);
        Files.writeString(md, markdown(d, run, tables, notes) + ExperimentSection.markdown(experiment), StandardCharsets.UTF_8);
        Path html = outDir.resolve(HTML);
        Files.writeString(html, HtmlReport.page(d, run, tables, notes, expectations, limit, experiment), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        tables.values().forEach(s -> lines.add(s.table() + ": " + s.verdict() + ". " + s.reason()));
        return new Result(html, json, md, csv, notes, lines);
    }

    /** The watched tables in the scenario's order, then any other the log has samples of. */
    private static List<String> tableOrder(RunData d) {
        List<String> order = new ArrayList<>();
        for (JsonNode t : d.start.path("config").path("database").path("tables")) {
            String name = t.isTextual() ? t.asText() : t.path("name").asText(); // a name, or {name, count, key} since the statistics watcher
            if (d.tables.containsKey(name) && !order.contains(name)) order.add(name);
        }
        for (String t : d.tables.keySet()) if (!order.contains(t)) order.add(t);
        return order;
    }

    private static List<String> notes(RunData d, List<Expectation> expectations) {
        List<String> notes = new ArrayList<>();
        if (!d.complete()) notes.add(NO_END + (d.lastLineMalformed ? "; its last line is cut mid-record" : "")
                + "; the report covers it up to " + utc(d.lastTime));
        long midFile = d.malformed - (d.lastLineMalformed ? 1 : 0);
        if (midFile > 0) notes.add(midFile + " line(s) are not run log records and were skipped (the first: line " + d.firstMalformedLine + ")");
        if (d.ticksSeen == 0) notes.add("no tick records: nothing about the traffic to draw");
        if (d.end != null) for (JsonNode n : d.end.path("notes")) notes.add(n.asText()); // a merged run's: a shard that died
        for (RunData.Gap g : d.gaps)
            notes.add(String.format(java.util.Locale.ROOT, "the runner died and the run was resumed: nothing ran from %s to %s (%.0f s); %d event(s) "
                    + "fell due or went unconfirmed meanwhile and count as missed", utc(g.from()), utc(g.to()), g.to() - g.from(), g.missed()));
        if (d.tables.isEmpty()) notes.add(d.start.path("config").has("database") ? "no database samples in the run log"
                : "no database samples: the scenario watches no database");
        if (d.dbErrors > 0) notes.add(d.dbErrors + " database sample(s) failed; the first: " + d.firstDbError);
        for (Expectation e : expectations)
            if (!d.tables.containsKey(e.table())) notes.add(e.criterion() + " names table " + e.table() + ", which has no samples in the run log");
        if (d.markersLeftOut > 0) notes.add(d.markersLeftOut + " more alert(s) are in the run log than are drawn here (" + RunData.MARKERS + ")");
        return notes;
    }

    private static Map<String, Object> run(RunData d, List<String> notes, OptionalLong limit, String limitSource) {
        JsonNode s = d.start, e = d.end;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", s.path("scenario").asText(null));
        m.put("run_id", s.path("run_id").asText(null));
        m.put("scenario_id", s.path("scenario_id").asText(null));
        m.put("seed", s.has("seed") ? s.get("seed").asLong() : null);
        m.put("start", utc(d.startTime));
        double end = d.complete() ? d.endTime : d.lastTime;
        m.put("end", utc(end));
        m.put("duration_s", round(end - d.startTime, 3));
        m.put("complete", d.complete());
        m.put("verdict", e != null ? e.path("verdict").asText() : "unknown (no run.end)");
        m.put("exit_code", e != null && e.has("exit_code") ? e.get("exit_code").asInt() : null);
        m.put("stopped_by", e != null && e.hasNonNull("stopped_by") ? e.get("stopped_by").asText() : e != null && e.has("error")
                ? e.get("error").asText() : null);
        Map<String, Object> totals = new LinkedHashMap<>();
        String[] keys = {"planned", "sent", "accepted", "rejected", "failed", "dropped"};
        for (int i = 0; i < keys.length; i++)
            totals.put(keys[i], e != null && e.path("totals").has(keys[i]) ? e.path("totals").get(keys[i]).asLong() : d.totals[i]);
        if (e != null && e.path("totals").has("missed")) totals.put("missed", e.path("totals").get("missed").asLong());
        m.put("totals", totals);
        if (e != null && e.has("latency_ms")) m.put("latency_ms", e.get("latency_ms"));
        if (s.has("shards")) m.put("shards", s.get("shards"));
        // stream faults: what they did (run.end's chaos figures), and the ledger assertion's findings
        if (e != null && e.has("chaos")) m.put("chaos", e.get("chaos"));
        if (d.ledger != null) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("passed", d.ledger.path("passed").asBoolean());
            l.put("observed", d.ledger.path("observed").asText());
            l.put("expected", d.ledger.path("expected").asText());
            m.put("ledger", l);
        }
        double active = e != null && e.has("elapsed_s") ? e.get("elapsed_s").asDouble()
                : Double.isNaN(d.clockStart) ? Double.NaN : d.lastTime - d.clockStart;
        m.put("accepted_eps", active > 0 ? round((Long) totals.get("accepted") / active, 3) : null);
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("checks", d.healthChecks);
        health.put("failures", d.healthFailures);
        m.put("health", health);
        m.put("alerts", d.markers.size() + d.markersLeftOut);
        List<String> fired = new ArrayList<>();
        d.criteria.forEach((name, c) -> {
            if (c.firings > 0) fired.add(name);
        });
        m.put("criteria_fired", fired);
        m.put("db_size_start_bytes", Double.isNaN(d.dbSizeFirst) ? null : (long) d.dbSizeFirst);
        m.put("db_size_end_bytes", Double.isNaN(d.dbSizeLast) ? null : (long) d.dbSizeLast);
        m.put("db_mb_per_hour", d.dbSizeFit.defined() ? round(d.dbSizeFit.slope() * 3600 / TableSummary.MB, 3) : null);
        m.put("db_size_r2", d.dbSizeFit.defined() ? round(d.dbSizeFit.r2(), 4) : null);
        if (limit.isPresent()) {
            m.put("disk_limit_bytes", limit.getAsLong());
            m.put("disk_limit_source", limitSource);
            double eta = dbLimitEta(d, limit.getAsLong());
            m.put("db_size_limit_eta", Double.isNaN(eta) ? null : utc(eta));
            m.put("db_size_limit_hours", Double.isNaN(eta) ? null : round((eta - d.dbSizeLastTime) / 3600, 2));
        }
        m.put("notes", notes);
        return m;
    }

    /** When the database reaches {@code limit} at its fitted growth from the last sample; the last sample's time when it is there already; NaN when it does not grow. */
    static double dbLimitEta(RunData d, long limit) {
        if (Double.isNaN(d.dbSizeLast)) return Double.NaN;
        double left = limit - d.dbSizeLast;
        if (left <= 0) return d.dbSizeLastTime;
        double bps = d.dbSizeFit.defined() ? d.dbSizeFit.slope() : 0;
        return bps > 0 ? d.dbSizeLastTime + left / bps : Double.NaN;
    }

    private static Map<String, Object> tableJson(TableSummary s, boolean limit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows_start", s.rowsStart());
        m.put("rows_end", s.rowsEnd());
        // how each end was counted: exact, keyset, or stats (an estimate, when the count there failed)
        m.put("rows_start_method", s.startMethod());
        m.put("rows_end_method", s.endMethod());
        m.put("rows_estimated", s.estimated()); // the fitted figures rest on estimates from the statistics
        m.put("rows_per_min", round(s.rowsPerMin(), 3));
        m.put("mb_per_hour", round(s.mbPerHour(), 4));
        m.put("r2", round(s.r2(), 4));
        m.put("ratio_to_accepted_eps", round(s.ratio(), 4));
        m.put("projection_6h_rows", s.projection6h());
        m.put("projection_24h_rows", s.projection24h());
        if (limit) {
            m.put("projection_disk_limit_at", s.diskLimitAt());
            m.put("projection_disk_limit_rows", s.diskLimitRows());
        }
        m.put("verdict", s.verdict());
        m.put("reason", s.reason());
        return m;
    }

    private static String markdown(RunData d, Map<String, Object> run, Map<String, TableSummary> tables, List<String> notes) {
        StringBuilder b = new StringBuilder();
        b.append("### longrun: ").append(md(String.valueOf(run.get("scenario")))).append(" (").append(md(String.valueOf(run.get("run_id"))))
                .append(")\n\n");
        Object exit = run.get("exit_code");
        b.append(String.format(Locale.ROOT, "%s, exit %s, %s to %s (%s s); %s events accepted (%s/s)%n%n", md(String.valueOf(run.get("verdict"))),
                exit == null ? "unknown" : exit, run.get("start"), run.get("end"), run.get("duration_s"),
                TableSummary.n((Long) ((Map<?, ?>) run.get("totals")).get("accepted")), run.get("accepted_eps")));
        for (String n : notes) b.append("> ").append(md(n)).append("\n");
        if (!notes.isEmpty()) b.append('\n');
        if (tables.isEmpty()) {
            b.append("No database samples.\n");
            return b.toString();
        }
        b.append("| table | rows start | rows end | rows/min | MB/h | R² | rows per accepted event | 6 h | 24 h | verdict | reason |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (TableSummary s : tables.values())
            b.append("| ").append(md(s.table())).append(" | ").append(s.rowsStartText()).append(" | ").append(s.rowsEndText())
                    .append(" | ").append(s.fitted(s.rowsPerMin(), 1)).append(" | ").append(opt(s.mbPerHour(), 2)).append(" | ").append(s.fitted(s.r2(), 3))
                    .append(" | ").append(s.ratioText()).append(" | ").append(s.fitted(s.projection6h())).append(" | ")
                    .append(s.fitted(s.projection24h())).append(" | ").append(s.expected() ? "expected" : "**unexpected**").append(" | ")
                    .append(md(s.reason())).append(" |\n");
        if (tables.values().stream().anyMatch(TableSummary::marked))
            b.append("\n").append(TableSummary.ESTIMATE).append(" ").append(TableSummary.ESTIMATES).append("\n");
        if (run.containsKey("disk_limit_bytes")) {
            Object eta = run.get("db_size_limit_eta");
            b.append(String.format(Locale.ROOT, "%nDisk limit %s (%s): %s%n", ByteSize.format(((Number) run.get("disk_limit_bytes")).doubleValue()),
                    md(String.valueOf(run.get("disk_limit_source"))), eta == null ? "not reached: the database does not grow"
                            : "reached at " + eta + " (" + run.get("db_size_limit_hours") + " h after the last sample)"));
        }
        return b.toString();
    }

    private static String opt(Double v, int decimals) {
        return v == null ? "–" : TableSummary.f(v, decimals);
    }

    private static String md(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    /** Seconds since the epoch as UTC, to the millisecond. */
    static String utc(double epochSeconds) {
        if (Double.isNaN(epochSeconds) || Double.isInfinite(epochSeconds) || Math.abs(epochSeconds) > 3e11) return null;
        long ms = Math.round(epochSeconds * 1000);
        return Instant.ofEpochMilli(ms).truncatedTo(ChronoUnit.MILLIS).toString();
    }

    static Double round(Double v, int decimals) {
        if (v == null || v.isNaN() || v.isInfinite()) return null;
        double p = Math.pow(10, decimals);
        return Math.round(v * p) / p;
    }
}
