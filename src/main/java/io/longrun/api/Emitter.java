package io.longrun.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One emitter of a scenario written in code, or seed 002's pool of them: an immutable value, built in steps. A name
 * (or a pool's prefix and count), then its pace: a {@link Named#rate rate}, an {@link Named#interval interval} or
 * {@link Named#stages stages}; only then is it an {@code Emitter}. Everything else has the YAML's defaults and is
 * set with the {@code with} methods; {@link #with(String, Object)} reaches any key the YAML's emitter has.
 *
 * <pre>{@code
 * Emitter motion = Emitter.named("motion").rate(8).withFormat("agingos-event");
 * Emitter sensors = Emitter.pool("sensor", 20).interval(Duration.ofSeconds(1)).withJitter(Duration.ofMillis(200));
 * }</pre>
 */
public final class Emitter {
    private final Map<String, Object> fields;
    private final boolean pool;

    private Emitter(Map<String, Object> fields, boolean pool) {
        this.fields = Map.copyOf(fields);
        this.pool = pool;
    }

    /** An emitter named {@code name}; its pace comes next. */
    public static Named named(String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        return new Named(m, false);
    }

    /**
     * Seed 002's pool: {@code count} emitters named {@code prefix-1 ... prefix-N}, each sending one event per
     * interval; the interval comes next.
     */
    public static Pool pool(String prefix, int count) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("prefix", prefix);
        p.put("count", count);
        return new Pool(p);
    }

    /** An emitter with its name and nothing else yet: give its pace. */
    public static final class Named {
        private final Map<String, Object> fields;
        private final boolean pool;

        private Named(Map<String, Object> fields, boolean pool) {
            this.fields = fields;
            this.pool = pool;
        }

        /** A constant rate, in events per second. */
        public Emitter rate(double eventsPerSecond) {
            return new Emitter(Yaml.with(fields, "rate", eventsPerSecond), pool);
        }

        /** One event every {@code every}. */
        public Emitter interval(Duration every) {
            return new Emitter(Yaml.with(fields, "interval", every), pool);
        }

        /**
         * A piecewise-linear rate: each stage a map of {@code duration} and {@code target} (events per second), as in
         * the YAML's {@code stages:}.
         */
        public Emitter stages(List<Map<String, Object>> stages) {
            return new Emitter(Yaml.with(fields, "stages", stages), pool);
        }
    }

    /** A pool with its prefix and count: give its interval. */
    public static final class Pool {
        private final Map<String, Object> pool;

        private Pool(Map<String, Object> pool) {
            this.pool = pool;
        }

        /** Each of the pool's emitters sends one event every {@code every}. */
        public Emitter interval(Duration every) {
            return new Emitter(Map.of("pool", Yaml.with(pool, "interval", every)), true);
        }
    }

    /** The event format ({@code agingos-event}, {@code syslog}, {@code json-lines}, ...: see {@code longrun validate}'s list). */
    public Emitter withFormat(String format) {
        return with("format", format);
    }

    /**
     * A format of your own: this instance renders every event of the emitter (of every run made with it, in this JVM).
     * It must be thread-safe. See {@link EventFormat}.
     */
    public Emitter format(EventFormat format) {
        java.util.Objects.requireNonNull(format, "format");
        return with("format", Map.of("instance", io.longrun.generate.UserFormat.register(format)));
    }

    /**
     * The {@code template} format: this JSON, with placeholders in its texts ({@code "{{seq}}"}, {@code "{{uuid}}"},
     * {@code "{{int(1,5)}}"}, {@code "{{profile(price)}}"}, ...: the README's table), rendered for every event.
     */
    public Emitter withTemplate(Map<String, Object> template) {
        return withFormat("template").with("template", template);
    }

    /**
     * A value profile (seed 004's scenario profiles) that the template reads as {@code {{profile(name)}}}: a number
     * that evolves with the event's due time, written as the YAML writes it, for example {@code "growth(100, 2)"},
     * {@code "steady(10) crash(fault, 60, 1m)"} or {@code "phases(steady(10) for 5m, growth(5))"}. Adds to the
     * profiles given before.
     */
    public Emitter withProfile(String name, String profile) {
        Map<String, Object> profiles = new LinkedHashMap<>();
        if (fields.get("profiles") instanceof Map<?, ?> m) m.forEach((k, v) -> profiles.put(String.valueOf(k), v));
        profiles.put(name, profile);
        return with("profiles", profiles);
    }

    /** Seed 002's {@code interval_jitter}: each interval varies by up to this much, seeded. */
    public Emitter withJitter(Duration jitter) {
        return with("interval_jitter", jitter);
    }

    /** Posts this emitter's events to {@code url} instead of the target's. */
    public Emitter withUrl(String url) {
        return with("url", url);
    }

    /**
     * Sets any key the YAML's emitter (or pool) has: {@code schedule}, {@code arrivals}, {@code headers},
     * {@code batch_size}, {@code profiles}, ...; durations may be given as {@link Duration}.
     */
    public Emitter with(String key, Object value) {
        if (!pool || !POOL_KEYS.contains(key)) return new Emitter(Yaml.with(fields, key, value), pool);
        @SuppressWarnings("unchecked") Map<String, Object> p = (Map<String, Object>) fields.get("pool");
        return new Emitter(Yaml.with(fields, "pool", Yaml.with(p, key, value)), true);
    }

    /** The keys that sit inside a pool's {@code pool:}; the rest (format, schedule, url, headers) sit beside it. */
    private static final java.util.Set<String> POOL_KEYS = java.util.Set.of("count", "interval", "interval_jitter", "prefix");

    Map<String, Object> tree() {
        return fields;
    }
}
