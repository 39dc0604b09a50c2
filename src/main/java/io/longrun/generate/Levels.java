package io.longrun.generate;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of the log levels an emitter generated, as seed 000's {@code SC_STAT} lines reported them; the tick takes
 * the counts since the previous tick with {@link #drain()}.
 */
public final class Levels {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, Long> drained = new TreeMap<>();

    public void add(String level) {
        counts.computeIfAbsent(level, k -> new LongAdder()).increment();
    }

    /** The counts since the previous call, by level; called by one thread (the tick). */
    public synchronized Map<String, Long> drain() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> {
            long now = v.sum(), before = drained.getOrDefault(k, 0L);
            if (now != before) out.put(k, now - before);
            drained.put(k, now);
        });
        return out;
    }

    /** The counts of the whole run. */
    public Map<String, Long> totals() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
