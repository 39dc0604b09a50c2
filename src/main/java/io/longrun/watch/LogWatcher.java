package io.longrun.watch;

import io.longrun.pace.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log route's bean: every {@code logs_every} it reads the new lines of the target's log files ({@link LogTail})
 * and counts them by level (configurable regular expressions), by exception (a line that starts like
 * {@code java.lang.IllegalStateException: ...} or {@code ValueError: ...}), and by each cadence expression.
 * Only counts leave this class: memory does not grow with the log.
 */
public final class LogWatcher {
    /** The first line of an exception as Java, Python and most runtimes print it, at the start of a line. */
    static final Pattern EXCEPTION = Pattern.compile("^(?:[A-Za-z_$][\\w$]*\\.)*[A-Za-z_$][\\w$]*(?:Exception|Error|Throwable|Fault)(?::\\s.*)?$");
    static final Pattern DIGITS = Pattern.compile("\\d+");
    static final int MAX_KEY = 300;

    private final List<LogTail> tails;
    private final Map<String, Pattern> levels = new LinkedHashMap<>();
    private final Map<String, Pattern> regexes = new LinkedHashMap<>();
    private final Clock clock;
    private final Signals signals;

    public LogWatcher(List<LogTail> tails, Map<String, String> levelPatterns, List<String> cadence, Clock clock, Signals signals) {
        this.tails = List.copyOf(tails);
        levelPatterns.forEach((level, regex) -> levels.put(level, Pattern.compile(regex)));
        for (String r : cadence) regexes.put(r, Pattern.compile(r));
        this.clock = clock;
        this.signals = signals;
    }

    /** From the run's start on, only new lines count. */
    public void start() {
        for (LogTail t : tails) t.start();
    }

    public void poll() {
        signals.onLog(read());
    }

    LogSample read() {
        Map<String, Long> byLevel = new LinkedHashMap<>(), exceptions = new LinkedHashMap<>(), matches = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        long[] lines = {0};
        for (LogTail t : tails) {
            String problem = t.poll(line -> {
                lines[0]++;
                classify(line, byLevel, exceptions, matches);
            });
            if (problem != null) problems.add(problem);
        }
        return new LogSample(clock.nanoTime(), clock.now(), lines[0], byLevel, exceptions, matches, problems);
    }

    void classify(String line, Map<String, Long> byLevel, Map<String, Long> exceptions, Map<String, Long> matches) {
        // a stack frame or a continuation line has no level of its own
        if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
            for (Map.Entry<String, Pattern> e : levels.entrySet()) {
                if (e.getValue().matcher(line).find()) {
                    byLevel.merge(e.getKey(), 1L, Long::sum);
                    break;
                }
            }
            Matcher m = EXCEPTION.matcher(line);
            if (line.length() < 2_000 && m.matches()) exceptions.merge(key(line), 1L, Long::sum);
        }
        for (Map.Entry<String, Pattern> e : regexes.entrySet())
            if (e.getValue().matcher(line).find()) matches.merge(e.getKey(), 1L, Long::sum);
    }

    /** An exception's identity: its first line, digits replaced, cut to a bounded length. */
    static String key(String firstLine) {
        String k = DIGITS.matcher(firstLine.strip()).replaceAll("#");
        return k.length() > MAX_KEY ? k.substring(0, MAX_KEY) : k;
    }

    public List<LogTail> tails() {
        return tails;
    }
}
