package io.longrun.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.run.BadInput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;

/**
 * Reads a JSONL run log one line at a time into {@link RunData}, writing each database sample to samples.csv as
 * it goes. Nothing grows with the log's length but the CSV file.
 *
 * <p>A killed run's log is read as far as it goes: a last line cut mid-record is counted, not fatal. The first
 * line must be a run.start record, else the file is not a run log.
 */
final class RunLogReader {
    /** A line longer than this is not one of longrun's records (a run.start with a large config is far shorter). */
    static final int MAX_LINE = 8 << 20;
    /** DB samples waiting for the next tick to learn how many events were accepted by their time. */
    static final int MAX_PENDING = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunData d = new RunData();
    private final Writer csv;
    private final String file;

    // the tick being gathered: one record per emitter, all with the same elapsed_s
    private double groupElapsed = Double.NaN, groupTime, prevElapsed;
    private final double[] group = new double[14];
    private boolean groupOpen;
    // accepted events so far, at the end of the last tick, and when that tick began
    private double accCum, accPrev, accFrom = Double.NEGATIVE_INFINITY, accTo = Double.NEGATIVE_INFINITY;
    private final ArrayDeque<TableSamples.Sample> pending = new ArrayDeque<>();
    private final TableSamples samples;

    private RunLogReader(Path file, Writer csv) {
        this.file = file.toString();
        this.csv = csv;
        this.samples = new TableSamples(d, csv);
    }

