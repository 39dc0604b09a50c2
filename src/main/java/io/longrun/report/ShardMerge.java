package io.longrun.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.longrun.run.BadInput;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Merges the run logs of the shards of one run ({@code --shard I/N}) into one run log of the whole run, which the
 * report then reads as it reads any other: {@code merged.jsonl}. The shards share the seed, the scenario id and
 * the start ({@code --start-at}), so their ticks line up: the ticks that end in the same tick of the schedule
 * become one, their counts summed and their latency histograms (HdrHistogram's encoding, per tick) added, so that
 * every percentile, a tick's or the whole run's, is the one of all the shards' requests together. run.end's
 * totals are the shards' sums. A shard whose log ends without run.end died: it is named in a note, with its
 * missed share (what its schedule still held: {@code expected} in its shard.start, less what it planned), and
 * that share counts as missed. The other records (health checks, database samples, alerts, warnings) are kept
 * in time order, each with its shard.
 */
public final class ShardMerge {
    /** The merged run log's name, in the report's folder. */
    public static final String MERGED = "merged.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] COUNTS = {"planned", "sent", "accepted", "rejected", "failed", "dropped"};

    private ShardMerge() {}

    /** One shard's log as read: its records but the ticks, which are gathered by tick of the schedule. */
    private static final class Shard {
        Path file;
        JsonNode start, end, shardStart;
        int index, count;
        final Map<String, long[]> planned = new LinkedHashMap<>(); // per emitter, from the ticks: the counts
        double lastTime = Double.NaN;
    }

    /** A tick of the whole run: per emitter, the shards' counts summed and their histograms. */
    private static final class Tick {
        double elapsed, time;
        final Map<String, long[]> counts = new LinkedHashMap<>();
        final Map<String, Double> effEps = new LinkedHashMap<>();
        final Map<String, Map<String, Long>> rejectedBy = new LinkedHashMap<>(), failedBy = new LinkedHashMap<>();
        final Map<String, List<String>> intended = new LinkedHashMap<>(), service = new LinkedHashMap<>();
    }

    /** What the merge found, for the report's notes and the console. */
    public record Merged(Path log, List<String> notes) {}

    /**
     * Writes the merged run log of {@code logs} into {@code outDir}.
     *
     * @throws BadInput a log is missing or not a run log, the logs are not the shards of one run, or a shard is missing
     */
    public static Merged merge(List<Path> logs, Path outDir) throws BadInput, IOException {
        List<Shard> shards = new ArrayList<>();
        TreeMap<Long, Tick> ticks = new TreeMap<>();
        List<JsonNode> others = new ArrayList<>();
        for (Path p : logs) {
            RunLogReader.check(p);
            shards.add(read(p, ticks, others));
        }
        check(shards);
        shards.sort(java.util.Comparator.comparingInt(s -> s.index));
        Shard first = shards.get(0);
        double tick = tickSeconds(first.start);
        List<String> notes = new ArrayList<>();
        Map<String, Long> missedShare = new LinkedHashMap<>();
        for (Shard s : shards) {
            if (s.end != null) continue;
            long share = 0;
            for (Map.Entry<String, JsonNode> e : iterable(s.shardStart == null ? null : s.shardStart.path("expected"))) {
                long[] c = s.planned.get(e.getKey());
                share += Math.max(0, e.getValue().asLong() - (c == null ? 0 : c[0]));
            }
            missedShare.put(s.index + "/" + s.count, share);
            notes.add(String.format(java.util.Locale.ROOT, "shard %d/%d died: its run log (%s) ends at %s without run.end; its missed share: %,d "
                    + "event(s) its schedule still held, counted as missed", s.index, s.count, s.file, Report.utc(s.lastTime), share));
        }
        Map<String, Double> lastTime = new LinkedHashMap<>();
        java.util.Set<String> died = new java.util.HashSet<>();
        for (Shard s : shards) {
            lastTime.put(s.index + "/" + s.count, s.lastTime);
            if (s.end == null) died.add(s.index + "/" + s.count);
        }
        List<Leaders.Span> leaders = Leaders.spans(others, lastTime, died); // a coordinated run's (--coordinate): who led when
        if (!leaders.isEmpty()) notes.add(Leaders.note(leaders));
        Files.createDirectories(outDir);
        Path out = outDir.resolve(MERGED);
        Histogram[] total = {MergedLatency.histogram(), MergedLatency.histogram()};
        Map<String, long[]> perEmitter = new LinkedHashMap<>();
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            ObjectNode start = first.start.deepCopy();
            start.remove("shard");
            List<Map<String, Object>> list = new ArrayList<>();
            for (Shard s : shards) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("shard", s.index + "/" + s.count);
                m.put("run_log", s.file.toAbsolutePath().toString());
                m.put("run_id", s.start.path("run_id").asText());
                m.put("verdict", s.end == null ? "died (no run.end)" : s.end.path("verdict").asText());
                m.put("exit_code", s.end == null || !s.end.has("exit_code") ? null : s.end.get("exit_code").asInt());
                if (s.end != null) m.put("totals", s.end.path("totals"));
                if (s.shardStart != null) m.put("late_s", s.shardStart.path("late_s").asDouble());
                list.add(m);
            }
            start.set("shards", JSON.valueToTree(list));
            write(w, start);
            for (JsonNode o : others) if (o.path("type").asText().equals("schedule.start") || o.path("type").asText().equals("warmup")) write(w, o);
            Histogram hi = MergedLatency.histogram(), hs = MergedLatency.histogram();
            double startTime = first.start.has("start_at") ? Instant.parse(first.start.get("start_at").asText()).toEpochMilli() / 1000.0 : Double.NaN;
            java.util.Iterator<JsonNode> rest = others.stream().filter(o -> !o.path("type").asText().equals("schedule.start")
                    && !o.path("type").asText().equals("warmup")).iterator();
            JsonNode pending = rest.hasNext() ? rest.next() : null;
            for (Map.Entry<Long, Tick> en : ticks.entrySet()) {
                Tick t = en.getValue();
                double time = Double.isNaN(startTime) ? t.time : startTime + t.elapsed;
                while (pending != null && seconds(pending) <= time) {
                    write(w, pending);
                    pending = rest.hasNext() ? rest.next() : null;
                }
                for (Map.Entry<String, long[]> c : t.counts.entrySet()) {
                    String emitter = c.getKey();
                    hi.reset();
                    hs.reset();
                    for (String h : t.intended.get(emitter)) MergedLatency.add(hi, h);
                    for (String h : t.service.get(emitter)) MergedLatency.add(hs, h);
                    total[0].add(hi);
                    total[1].add(hs);
                    long[] sum = perEmitter.computeIfAbsent(emitter, k -> new long[6]);
                    for (int i = 0; i < 6; i++) sum[i] += c.getValue()[i];
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("type", "tick");
                    r.put("time", Instant.ofEpochMilli(Math.round(time * 1000)).toString());
                    r.put("elapsed_s", round(t.elapsed, 3));
                    r.put("emitter", emitter);
                    for (int i = 0; i < 6; i++) r.put(COUNTS[i], c.getValue()[i]);
                    r.put("eff_eps", round(t.effEps.get(emitter), 3));
                    r.put("p50", MergedLatency.ms(hi, 50));
                    r.put("p95", MergedLatency.ms(hi, 95));
                    r.put("p99", MergedLatency.ms(hi, 99));
                    r.put("service_p50", MergedLatency.ms(hs, 50));
                    r.put("service_p95", MergedLatency.ms(hs, 95));
                    r.put("service_p99", MergedLatency.ms(hs, 99));
                    if (!t.rejectedBy.get(emitter).isEmpty()) r.put("rejected_by", t.rejectedBy.get(emitter));
                    if (!t.failedBy.get(emitter).isEmpty()) r.put("failed_by", t.failedBy.get(emitter));
                    r.put("hist", Map.of("intended", MergedLatency.encode(hi), "service", MergedLatency.encode(hs)));
                    write(w, r);
                }
            }
            while (pending != null) {
                write(w, pending);
                pending = rest.hasNext() ? rest.next() : null;
            }
            Map<String, Object> end = end(shards, perEmitter, missedShare, total, notes);
            if (!leaders.isEmpty()) end.put("leaders", Leaders.records(leaders));
            write(w, end);
        }
        return new Merged(out, notes);
    }

    /** The merged run.end: sums of the shards', the latency of all their requests, the worst verdict. */
    private static Map<String, Object> end(List<Shard> shards, Map<String, long[]> fromTicks, Map<String, Long> missedShare, Histogram[] total,
                                           List<String> notes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "run.end");
        double last = Double.NEGATIVE_INFINITY;
        for (Shard s : shards) last = Math.max(last, s.end != null ? seconds(s.end) : s.lastTime);
        m.put("time", Instant.ofEpochMilli(Math.round(last * 1000)).toString());
        Shard worst = null;
        for (Shard s : shards) {
            if (s.end == null) continue;
            int code = s.end.path("exit_code").asInt(0);
            if (worst == null || code > worst.end.path("exit_code").asInt(0)) worst = s;
        }
        boolean died = !missedShare.isEmpty();
        m.put("verdict", died ? "incomplete: shard " + String.join(", ", missedShare.keySet()) + " died"
                : worst == null ? "unknown" : worst.end.path("verdict").asText());
        if (!died && worst != null) m.put("exit_code", worst.end.path("exit_code").asInt());
        if (worst != null && worst.end.hasNonNull("stopped_by"))
            m.put("stopped_by", "shard " + worst.index + "/" + worst.count + ": " + worst.end.get("stopped_by").asText());
        double elapsed = 0;
        for (Shard s : shards) if (s.end != null) elapsed = Math.max(elapsed, s.end.path("elapsed_s").asDouble());
        m.put("elapsed_s", elapsed);
        long[] totals = new long[7];
        Map<String, Map<String, Long>> per = new LinkedHashMap<>();
        for (Shard s : shards) {
            if (s.end != null) {
                for (Map.Entry<String, JsonNode> e : iterable(s.end.path("emitters"))) add(per, e.getKey(), e.getValue());
            } else {
                for (Map.Entry<String, long[]> e : s.planned.entrySet()) {
                    ObjectNode n = JSON.createObjectNode();
                    for (int i = 0; i < 6; i++) n.put(COUNTS[i], e.getValue()[i]);
                    add(per, e.getKey(), n);
                }
                for (Map.Entry<String, JsonNode> e : iterable(s.shardStart == null ? null : s.shardStart.path("expected"))) {
                    long[] c = s.planned.get(e.getKey());
                    long share = Math.max(0, e.getValue().asLong() - (c == null ? 0 : c[0]));
                    ObjectNode n = JSON.createObjectNode();
                    n.put("planned", share);
                    n.put("missed", share);
                    add(per, e.getKey(), n);
                }
            }
        }
        for (Map<String, Long> c : per.values()) {
            for (int i = 0; i < 6; i++) totals[i] += c.getOrDefault(COUNTS[i], 0L);
            totals[6] += c.getOrDefault("missed", 0L);
        }
        Map<String, Object> t = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) t.put(COUNTS[i], totals[i]);
        if (totals[6] > 0) t.put("missed", totals[6]);
        m.put("totals", t);
        m.put("emitters", per);
        m.put("latency_ms", Map.of("intended", MergedLatency.latency(total[0]), "service", MergedLatency.latency(total[1])));
        long checks = 0, failures = 0, alerts = 0;
        for (Shard s : shards) {
            if (s.end == null) continue;
            checks += s.end.path("health").path("checks").asLong();
            failures += s.end.path("health").path("failures").asLong();
            alerts += s.end.path("alerts").asLong();
        }
        m.put("health", Map.of("checks", checks, "failures", failures));
        m.put("alerts", alerts);
        m.put("shards", shards.size());
        if (!notes.isEmpty()) m.put("notes", notes);
        return m;
    }

    private static void add(Map<String, Map<String, Long>> per, String emitter, JsonNode counts) {
        Map<String, Long> c = per.computeIfAbsent(emitter, k -> new LinkedHashMap<>());
        for (String k : COUNTS) c.merge(k, counts.path(k).asLong(0), Long::sum);
        if (counts.path("missed").asLong(0) > 0) c.merge("missed", counts.get("missed").asLong(), Long::sum);
    }

    private static Shard read(Path p, TreeMap<Long, Tick> ticks, List<JsonNode> others) throws BadInput, IOException {
        Shard s = new Shard();
        s.file = p;
        double tick = Double.NaN;
        try (BufferedReader in = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode r;
                try {
                    r = JSON.readTree(line);
                } catch (IOException e) {
                    continue; // a line cut by a kill: the report notes such lines; the merge skips them
                }
                if (r == null || !r.isObject()) continue;
                String type = r.path("type").asText();
                double time = seconds(r);
                if (!Double.isNaN(time)) s.lastTime = Double.isNaN(s.lastTime) ? time : Math.max(s.lastTime, time);
                switch (type) {
                    case "run.start" -> {
                        s.start = r;
                        tick = tickSeconds(r);
                    }
                    case "run.end" -> s.end = r;
                    case "checkpoint" -> { } // a resume's; a merged run is not resumed
                    case "tick" -> tick(s, r, tick, ticks);
                    default -> {
                        if (type.equals("shard.start")) s.shardStart = r;
                        if (!(type.equals("schedule.start") || type.equals("warmup")) || s.index == 0) {
                            ((ObjectNode) r).put("shard", s.index + "/" + s.count);
                            others.add(r);
                        }
                    }
                }
                if (type.equals("run.start")) {
                    JsonNode sh = r.path("shard");
                    s.index = sh.path("index").asInt(-1);
                    s.count = sh.path("count").asInt(-1);
                }
            }
        }
        others.sort(java.util.Comparator.comparingDouble(ShardMerge::seconds));
        return s;
    }

    private static void tick(Shard s, JsonNode r, double tick, TreeMap<Long, Tick> ticks) {
        double elapsed = r.path("elapsed_s").asDouble(Double.NaN);
        if (Double.isNaN(elapsed)) return;
        // the tick of the schedule in which this shard's tick ends: the shards' timers do not beat together
        long k = Math.max(1, (long) Math.ceil(elapsed / tick - 1e-9));
        Tick t = ticks.computeIfAbsent(k, x -> new Tick());
        t.elapsed = k * tick;
        t.time = Math.max(t.time, seconds(r));
        String e = r.path("emitter").asText();
        long[] c = t.counts.computeIfAbsent(e, x -> new long[6]);
        long[] mine = s.planned.computeIfAbsent(e, x -> new long[6]);
        for (int i = 0; i < 6; i++) {
            c[i] += r.path(COUNTS[i]).asLong(0);
            mine[i] += r.path(COUNTS[i]).asLong(0);
        }
        t.effEps.merge(e, r.path("eff_eps").asDouble(0), Double::sum);
        sum(t.rejectedBy.computeIfAbsent(e, x -> new TreeMap<>()), r.path("rejected_by"));
        sum(t.failedBy.computeIfAbsent(e, x -> new TreeMap<>()), r.path("failed_by"));
        t.intended.computeIfAbsent(e, x -> new ArrayList<>()).add(r.path("hist").path("intended").asText(""));
        t.service.computeIfAbsent(e, x -> new ArrayList<>()).add(r.path("hist").path("service").asText(""));
    }

    private static void sum(Map<String, Long> into, JsonNode m) {
        for (Map.Entry<String, JsonNode> e : iterable(m)) into.merge(e.getKey(), e.getValue().asLong(), Long::sum);
    }

    /** The logs are the shards of one run, each once, none missing. */
    private static void check(List<Shard> shards) throws BadInput {
        Shard first = null;
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        for (Shard s : shards) {
            if (s.index < 0 || s.count < 1)
                throw new BadInput(s.file + ": not a shard's run log (its run was not started with --shard I/N); merge only the logs of one sharded run");
            if (first == null) {
                first = s;
            } else {
                same(s, first, "scenario_id", "scenario id");
                same(s, first, "seed", "seed");
                same(s, first, "scenario", "scenario");
                if (s.count != first.count)
                    throw new BadInput(s.file + ": shard " + s.index + "/" + s.count + " is of a run in " + s.count + " shards, " + first.file
                            + " of one in " + first.count);
            }
            if (!seen.add(s.index)) throw new BadInput(s.file + ": shard " + s.index + "/" + s.count + " is given twice");
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < first.count; i++) if (!seen.contains(i)) missing.add(i + "/" + first.count);
        if (!missing.isEmpty())
            throw new BadInput("shard " + String.join(", ", missing) + " missing: give the run log of every shard (a shard that died still left one)");
    }

    private static void same(Shard s, Shard first, String key, String what) throws BadInput {
        String a = s.start.path(key).asText(), b = first.start.path(key).asText();
        if (!a.equals(b))
            throw new BadInput(s.file + ": its " + what + " is '" + a + "', " + first.file + "'s '" + b + "': not shards of one run");
    }

    private static double tickSeconds(JsonNode start) {
        String t = start.path("config").path("tick").asText("1s");
        try {
            return io.longrun.scenario.Durations.parse(t).map(io.longrun.scenario.Durations::seconds).filter(x -> x > 0).orElse(1.0);
        } catch (RuntimeException e) {
            return 1;
        }
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode n) {
        return n == null || !n.isObject() ? List.of() : n::fields;
    }

    private static double seconds(JsonNode r) {
        String t = r.path("time").asText(null);
        if (t == null) return Double.NaN;
        try {
            Instant i = Instant.parse(t);
            return i.getEpochSecond() + i.getNano() / 1e9;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }

    private static void write(BufferedWriter w, Object record) throws IOException {
        w.write(JSON.writeValueAsString(record));
        w.write('\n');
    }
}
