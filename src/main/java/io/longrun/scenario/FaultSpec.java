package io.longrun.scenario;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One network fault on one proxy, as the scenario gives it: {@code - latency: { proxy: db, ms: 200 }}.
 * {@code params} holds the kind's settings under their YAML names, every one present (defaults filled in).
 */
public record FaultSpec(Kind kind, String proxy, Stream stream, Map<String, Double> params) {
    public FaultSpec {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** Which way the fault acts: on the bytes to the upstream, on those coming back, or both. */
    public enum Stream {
        UPSTREAM, DOWNSTREAM, BOTH;

        public String yaml() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A setting of a fault kind: its YAML key, whether it must be given, its default and range, whether whole. */
    public record Param(String key, boolean required, double dflt, double min, double max, boolean whole) {
        static Param required(String key, double min, double max) {
            return new Param(key, true, 0, min, max, true);
        }

        static Param optional(String key, double dflt, double min, double max) {
            return new Param(key, false, dflt, min, max, true);
        }
    }

    private static final double HOUR_MS = 3_600_000;

    /**
     * The kinds, with their settings. Every kind but {@code down} acts on one stream; the default is downstream,
     * as Toxiproxy's is (the bytes coming back from the upstream).
     */
    public enum Kind {
        LATENCY("latency", Param.required("ms", 0, HOUR_MS), Param.optional("jitter_ms", 0, 0, HOUR_MS)),
        BANDWIDTH("bandwidth", Param.required("kb_per_s", 1, 1e9)),
        TIMEOUT("timeout", Param.required("ms", 0, 24 * HOUR_MS)),
        RESET("reset", Param.optional("after_ms", 0, 0, 24 * HOUR_MS)),
        SLICER("slicer", Param.required("avg_bytes", 1, 1 << 20), Param.optional("jitter_bytes", 0, 0, 1 << 20),
                Param.optional("delay_us", 0, 0, 60e6)),
        LIMIT_DATA("limit_data", Param.required("bytes", 0, 1e15)),
        DOWN("down"),
        LOSS("loss", new Param("pct", true, 0, 0.001, 100, false));

        private final String yaml;
        private final List<Param> params;

        Kind(String yaml, Param... params) {
            this.yaml = yaml;
            this.params = List.of(params);
        }

        public String yaml() {
            return yaml;
        }

        public List<Param> params() {
            return params;
        }

        /** Whether {@code stream:} means something for this kind ({@code down} takes the whole proxy away). */
        public boolean hasStream() {
            return this != DOWN;
        }

        public static Kind of(String yaml) {
            for (Kind k : values()) if (k.yaml.equals(yaml)) return k;
            return null;
        }

        public static List<String> names() {
            return java.util.Arrays.stream(values()).map(Kind::yaml).toList();
        }
    }

    /** A setting's value (every setting of the kind is present). */
    public double param(String key) {
        Double v = params.get(key);
        if (v == null) throw new IllegalArgumentException(kind.yaml + " has no setting " + key);
        return v;
    }

    public long whole(String key) {
        return Math.round(param(key));
    }

    /** The fault in words: {@code latency 200 ms ± 20 ms on db (downstream)}. */
    public String describe() {
        String what = switch (kind) {
            case LATENCY -> "latency " + Num.text(param("ms")) + " ms" + (param("jitter_ms") > 0 ? " ± " + Num.text(param("jitter_ms")) + " ms" : "");
            case BANDWIDTH -> "bandwidth " + Num.text(param("kb_per_s")) + " kB/s";
            case TIMEOUT -> param("ms") == 0 ? "timeout (hold until removed)" : "timeout " + Num.text(param("ms")) + " ms";
            case RESET -> "reset after " + Num.text(param("after_ms")) + " ms";
            case SLICER -> "slicer " + Num.text(param("avg_bytes")) + " ± " + Num.text(param("jitter_bytes")) + " bytes every "
                    + Num.text(param("delay_us")) + " us";
            case LIMIT_DATA -> "limit_data " + Num.text(param("bytes")) + " bytes";
            case DOWN -> "down";
            case LOSS -> "loss " + Num.text(param("pct")) + "% (emulated)";
        };
        return what + " on " + proxy + (kind.hasStream() ? " (" + stream.yaml() + ")" : "");
    }
}