    /** Checks that the file is a run log: its first line is a run.start record. */
    static void check(Path file) throws BadInput {
        if (!Files.exists(file)) throw new BadInput(file + ": no such file");
        if (Files.isDirectory(file)) throw new BadInput(file + ": a folder, not a run log (give its run.jsonl)");
        if (!Files.isReadable(file)) throw new BadInput(file + ": not readable");
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = new Lines(in).next();
            if (first == null) throw new BadInput(file + ": empty, not a run log");
            JsonNode r = parse(first);
            if (r == null || !"run.start".equals(r.path("type").asText()))
                throw new BadInput(file + ": not a longrun run log (line 1 is not a run.start record)");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadInput(file + ": not a longrun run log (not UTF-8 text)");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BadInput(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Reads the whole log; each DB sample goes to {@code csv} (header included). */
    static RunData read(Path file, Writer csv) throws BadInput, IOException {
        check(file);
        RunLogReader r = new RunLogReader(file, csv);
        csv.write("time,elapsed_s,table,rows,bytes,db_bytes,accepted_events,method\n");
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Lines lines = new Lines(in);
            String line;
            while ((line = lines.next()) != null) r.line(line);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadInput(file + ": not a longrun run log (not UTF-8 text)");
        }
        r.finish();
        return r.d;
    }

    /**
     * Lines from a reader, without their ends, scanned in blocks (a read() per character costs more than the JSON).
     * A line longer than MAX_LINE comes back as "" (malformed), its rest skipped: a file with no line ends is never
     * held whole.
     */
    static final class Lines {
        private final java.io.Reader in;
        private final char[] buf = new char[1 << 16];
        private int pos, len;
        private boolean eof;

        Lines(java.io.Reader in) {
            this.in = in;
        }

        String next() throws IOException {
            StringBuilder b = null;
            boolean tooLong = false;
            while (true) {
                if (pos == len) {
                    if (eof || (len = in.read(buf, 0, buf.length)) < 0) {
                        eof = true;
                        len = pos = 0;
                        if (b == null && !tooLong) return null;
                        return tooLong ? "" : strip(b);
                    }
                    pos = 0;
                }
                int start = pos;
                while (pos < len && buf[pos] != '\n') pos++;
                if (!tooLong) {
                    if (b == null && pos < len) { // the whole line is in the buffer
                        String line = new String(buf, start, pos - start);
                        pos++;
                        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
                    }
                    if (b == null) b = new StringBuilder(Math.max(256, pos - start));
                    b.append(buf, start, pos - start);
                    if (b.length() > MAX_LINE) {
                        tooLong = true;
                        b = null;
                    }
                }
                if (pos < len) {
                    pos++;
                    return tooLong ? "" : strip(b);
                }
            }
        }
    }

    private static String strip(StringBuilder b) {
        if (b == null) return "";
        int n = b.length();
        if (n > 0 && b.charAt(n - 1) == '\r') b.setLength(n - 1);
        return b.toString();
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            return n != null && n.isObject() && n.hasNonNull("type") ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void line(String line) throws IOException {
        d.lines++;
        if (line.isBlank()) return;
        JsonNode r = parse(line);
        double t = r == null ? Double.NaN : time(r);
        if (r == null || Double.isNaN(t)) {
            d.malformed++;
            if (d.firstMalformedLine == 0) d.firstMalformedLine = d.lines;
            d.lastLineMalformed = true;
            return;
        }
        d.lastLineMalformed = false;
        d.records++;
        String type = r.get("type").asText();
        if (!type.equals("tick") || r.path("elapsed_s").asDouble(Double.NaN) != groupElapsed) closeGroup();
        if (d.records == 1) start(r, t);
        d.experiment.accept(r);
        if (type.equals("run.resume")) resume(r, t);
        if (t > d.lastTime || Double.isNaN(d.lastTime)) d.lastTime = t;
        switch (type) {
            case "tick" -> tick(r, t);
            case "db" -> db(r, t);
            case "health" -> health(r, t);
            case "alert" -> alert(r, t);
            case "warmup" -> {
                if (Double.isNaN(d.warmupFrom)) { // a resumed segment's warm-up falls in its gap
                    d.warmupTo = t;
                    d.warmupFrom = t - r.path("took_ms").asDouble(0) / 1000;
                }
            }
            case "warning" -> {
                if (d.warnings.size() < 20) d.warnings.add(r.path("message").asText());
                else d.warningsLeftOut++;
            }
            case "run.end" -> {
                d.end = r;
                d.endTime = t;
            }
            case "assert" -> {
                if ("ledger".equals(r.path("kind").asText())) d.ledger = r;
            }
            default -> { } // probes, logs, evaluate calls, assertions: in the run log, not in the charts
        }
    }

    /**
     * A resumed run: nothing ran from the dead runner's last record to here. The next tick counts from the resume
     * point, not from the last tick before the gap; the events read back at the resume were accepted.
     */
    private void resume(JsonNode r, double t) {
        long missed = 0, readBack = 0;
        for (JsonNode n : r.path("missed_by")) missed += n.asLong(0);
        for (JsonNode e : r.path("emitters")) readBack += e.path("read_back").asLong(0);
        JsonNode last = r.get("last_record"); // the dead runner's last record: the resumed segment wrote a few before this one
        double from = d.lastTime;
        if (last != null && last.isTextual()) {
            try {
                Instant i = Instant.parse(last.asText());
                from = i.getEpochSecond() + i.getNano() / 1e9;
            } catch (DateTimeParseException e) {
                // keep the last record seen
            }
        }
        d.gaps.add(new RunData.Gap(from, t, missed));
        // a point without values in the middle of the gap: the charts' lines break there instead of bridging it
        double mid = (from + t) / 2;
        d.ticks.add(mid, nans(14));
        d.health.add(mid, nans(3));
        d.dbSize.add(mid, nans(1));
        for (RunData.TableData td : d.tables.values()) td.series.add(mid, nans(2));
        prevElapsed = r.path("elapsed_s").asDouble(prevElapsed);
        accCum += readBack;
    }

    private static double[] nans(int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, Double.NaN);
        return v;
    }

    private static double time(JsonNode r) {
        JsonNode t = r.get("time");
        if (t == null || !t.isTextual()) return Double.NaN;
        try {
            Instant i = Instant.parse(t.asText());
            return i.getEpochSecond() + i.getNano() / 1e9;
        } catch (DateTimeParseException e) {
            return Double.NaN;
        }
    }

    private void start(JsonNode r, double t) {
        d.start = r;
        d.startTime = t;
        d.ticks = new Buckets(t, 1, RunData.POINTS, Buckets.Agg.SUM, Buckets.Agg.SUM, Buckets.Agg.SUM, Buckets.Agg.SUM, Buckets.Agg.SUM,
                Buckets.Agg.SUM, Buckets.Agg.SUM, Buckets.Agg.SUM, Buckets.Agg.MAX, Buckets.Agg.MAX, Buckets.Agg.MAX, Buckets.Agg.MAX,
                Buckets.Agg.MAX, Buckets.Agg.MAX);
        d.health = new Buckets(t, 1, RunData.POINTS, Buckets.Agg.SUM, Buckets.Agg.SUM, Buckets.Agg.MAX);
        d.dbSize = new Buckets(t, 1, RunData.POINTS, Buckets.Agg.LAST);
    }

    private static final String[] COUNTS = {"planned", "sent", "accepted", "rejected", "failed", "dropped"};
    private static final String[] PERCENTILES = {"p50", "p95", "p99", "service_p50", "service_p95", "service_p99"};

    /** One emitter's tick: added to the tick being gathered (all emitters of one tick share elapsed_s). */
    private void tick(JsonNode r, double t) {
        double elapsed = r.path("elapsed_s").asDouble(Double.NaN);
        if (Double.isNaN(elapsed)) return;
        if (!groupOpen) {
            groupOpen = true;
            groupElapsed = elapsed;
            groupTime = t;
            java.util.Arrays.fill(group, 0);
            for (int i = 8; i < 14; i++) group[i] = Double.NaN;
        }
        group[1] += r.path("eff_eps").asDouble(0);
        for (int i = 0; i < COUNTS.length; i++) group[2 + i] += r.path(COUNTS[i]).asDouble(0);
        // an emitter that completed nothing in this tick has no latency (the log says 0)
        boolean completed = r.path("accepted").asLong(0) + r.path("rejected").asLong(0) + r.path("failed").asLong(0) > 0;
        if (completed) for (int i = 0; i < PERCENTILES.length; i++) {
            double p = r.path(PERCENTILES[i]).asDouble(Double.NaN);
            if (!Double.isNaN(p)) group[8 + i] = Double.isNaN(group[8 + i]) ? p : Math.max(group[8 + i], p);
        }
    }

    private void closeGroup() throws IOException {
        if (!groupOpen) return;
        groupOpen = false;
        double dt = groupElapsed - prevElapsed;
        if (d.ticksSeen == 0) {
            dt = groupElapsed;
            d.clockStart = groupTime - groupElapsed;
        }
        prevElapsed = groupElapsed;
        d.ticksSeen++;
        if (dt <= 0) dt = Double.MIN_VALUE; // a repeated elapsed_s: counts kept, no time added
        double effEps = group[1];
        group[0] = dt;
        group[1] = effEps * dt; // events due by the schedule in this tick
        d.ticks.add(groupTime, group.clone());
        for (int i = 0; i < 6; i++) d.totals[i] += (long) group[2 + i];
        if (group[2] > 0) d.lastDueTime = groupTime;
        accPrev = accCum;
        accCum += group[4];
        accTo = groupTime;
        accFrom = groupTime - dt;
        resolve(false);
    }

    private void db(JsonNode r, double t) throws IOException {
        if (r.has("error")) {
            d.dbErrors++;
            if (d.firstDbError == null) d.firstDbError = r.path("error").asText();
            return;
        }
        if (!r.hasNonNull("table") || !r.has("rows")) return; // a table skipped before its first count has no figure
        pending.addLast(new TableSamples.Sample(r.get("time").asText(), t, r.get("table").asText(), r.path("rows").asLong(0), r.path("bytes").asLong(0),
                r.path("db_bytes").asLong(-1), r.path("method").asText("exact")));
        if (pending.size() > MAX_PENDING) {
            // no ticks for a long while: give the oldest the events accepted so far
            TableSamples.Sample s = pending.pollFirst();
            samples.add(s, accCum);
        }
        resolve(false);
    }

    /** Samples up to the last tick's end get the events accepted by their time, interpolated within that tick. */
    private void resolve(boolean all) throws IOException {
        while (!pending.isEmpty()) {
            TableSamples.Sample s = pending.peekFirst();
            double acc;
            if (s.t() <= accFrom) acc = accPrev;
            else if (s.t() <= accTo) acc = accPrev + (accCum - accPrev) * (s.t() - accFrom) / (accTo - accFrom);
            else if (all) acc = accCum;
            else return;
            pending.pollFirst();
            samples.add(s, acc);
        }
    }

    private void health(JsonNode r, double t) {
        boolean ok = r.path("ok").asBoolean(false);
        d.healthChecks++;
        if (!ok) d.healthFailures++;
        d.health.add(t, 1, ok ? 0 : 1, r.path("latency_ms").asDouble(Double.NaN));
    }

    private void alert(JsonNode r, double t) {
        String criterion = r.path("criterion").asText("?"), state = r.path("state").asText("?");
        RunData.CriterionState c = d.criteria.computeIfAbsent(criterion, k -> new RunData.CriterionState());
        c.kind = r.path("kind").asText(c.kind);
        c.severity = r.path("severity").asText(c.severity);
        c.lastState = state;
        c.lastMessage = r.path("message").asText("");
        if (state.equals("firing")) {
            c.firings++;
            if (Double.isNaN(c.firstFiring)) c.firstFiring = t;
        }
        if (d.markers.size() < RunData.MARKERS)
            d.markers.add(new RunData.Marker(t, criterion, state, r.path("severity").asText(""), r.path("message").asText("")));
        else d.markersLeftOut++;
    }

    private void finish() throws IOException {
        closeGroup();
        resolve(true);
        if (d.start == null) throw new IllegalStateException(file + ": no run.start record");
    }
}
