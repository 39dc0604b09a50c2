package io.longrun.criteria;

import io.longrun.scenario.Conditions;
import io.longrun.scenario.Durations;
import io.longrun.scenario.Scenario;
import io.longrun.watch.LogSample;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code repeated_exception: { times: N, within: W }}: one exception (its first line, digits aside) appeared N times
 * or more within W. At most {@link #KEYS} distinct exceptions are followed (the least recently seen go first).
 */
final class RepeatedExceptionRule extends BaseRule {
    static final int KEYS = 1_000;
    private final Conditions.RepeatedException c;
    private final LinkedHashMap<String, Windowed> seen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Windowed> eldest) {
            return size() > KEYS;
        }
    };
    private final Map<String, Long> counts = new LinkedHashMap<>();

    RepeatedExceptionRule(Scenario.StopRule spec, Conditions.RepeatedException c) {
        super(spec, Duration.ZERO);
        this.c = c;
    }

    @Override
    public Reading onLog(LogSample s) {
        for (Map.Entry<String, Long> e : s.exceptions().entrySet())
            counts.put(e.getKey(), seen.computeIfAbsent(e.getKey(), k -> new Windowed(c.within().toNanos())).add(s.at(), e.getValue()));
        // every followed exception ages, including those that did not appear in this poll
        String worst = null;
        long max = 0;
        for (Iterator<Map.Entry<String, Windowed>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Windowed> e = it.next();
            long n = s.exceptions().containsKey(e.getKey()) ? counts.get(e.getKey()) : e.getValue().add(s.at(), 0);
            if (n == 0) {
                it.remove();
                counts.remove(e.getKey());
                continue;
            }
            if (n > max) {
                max = n;
                worst = e.getKey();
            }
        }
        return new Reading(max >= c.times(), max, c.times(), worst == null ? "no exception in the last " + Durations.format(c.within())
                : "\"" + worst + "\" " + max + " time(s) in the last " + Durations.format(c.within()) + "; threshold: " + c.times() + " times");
    }
}
