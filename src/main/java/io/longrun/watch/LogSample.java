package io.longrun.watch;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One poll of the watched log files: new lines by level, the first lines of exceptions (digits replaced by '#',
 * so that "id=41" and "id=42" are the same exception), lines matching each cadence expression, and the files
 * that could not be read.
 *
 * @param matches lines per regular expression, by the expression's text
 */
public record LogSample(long at, Instant time, long lines, Map<String, Long> levels, Map<String, Long> exceptions,
                        Map<String, Long> matches, List<String> problems) {
    public long level(String level) {
        return levels.getOrDefault(level, 0L);
    }
}
