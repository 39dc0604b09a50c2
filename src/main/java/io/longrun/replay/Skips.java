package io.longrun.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lines a replay could not send, counted by reason (malformed, no_timestamp, non_utc, out_of_order), with the
 * first few of each kind kept with their file and line number for the report. Memory stays bounded.
 */
public final class Skips {
    static final int KEEP = 20;
    private final Map<String, Long> counts = new TreeMap<>();
    private final List<String> examples = new ArrayList<>();

    synchronized void add(String reason, String where) {
        counts.merge(reason, 1L, Long::sum);
        if (examples.size() < KEEP) examples.add(where);
    }

    public synchronized Map<String, Long> counts() {
        return new TreeMap<>(counts);
    }

    public synchronized List<String> examples() {
        return List.copyOf(examples);
    }
}
