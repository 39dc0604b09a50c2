package io.longrun.fault;

import io.longrun.random.SplitMix;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A toxic as Toxiproxy's API has it, checked: a name unique on its proxy, a type, the stream it acts on, its
 * toxicity (the share of connections it acts on, drawn once per connection, seeded) and its attributes, every
 * one of the type's present.
 */
record Toxic(String name, String type, Direction stream, double toxicity, Map<String, Double> attributes) {
    Toxic {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** The types this proxy knows, with their attributes' defaults, in Toxiproxy's names and units. */
    static final Map<String, Map<String, Double>> TYPES = types();

    /** longrun's emulated packet loss: not a Toxiproxy type (Toxiproxy has no packet loss). */
    static final String LOSS = "longrun_loss";

    private static Map<String, Map<String, Double>> types() {
        Map<String, Map<String, Double>> t = new LinkedHashMap<>();
        t.put("latency", attrs("latency", 0, "jitter", 0));           // ms
        t.put("bandwidth", attrs("rate", 0));                          // kB/s; 0: no limit
        t.put("slow_close", attrs("delay", 0));                        // ms
        t.put("timeout", attrs("timeout", 0));                         // ms; 0: hold until removed
        t.put("reset_peer", attrs("timeout", 0));                      // ms
        t.put("slicer", attrs("average_size", 0, "size_variation", 0, "delay", 0)); // bytes, bytes, us
        t.put("limit_data", attrs("bytes", 0));
        t.put(LOSS, attrs("percent", 0, "rto", 200));                  // %, ms
        return Collections.unmodifiableMap(t);
    }

    private static Map<String, Double> attrs(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        return Collections.unmodifiableMap(m);
    }

    /** Why these attributes do not make a working toxic of this type, or null when they do. */
    static String problem(String type, Map<String, Double> a) {
        for (Map.Entry<String, Double> e : a.entrySet())
            if (!(e.getValue() >= 0) || e.getValue().isInfinite()) return e.getKey() + " must be a number of 0 or more";
        return switch (type) {
            case "slicer" -> a.get("average_size") < 1 ? "average_size must be at least 1"
                    : a.get("size_variation") >= a.get("average_size") ? "size_variation must be less than average_size" : null;
            case LOSS -> a.get("percent") > 100 ? "percent must be at most 100" : a.get("rto") < 1 ? "rto must be at least 1 ms" : null;
            default -> null;
        };
    }

    /** The draws of this toxic on one connection: a stream of its own per (proxy, toxic, direction, connection). */
    static long drawStream(String proxy, String toxic, Direction d, long connection) {
        return SplitMix.mix(SplitMix.hash(proxy + "/" + toxic + "/" + d.json()) + connection);
    }

    /**
     * This toxic's stage on one connection: its own, or a pass-through when the connection's toxicity draw
     * (u uniform in [0, 1), acts when u < toxicity) leaves it out.
     */
    Stage stage(long seed, String proxy, long connection) {
        long draws = drawStream(proxy, name, stream, connection);
        if (toxicity < 1 && SplitMix.uniform(seed, draws, -1) >= toxicity) return new PassStage();
        Map<String, Double> a = attributes;
        return switch (type) {
            case "latency" -> new LatencyStage(a.get("latency"), a.get("jitter"), new SplitMix.Stream(seed, draws, 0));
            case "bandwidth" -> a.get("rate") <= 0 ? new PassStage() : new BandwidthStage(a.get("rate"));
            case "slow_close" -> new SlowCloseStage(Math.round(a.get("delay")));
            case "timeout" -> new TimeoutStage(Math.round(a.get("timeout")));
            case "reset_peer" -> new ResetStage(Math.round(a.get("timeout")));
            case "slicer" -> new SlicerStage(a.get("average_size").intValue(), a.get("size_variation").intValue(), a.get("delay"),
                    new SplitMix.Stream(seed, draws, 1));
            case "limit_data" -> new LimitDataStage(Math.round(a.get("bytes")));
            case LOSS -> new LossStage(a.get("percent"), a.get("rto"), seed, draws);
            default -> throw new IllegalStateException("unknown toxic type " + type);
        };
    }

    /** The toxic as Toxiproxy's API writes it. */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> attrs = new LinkedHashMap<>();
        attributes.forEach((k, v) -> attrs.put(k, v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) v.longValue() : v));
        m.put("attributes", attrs);
        m.put("name", name);
        m.put("type", type);
        m.put("stream", stream.json());
        m.put("toxicity", toxicity);
        return m;
    }

    static List<String> typeNames() {
        return List.copyOf(TYPES.keySet());
    }
}
