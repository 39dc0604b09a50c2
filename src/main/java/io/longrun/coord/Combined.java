package io.longrun.coord;

import io.longrun.deliver.Histograms;
import io.longrun.deliver.Latency;
import io.longrun.deliver.Outcomes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.HdrHistogram.Histogram;

/**
 * The leader's view of every shard's delivery: from the shards' cumulative statuses, read once per tick, the
 * outcomes of all shards since the previous read, summed per emitter, so that the delivery criteria judge the run as
 * a whole. Counts are differences of cumulative counts, exact whatever the shards' ticks and the reads miss; the
 * service time's percentiles come from the differences of the cumulative histograms, added over the shards, so
 * they are those of all the shards' requests together. A shard seen for the first time (a new leader's first read)
 * is a baseline: it adds nothing to that read. A shard's status older than {@code staleMs} is silent.
 */
public final class Combined {
    /** A shard fell silent ({@code silent}) or was heard again. */
    public record Silence(String shard, boolean silent, long ageMs) {}

    private final List<String> order;
    private final long staleMs;
    private final Map<Integer, ShardStatus> previous = new HashMap<>();
    private final Map<Integer, Map<String, Histogram>> previousService = new HashMap<>();
    private final TreeSet<Integer> silent = new TreeSet<>();
    private long accepted;

    /** @param emitters the scenario's emitters, in order (the combined figures come in this order) */
    public Combined(List<String> emitters, long staleMs) {
        this.order = List.copyOf(emitters);
        this.staleMs = staleMs;
    }

    /**
     * The outcomes of all shards since the previous call, per emitter; null when no shard had been read before
     * (nothing to subtract from yet).
     */
    public synchronized List<Outcomes.Stats> since(List<Published> statuses) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, Map<String, Long>> rejectedBy = new HashMap<>(), failedBy = new HashMap<>();
        Map<String, Histogram> service = new HashMap<>();
        for (String e : order) counts.put(e, new long[6]);
        boolean any = false;
        long acc = 0;
        for (Published p : statuses) {
            ShardStatus now = p.status();
            acc += now.accepted();
            ShardStatus before = previous.put(now.index(), now);
            Map<String, Histogram> beforeService = previousService.computeIfAbsent(now.index(), k -> new HashMap<>());
            Map<String, Before> was = new HashMap<>();
            if (before != null) for (ShardStatus.Lane l : before.emitters()) was.put(l.emitter(), new Before(l));
            boolean baseline = before == null || wentBack(before, now);
            if (!baseline) any = true;
            for (ShardStatus.Lane l : now.emitters()) {
                Histogram h = decode(l.service());
                Histogram hb = beforeService.put(l.emitter(), h);
                if (baseline) continue;
                Before b = was.get(l.emitter());
                long[] c = counts.computeIfAbsent(l.emitter(), k -> new long[6]);
                long[] d = {l.planned(), l.sent(), l.accepted(), l.rejected(), l.failed(), l.dropped()};
                for (int i = 0; i < 6; i++) c[i] += d[i] - (b == null ? 0 : b.counts[i]);
                diff(rejectedBy.computeIfAbsent(l.emitter(), k -> new TreeMap<>()), l.rejectedBy(), b == null ? Map.of() : b.lane.rejectedBy());
                diff(failedBy.computeIfAbsent(l.emitter(), k -> new TreeMap<>()), l.failedBy(), b == null ? Map.of() : b.lane.failedBy());
                if (h != null) {
                    Histogram delta = h.copy();
                    if (hb != null) {
                        try {
                            delta.subtract(hb);
                        } catch (RuntimeException notAPrefix) {
                            delta = null; // the shard's histogram was not a continuation of the one before: skip this read's
                        }
                    }
                    if (delta != null) service.computeIfAbsent(l.emitter(), k -> Histograms.empty()).add(delta);
                }
            }
        }
        accepted = acc;
        if (!any) return null;
        List<Outcomes.Stats> out = new ArrayList<>(counts.size());
        counts.forEach((e, c) -> {
            Histogram h = service.get(e);
            out.add(new Outcomes.Stats(e, c[0], c[1], c[2], c[3], c[4], c[5], rejectedBy.getOrDefault(e, Map.of()), failedBy.getOrDefault(e, Map.of()),
                    Latency.NONE, h == null ? Latency.NONE : Latency.of(h)));
        });
        return out;
    }

    /** Events accepted by all shards, as of the latest read. */
    public synchronized long accepted() {
        return accepted;
    }

    /** Which shards fell silent, or were heard again, since the previous call. */
    public synchronized List<Silence> silences(List<Published> statuses) {
        List<Silence> out = new ArrayList<>();
        for (Published p : statuses) {
            int i = p.status().index();
            boolean quiet = p.ageMs() > staleMs && !p.status().ended();
            if (quiet && silent.add(i)) out.add(new Silence(p.status().shard(), true, p.ageMs()));
            if (!quiet && silent.remove(i)) out.add(new Silence(p.status().shard(), false, p.ageMs()));
        }
        return out;
    }

    /** A shard whose counts went back started again under the same key: what it had sent before is another run's. */
    private static boolean wentBack(ShardStatus before, ShardStatus now) {
        if (now.timeMs() < before.timeMs()) return true;
        Map<String, ShardStatus.Lane> b = new HashMap<>();
        for (ShardStatus.Lane l : before.emitters()) b.put(l.emitter(), l);
        for (ShardStatus.Lane l : now.emitters()) {
            ShardStatus.Lane x = b.get(l.emitter());
            if (x != null && (l.planned() < x.planned() || l.completed() < x.completed())) return true;
        }
        return false;
    }

    private static void diff(Map<String, Long> into, Map<String, Long> now, Map<String, Long> before) {
        now.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d != 0) into.merge(k, d, Long::sum);
        });
    }

    private static Histogram decode(String encoded) {
        if (encoded == null || encoded.isEmpty()) return null;
        try {
            return Histograms.decode(encoded);
        } catch (java.util.zip.DataFormatException | RuntimeException e) {
            return null;
        }
    }

    /** A lane of the previous status, with its counts in the order of the combined figures. */
    private static final class Before {
        final ShardStatus.Lane lane;
        final long[] counts;

        Before(ShardStatus.Lane l) {
            lane = l;
            counts = new long[] {l.planned(), l.sent(), l.accepted(), l.rejected(), l.failed(), l.dropped()};
        }
    }
}
