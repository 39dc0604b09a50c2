package io.longrun.experiment;

import io.longrun.deliver.Histograms;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.longrun.deliver.Outcomes;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.HdrHistogram.Histogram;

/**
 * Writes the run log of a three-phase experiment by hand, in the records of the shared contract: stabilize 0–30 s,
 * fault 30–60 s (latency 200 ms on proxy db, confirmed on at 30.2 s, off at 60.1 s), recover 60–120 s; a 1 s tick at
 * 100 events/s planned; table events sampled every 5 s, one row per accepted event. Times: the run starts at T0, the
 * schedule's clock 1 s later (elapsed_s = run time - 1).
 */
public final class ExperimentFixture {
    public static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the fixture's ticks carry at elapsed second t. */
    public record Shape(DoubleUnaryOperator p95Ms, DoubleUnaryOperator errors, long faultBytes, boolean verdictRecord) {
        public static Shape recovered() {
            return new Shape(t -> t > 31 && t <= 65 ? 240 : 40, t -> 0, 4096, false);
        }
    }

    private final BufferedWriter out;

    private ExperimentFixture(BufferedWriter out) {
        this.out = out;
    }

    static String at(double runSeconds) {
        return T0.plusNanos(Math.round(runSeconds * 1e9)).toString();
    }

    private void record(String type, double runSeconds, Map<String, ?> fields) throws IOException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("type", type);
        r.put("time", at(runSeconds));
        r.putAll(fields);
        out.write(JSON.writeValueAsString(r));
        out.write('\n');
    }

    public static void write(Path file, Shape shape) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            new ExperimentFixture(w).all(shape);
        }
        // the verdict, judged from the log so far, as the run writes it before run.end
        Map<String, Object> verdict = shape.verdictRecord() ? VerdictRecord.judge(file).orElseThrow().record() : null;
        try (BufferedWriter w = Files.newBufferedWriter(file, java.nio.file.StandardOpenOption.APPEND)) {
            new ExperimentFixture(w).end(verdict);
        }
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private void all(Shape shape) throws IOException {
        Map<String, Object> config = map("name", "exp", "duration", "2m", "tick", "1s",
                "target", map("url", "http://127.0.0.1:8000/event", "timeout", "5s", "max_in_flight", 64),
                "database", map("url", "jdbc:postgresql://127.0.0.1:5432/agingos", "tables", List.of("events")),
                "emitters", List.of(map("name", "motion", "format", "agingos-event", "rate", 100.0, "arrivals", "uniform")),
                "watch", map("health_every", "2s", "db_every", "5s"), "stop_when", List.of());
        record("run.start", 0, map("scenario", "exp", "run_id", "exp-20260105T100000Z", "scenario_id", "exp-20260105T100000Z", "seed", 7,
                "config", config));
        Map<String, Object> fault = map("kind", "latency", "proxy", "db", "stream", "downstream", "params", map("ms", 200), "desc", "latency 200 ms on db");
        record("experiment", 0.5, map("phases", List.of(
                        map("name", "stabilize", "index", 0, "start_s", 0, "end_s", 30, "baseline", true, "faults", List.of(), "asserts", List.of()),
                        map("name", "fault", "index", 1, "start_s", 30, "end_s", 60, "baseline", false, "faults", List.of(fault), "asserts", List.of()),
                        map("name", "recover", "index", 2, "start_s", 60, "end_s", 120, "baseline", false, "faults", List.of(), "asserts", List.of())),
                "recovery", map("signals", List.of("error_rate", "p95", "throughput", "ingest"), "tolerance_pct", 25, "hold_s", 10),
                "engine", "embedded proxy"));
        record("phase.start", 1, map("phase", "stabilize", "index", 0, "elapsed_s", 0.0));
        long rows = 0;
        for (int t = 1; t <= 120; t++) {
            if (t == 31) {
                record("phase.end", 31, map("phase", "stabilize", "index", 0, "elapsed_s", 30.0, "cut", false));
                record("phase.start", 31, map("phase", "fault", "index", 1, "elapsed_s", 30.0));
                record("fault.on", 31.2, map("phase", "fault", "kind", "latency", "proxy", "db", "stream", "downstream", "params", map("ms", 200),
                        "desc", "latency 200 ms on db", "elapsed_s", 30.2, "took_ms", 3));
            }
            if (t == 61) {
                record("fault.off", 61.1, map("phase", "fault", "kind", "latency", "proxy", "db", "desc", "latency 200 ms on db", "elapsed_s", 60.1,
                        "took_ms", 2, "reason", "phase_end", "bytes", map("up", shape.faultBytes(), "down", shape.faultBytes())));
                record("phase.end", 61.1, map("phase", "fault", "index", 1, "elapsed_s", 60.1, "cut", false));
                record("phase.start", 61.1, map("phase", "recover", "index", 2, "elapsed_s", 60.1));
            }
            long errors = Math.round(shape.errors().applyAsDouble(t));
            double p95 = shape.p95Ms().applyAsDouble(t);
            Histogram h = Histograms.empty();
            h.recordValueWithCount(Math.round(p95 * 500), 94); // half the p95
            h.recordValueWithCount(Math.round(p95 * 1000), 6);
            String hist = Histograms.encode(h);
            record("tick", t + 1, map("elapsed_s", (double) t, "emitter", "motion", "planned", 100, "sent", 100, "accepted", 100 - errors,
                    "rejected", 0, "failed", errors, "dropped", 0, "eff_eps", 100.0, "p50", p95 / 2, "p95", p95, "p99", p95,
                    "service_p50", p95 / 2, "service_p95", p95, "service_p99", p95, "hist", map("intended", hist, "service", hist)));
            rows += 100 - errors;
            if (t % 5 == 0) record("db", t + 1.2, map("table", "events", "rows", rows, "bytes", 8192 + rows * 100, "db_bytes", 100L << 20, "method", "exact"));
        }
        record("phase.end", 121, map("phase", "recover", "index", 2, "elapsed_s", 120.0, "cut", false));
    }

    private void end(Map<String, Object> verdict) throws IOException {
        if (verdict != null) record("experiment.verdict", 121.5, verdict);
        record("run.end", 122, map("verdict", "completed", "exit_code", 0, "elapsed_s", 121.0,
                "totals", map("planned", 12000, "sent", 12000, "accepted", 12000, "rejected", 0, "failed", 0, "dropped", 0)));
    }
}
