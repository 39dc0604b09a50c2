package io.longrun.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who led a coordinated sharded run when ({@code --coordinate}): the shards' {@code leader} records, in time order,
 * as spans (shard, from, until, and how it ended: lost, released at the end, or the shard died holding it), and the
 * gap before each takeover.
 */
final class Leaders {
    /** One shard's lead: from {@code from} to {@code until} (epoch seconds), ended {@code how}. */
    record Span(String shard, double from, double until, String how) {}

    private Leaders() {}

    /**
     * @param records  every shard's records but the ticks, in time order, each with its shard
     * @param lastTime per shard, the time of its last record (a shard that died holding the lead held it until then)
     * @param died     the shards that died (no run.end)
     */
    static List<Span> spans(List<JsonNode> records, Map<String, Double> lastTime, java.util.Set<String> died) {
        List<Span> out = new ArrayList<>();
        Map<String, Double> open = new LinkedHashMap<>();
        for (JsonNode r : records) {
            if (!r.path("type").asText().equals("leader")) continue;
            String shard = r.path("shard").asText(), state = r.path("state").asText();
            double t = seconds(r);
            if (state.equals("acquired")) {
                open.putIfAbsent(shard, t);
            } else if (open.containsKey(shard)) {
                out.add(new Span(shard, open.remove(shard), t, state));
            }
        }
        open.forEach((shard, from) -> out.add(new Span(shard, from, lastTime.getOrDefault(shard, from),
                died.contains(shard) ? "died" : "run log ends")));
        out.sort(java.util.Comparator.comparingDouble(Span::from));
        return out;
    }

    /** The merged report's note: "leaders: shard 0/3 from ... until ... (died); shard 2/3 from ... (2.4 s later) ...". */
    static String note(List<Span> spans) {
        StringBuilder b = new StringBuilder("leaders: ");
        Span before = null;
        for (Span s : spans) {
            if (before != null) b.append("; ");
            b.append("shard ").append(s.shard()).append(" from ").append(Report.utc(s.from()));
            if (before != null) b.append(String.format(Locale.ROOT, " (%.1f s after shard %s's lead ended)", s.from() - before.until(), before.shard()));
            b.append(" until ").append(Report.utc(s.until())).append(" (").append(switch (s.how()) {
                case "died" -> "the shard died";
                case "released" -> "released at the end of its run";
                case "lost" -> "lost";
                default -> "its run log ends";
            }).append(')');
            before = s;
        }
        return b.toString();
    }

    /** The spans as the merged run.end lists them. */
    static List<Map<String, Object>> records(List<Span> spans) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Span s : spans) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("shard", s.shard());
            m.put("from", Report.utc(s.from()));
            m.put("until", Report.utc(s.until()));
            m.put("ended", s.how());
            out.add(m);
        }
        return out;
    }

    private static double seconds(JsonNode r) {
        try {
            java.time.Instant i = java.time.Instant.parse(r.path("time").asText());
            return i.getEpochSecond() + i.getNano() / 1e9;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
