package io.longrun.run;

import io.longrun.watch.LogSample;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The log watcher's tally for {@link RunMonitor}: lines and levels over the whole run (earlier segments included),
 * the exceptions seen (at most 100 kinds), and the run log's {@code log} record for each sample worth writing. Not
 * thread-safe: the monitor calls it under its lock.
 */
final class LogTally {
    private final Map<String, Long> levels = new TreeMap<>();
    private final Map<String, Long> exceptions = new LinkedHashMap<>();
    private long lines;
    private String lastProblems = "";

    /** What earlier segments of a resumed run counted. */
    void earlier(long lines, Map<String, Long> levels) {
        this.lines += lines;
        levels.forEach((k, v) -> this.levels.merge(k, v, Long::sum));
    }

    /**
     * Counts a sample in. {@code write} gets its run-log record, unless it has no lines and its problems are the
     * same as before; then {@code warning} hears of problems that changed.
     */
    void add(LogSample s, Consumer<Map<String, Object>> write, Consumer<String> warning) {
        lines += s.lines();
        s.levels().forEach((k, v) -> levels.merge(k, v, Long::sum));
        s.exceptions().forEach((k, v) -> {
            if (exceptions.containsKey(k) || exceptions.size() < 100) exceptions.merge(k, v, Long::sum);
        });
        String problems = String.join("; ", s.problems());
        if (s.lines() == 0 && problems.equals(lastProblems)) return;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("lines", s.lines());
        if (!s.levels().isEmpty()) r.put("levels", s.levels());
        if (!s.exceptions().isEmpty()) r.put("exceptions", s.exceptions().size() > 20
                ? s.exceptions().entrySet().stream().limit(20).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new))
                : s.exceptions());
        if (!s.matches().isEmpty()) r.put("matches", s.matches());
        if (!s.problems().isEmpty()) r.put("problems", s.problems());
        write.accept(r);
        if (!problems.equals(lastProblems) && !problems.isEmpty()) warning.accept("warning: log watcher: " + problems);
        lastProblems = problems;
    }

    Map<String, Long> levels() {
        return Map.copyOf(levels);
    }

    long lines() {
        return lines;
    }
}
