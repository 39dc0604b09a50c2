package io.longrun.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.scenario.Experiment.Recovery;
import io.longrun.scenario.Experiment.Signal;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * A fault experiment as its run log tells it, gathered one record at a time: the plan ({@code experiment}), the
 * phases' actual times ({@code phase.start}, {@code phase.end}), the faults ({@code fault.on}, {@code fault.off},
 * {@code fault.error}), the ticks (all emitters summed) and the rows ingested ({@code db}). Judging from the run log
 * means that {@code longrun report} gives the verdict of any run, a resumed one too.
 *
 * <p>Per tick it keeps a few numbers only; histograms are merged per phase, so memory does not grow with a tick's
 * latencies.
 */
public final class ExperimentLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonNode plan, verdict;
    private final Map<Integer, Double> actualStart = new HashMap<>(), actualEnd = new HashMap<>();
    private final Map<Integer, Boolean> cut = new HashMap<>();
    private final List<Fault> faults = new ArrayList<>();
    private final Ticks ticks = new Ticks();
    private final Ingest ingest = new Ingest();
    private final List<PhaseFigures> figures = new ArrayList<>();

    /** A fault being gathered. */
    private static final class Fault {
        int phase;
        String kind, proxy, desc, error;
        double on = Double.NaN, off = Double.NaN;
        Long up, down, before;

        FaultSpan span() {
            return new FaultSpan(kind, proxy, desc, on, off, up, down, error, before);
        }
    }

    /** Reads a whole run log; lines that are not records are skipped (the report says so). */
    public static ExperimentLog read(Path file) throws IOException {
        ExperimentLog x = new ExperimentLog();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) continue;
                JsonNode r;
                try {
                    r = JSON.readTree(line);
                } catch (IOException e) {
                    continue;
                }
                if (r != null && r.isObject()) x.accept(r);
            }
        }
        return x;
    }

    /** One record of the run log, in order. */
    public void accept(JsonNode r) {
        String type = r.path("type").asText("");
        double time = time(r);
        double elapsed = r.path("elapsed_s").asDouble(Double.NaN);
        if (!type.equals("tick") || elapsed != ticks.groupElapsed()) ticks.close(this);
        switch (type) {
            case "experiment" -> {
                plan = r;
                while (figures.size() < plan.path("phases").size()) figures.add(new PhaseFigures());
            }
            case "phase.start" -> actualStart.put(r.path("index").asInt(), elapsed);
            case "phase.end" -> {
                actualEnd.put(r.path("index").asInt(), elapsed);
                cut.put(r.path("index").asInt(), r.path("cut").asBoolean(false));
            }
            case "fault.on" -> {
                Fault f = new Fault();
                f.phase = phaseIndex(r.path("phase").asText());
                f.kind = r.path("kind").asText("?");
                f.proxy = r.path("proxy").asText("?");
                f.desc = r.path("desc").asText(f.kind + " on " + f.proxy);
                f.on = elapsed;
                faults.add(f);
            }
            case "fault.off" -> {
                Fault f = open(phaseIndex(r.path("phase").asText()), r.path("desc").asText(null));
                if (f == null) return;
                f.off = elapsed;
                JsonNode b = r.path("bytes");
                if (b.isObject()) {
                    f.up = b.path("up").asLong(0);
                    f.down = b.path("down").asLong(0);
                }
                JsonNode before = r.path("bytes_before");
                if (before.isObject()) f.before = before.path("up").asLong(0) + before.path("down").asLong(0);
            }
            case "fault.error" -> {
                int phase = phaseIndex(r.path("phase").asText());
                Fault f = open(phase, r.path("desc").asText(null));
                if (f == null) {
                    f = new Fault();
                    f.phase = phase;
                    f.desc = r.path("desc").asText("?");
                    f.kind = f.desc.split(" ")[0];
                    f.proxy = "?";
                    faults.add(f);
                }
                if (f.error == null) f.error = r.path("error").asText("");
            }
            case "tick" -> {
                if (plan != null) ticks.add(r, time, elapsed);
            }
            case "db" -> ingest.add(r, time);
            case "run.resume" -> ticks.resume(elapsed);
            case "experiment.verdict" -> verdict = r;
            default -> { }
        }
    }

    /** The last fault of that phase with that description that is on and not yet off. */
    private Fault open(int phase, String desc) {
        for (int i = faults.size() - 1; i >= 0; i--) {
            Fault f = faults.get(i);
            if (f.phase == phase && Double.isNaN(f.off) && !Double.isNaN(f.on) && (desc == null || desc.equals(f.desc))) return f;
        }
        return null;
    }

    private int phaseIndex(String name) {
        if (plan == null) return -1;
        JsonNode ps = plan.path("phases");
        for (int i = 0; i < ps.size(); i++) if (ps.get(i).path("name").asText().equals(name)) return i;
        return -1;
    }

    static double time(JsonNode r) {
        try {
            Instant i = Instant.parse(r.path("time").asText(""));
            return i.getEpochSecond() + i.getNano() / 1e9;
        } catch (java.time.format.DateTimeParseException e) {
            return Double.NaN;
        }
    }

    /** Whether the log is an experiment's (it has an {@code experiment} record). */
    public boolean present() {
        return plan != null && plan.path("phases").size() > 0;
    }

    /** Whether a phase ever began (a dry run writes the plan and nothing else). */
    public boolean started() {
        return !actualStart.isEmpty() || !Double.isNaN(ticks.lastElapsed());
    }

    /** The {@code experiment} record: the plan. */
    public JsonNode plan() {
        return plan;
    }

    /** The {@code experiment.verdict} record, when the run wrote one. */
    public Optional<JsonNode> verdictRecord() {
        return Optional.ofNullable(verdict);
    }

    /** How recovery is judged, from the plan (the defaults where it says nothing). */
    public Recovery recovery() {
        JsonNode r = plan == null ? null : plan.get("recovery");
        if (r == null || !r.isObject()) return Recovery.DEFAULT;
        List<Signal> signals = new ArrayList<>();
        for (JsonNode s : r.path("signals")) Signal.of(s.asText()).ifPresent(signals::add);
        if (!r.has("signals")) signals.addAll(Recovery.DEFAULT.signals());
        return new Recovery(signals, r.path("tolerance_pct").asDouble(Recovery.DEFAULT.tolerancePct()),
                Duration.ofMillis(Math.round(r.path("hold_s").asDouble(Recovery.DEFAULT.hold().toMillis() / 1000.0) * 1000)));
    }

    /** Where phase {@code i} starts: its phase.start when the log has one, else its planned start. */
    double start(int i) {
        Double a = actualStart.get(i);
        return a != null ? a : plan.path("phases").get(i).path("start_s").asDouble();
    }

    double end(int i) {
        Double a = actualEnd.get(i);
        return a != null ? a : plan.path("phases").get(i).path("end_s").asDouble();
    }

    /** The phase tick {@code mid} (its middle) falls in; -1 when outside every phase. */
    int phaseAt(double mid) {
        if (plan == null) return -1;
        int n = plan.path("phases").size(), k = -1;
        for (int i = 0; i < n; i++) if (start(i) <= mid) k = i;
        if (k == n - 1 && mid >= end(k)) return -1;
        return k;
    }

    PhaseFigures figuresOf(int phase) {
        return phase < 0 || phase >= figures.size() ? null : figures.get(phase);
    }

    /** The wall-clock time of an elapsed second (the schedule's clock), from the ticks; empty without ticks. */
    public Optional<Instant> wall(double elapsed) {
        finish();
        double w = ticks.wall(elapsed);
        return Double.isNaN(w) ? Optional.empty() : Optional.of(Instant.ofEpochMilli(Math.round(w * 1000)));
    }

    /** Closes the last tick; call after the last record. */
    public void finish() {
        ticks.close(this);
    }

    /** The phases with their actual times and faults. */
    public List<PhaseSpan> phases() {
        finish();
        List<PhaseSpan> out = new ArrayList<>();
        JsonNode ps = plan.path("phases");
        double last = ticks.lastElapsed();
        for (int i = 0; i < ps.size(); i++) {
            JsonNode p = ps.get(i);
            List<FaultSpan> fs = new ArrayList<>();
            for (Fault f : faults) if (f.phase == i) fs.add(f.span());
            boolean started = actualStart.containsKey(i) || (!Double.isNaN(last) && last > start(i));
            if (fs.isEmpty() && started)
                for (JsonNode f : p.path("faults")) // planned, but the log never says it came on
                    fs.add(new FaultSpan(f.path("kind").asText("?"), f.path("proxy").asText("?"), f.path("desc").asText("?"), Double.NaN, Double.NaN,
                            null, null, null));
            double end = end(i);
            boolean wasCut = cut.getOrDefault(i, false);
            if (!actualEnd.containsKey(i) && !Double.isNaN(last) && last < end) {
                end = Math.max(start(i), last);
                wasCut = true;
            }
            out.add(new PhaseSpan(p.path("name").asText("phase " + (i + 1)), i, start(i), end, p.path("baseline").asBoolean(i == 0), fs, wasCut));
        }
        if (out.stream().noneMatch(PhaseSpan::baseline) && !out.isEmpty()) {
            PhaseSpan f = out.get(0);
            out.set(0, new PhaseSpan(f.name(), 0, f.start(), f.end(), true, f.faults(), f.cut()));
        }
        return out;
    }

    /** The ticks as the judge reads them; ingest joined from the database samples. */
    public Series series() {
        finish();
        return ticks.series(ingest);
    }

    /** Each phase's own figures, in order; ingest is the mean of its ticks' rows/s, weighted by their length. */
    public List<PhaseFigures> figures() {
        Series s = series();
        List<PhaseSpan> ps = phases();
        for (int k = 0; k < figures.size() && k < ps.size(); k++) {
            PhaseFigures f = figures.get(k);
            f.ingestRows = f.ingestSeconds = 0;
            for (int i : Judge.ticks(s, ps.get(k).start(), ps.get(k).end()))
                if (!Double.isNaN(s.ingestEps()[i])) {
                    f.ingestRows += s.ingestEps()[i] * s.dt()[i];
                    f.ingestSeconds += s.dt()[i];
                }
        }
        return figures;
    }

    /** A tick's histogram as the log encodes it; null when absent or unreadable. */
    static Histogram decode(JsonNode hist) {
        if (hist == null || !hist.isTextual() || hist.asText().isEmpty()) return null;
        try {
            byte[] b = java.util.Base64.getDecoder().decode(hist.asText());
            return Histogram.decodeFromCompressedByteBuffer(java.nio.ByteBuffer.wrap(b), 2);
        } catch (java.util.zip.DataFormatException | RuntimeException e) {
            return null;
        }
    }

    static Map<Signal, double[]> signals(double[] err, double[] p95, double[] thr, double[] ing) {
        Map<Signal, double[]> m = new EnumMap<>(Signal.class);
        m.put(Signal.ERROR_RATE, err);
        m.put(Signal.P95, p95);
        m.put(Signal.THROUGHPUT, thr);
        m.put(Signal.INGEST, ing);
        return m;
    }
}
