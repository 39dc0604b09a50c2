package io.longrun.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a run log by hand, record by record, in the run log's own shapes (see RunMonitor and RunController). */
final class FixtureLog implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;

    FixtureLog(Path file) throws IOException {
        out = Files.newBufferedWriter(file);
    }

    static String at(double seconds) {
        return T0.plusNanos(Math.round(seconds * 1e9)).toString();
    }

    FixtureLog record(String type, double t, Map<String, ?> fields) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("type", type);
        r.put("time", at(t));
        r.putAll(fields);
        try {
            out.write(JSON.writeValueAsString(r));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** run.start with a config holding the tables, the emitters and the stop_when rules. */
    FixtureLog start(String duration, List<String> tables, List<Map<String, Object>> emitters, List<Map<String, Object>> stopWhen) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", "fixture");
        config.put("duration", duration);
        config.put("tick", "1s");
        config.put("target", Map.of("url", "http://127.0.0.1:8000/event", "timeout", "5s", "max_in_flight", 64));
        config.put("database", Map.of("url", "jdbc:postgresql://127.0.0.1:5432/agingos", "password_env", "PGPASSWORD", "tables", tables));
        config.put("emitters", emitters);
        config.put("watch", Map.of("health_every", "2s", "db_every", "10s"));
        config.put("stop_when", stopWhen);
        return record("run.start", 0, Map.of("scenario", "fixture", "run_id", "fixture-20260105T100000Z", "scenario_id", "fixture-20260105T100000Z",
                "seed", 7, "config", config));
    }

    static Map<String, Object> rule(String name, String kind, String severity, Map<String, Object> params) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("kind", kind);
        m.put("severity", severity);
        m.put("after", "0s");
        m.put("condition", kind + " " + params);
        m.put("params", params);
        return m;
    }

    static Map<String, Object> emitter(String name, double rate, String rampUp, String rampDown) {
        return Map.of("name", name, "format", "agingos-event", "rate", rate, "arrivals", "uniform",
                "schedule", Map.of("start_after", "0s", "ramp_up", rampUp, "ramp_down", rampDown, "jitter_pct", 0.0));
    }

    /** One emitter's tick at run time t (the clock starts at 1 s, so elapsed_s = t - 1). */
    FixtureLog tick(double t, String emitter, double effEps, long accepted, long rejected, long failed, long dropped, double p95) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("elapsed_s", Math.round((t - 1) * 1000) / 1000.0);
        r.put("emitter", emitter);
        long sent = accepted + rejected + failed;
        r.put("planned", sent + dropped);
        r.put("sent", sent);
        r.put("accepted", accepted);
        r.put("rejected", rejected);
        r.put("failed", failed);
        r.put("dropped", dropped);
        r.put("eff_eps", effEps);
        r.put("p50", p95 / 2);
        r.put("p95", p95);
        r.put("p99", p95 * 1.5);
        r.put("service_p50", p95 / 3);
        r.put("service_p95", p95 * 0.8);
        r.put("service_p99", p95 * 1.2);
        return record("tick", t, r);
    }

    FixtureLog db(double t, String table, long rows, long bytes, long dbBytes) {
        return record("db", t, Map.of("table", table, "rows", rows, "bytes", bytes, "db_bytes", dbBytes));
    }

    FixtureLog health(double t, boolean ok, double latencyMs) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ok", ok);
        r.put("status", ok ? 200 : 503);
        r.put("latency_ms", latencyMs);
        return record("health", t, r);
    }

    FixtureLog alert(double t, String criterion, String kind, String state, String message) {
        return record("alert", t, Map.of("criterion", criterion, "kind", kind, "severity", "warn", "state", state, "observed", 1.0,
                "threshold", 0.0, "message", message));
    }

    /** A line as a killed run leaves it: cut in the middle, no newline. */
    FixtureLog cut(String half) {
        try {
            out.write(half);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    static final long MIB = 1048576;
    static final List<String> TABLES = List.of("events", "deviations", "audit", "sessions", "hotloop", "slow", "quiet");

    /**
     * A run of {@code minutes} at 10 accepted events per second, known answers in every table (samples every 10 s at
     * run time 1.5 + 10k, when 5 + 100k events have been accepted):
     * <ul>
     *   <li>events: one row per accepted event (unexpected_growth per_accepted_event 1): ratio 1, 600 rows/min;</li>
     *   <li>deviations: 5 rows per sample, 30 rows/min, where unexpected_growth says static;</li>
     *   <li>audit: two rows per accepted event, no criterion; sessions: 0.37 per event, no criterion;</li>
     *   <li>hotloop: 120 rows/min against table_growth's 100; slow: 60 rows/min against 100; quiet: 42 rows throughout;</li>
     *   <li>the database: 100 MiB + 1 MiB per sample (360 MB/h).</li>
     * </ul>
     * {@code killed}: the log stops half way, in the middle of a line, without run.end.
     */
    static void steady(Path file, int minutes, boolean killed) throws IOException {
        int seconds = minutes * 60;
        try (FixtureLog f = new FixtureLog(file)) {
            f.start(minutes + "m", TABLES, List.of(emitter("motion", 10, "0s", "0s")), List.of(
                    rule("events_1_per_event", "unexpected_growth", "warn", Map.of("table", "events", "per_accepted_event", 1.0, "tolerance_pct", 2.0, "for", "1m")),
                    rule("deviations_static", "unexpected_growth", "warn", Map.of("table", "deviations", "per_accepted_event", 0.0, "tolerance_pct", 2.0, "for", "0s")),
                    rule("hot_loop", "table_growth", "warn", Map.of("table", "hotloop", "above_per_min", 100.0, "for", "1m")),
                    rule("slow_growth", "table_growth", "abort", Map.of("table", "slow", "above_per_min", 100.0, "for", "1m"))));
            f.record("warmup", 0.8, Map.of("url", "http://127.0.0.1:8000/health", "method", "GET", "answered", 500, "failed", 0, "took_ms", 500));
            int k = 0;
            for (int t = 1; t <= seconds + 1; t++) {
                if (killed && t == seconds / 2) {
                    f.cut("{\"type\":\"tick\",\"time\":\"" + at(t) + "\",\"elapsed_s\":" + (t - 1) + ",\"emitter\":\"mot");
                    return;
                }
                if (t > 1) f.tick(t, "motion", 10, 10, t % 60 == 0 ? 1 : 0, 0, 0, 4 + (t % 7));
                if (t % 2 == 0) f.health(t, t != 100, t == 100 ? 5000 : 3);
                if (t == 61) f.alert(60.5, "deviations_static", "unexpected_growth", "firing", "table deviations grew 30 rows, expected static");
                if ((t - 1) % 10 == 0 && t + 0.5 <= seconds + 1) {
                    double s = t + 0.5;
                    long events = 5 + 100L * k;
                    long db = 100 * MIB + k * MIB;
                    long[] rows = {events, 5L * k, 2 * events, Math.round(0.37 * events), 20L * k, 10L * k, 42};
                    for (int i = 0; i < TABLES.size(); i++) f.db(s, TABLES.get(i), rows[i], 8192 + rows[i] * 100, db);
                    k++;
                }
            }
            Map<String, Object> end = new LinkedHashMap<>();
            end.put("verdict", "completed");
            end.put("exit_code", 0);
            end.put("elapsed_s", seconds + 2.0);
            long accepted = 10L * seconds;
            end.put("totals", Map.of("planned", accepted + seconds / 60, "sent", accepted + seconds / 60, "accepted", accepted,
                    "rejected", seconds / 60, "failed", 0, "dropped", 0));
            end.put("latency_ms", Map.of("intended", Map.of("count", accepted, "p50", 3, "p95", 9, "p99", 14, "max", 20),
                    "service", Map.of("count", accepted, "p50", 2, "p95", 7, "p99", 11, "max", 18)));
            f.record("run.end", seconds + 3, end);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
