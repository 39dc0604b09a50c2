package io.longrun.reference;

import io.longrun.generate.AgingosEvent;
import io.longrun.pace.Clock;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The reference target's log: one line per entry, {@code 2026-11-29T10:00:00.123Z INFO  [component] message} (UTC,
 * milliseconds, the level padded to five), followed for an exception by its stack trace as Java prints it. longrun's
 * log watcher counts these lines by its default level expressions and an exception by its first line. Entries are
 * flushed whole, so a tail never reads half an entry.
 */
public final class TargetLog implements AutoCloseable {
    public enum Level { INFO, WARN, ERROR }

    private final Writer out;
    private final Clock clock;
    private final boolean owned;

    private TargetLog(Writer out, Clock clock, boolean owned) {
        this.out = out;
        this.clock = clock;
        this.owned = owned;
    }

    /** A log that writes nothing (a target started without a log file). */
    public static TargetLog none() {
        return new TargetLog(null, Clock.SYSTEM, false);
    }

    /** Appends to {@code file}, creating it and its folder when missing. */
    public static TargetLog open(Path file, Clock clock) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        return new TargetLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE), clock, true);
    }

    /** Writes to {@code out}, which stays open (standard output). */
    public static TargetLog to(Writer out, Clock clock) {
        return new TargetLog(new BufferedWriter(out), clock, false);
    }

    /** One entry as a line: the message's own line breaks become spaces, so that one entry is one line. */
    public static String line(Instant time, Level level, String component, String message) {
        return AgingosEvent.utc(time) + " " + String.format(Locale.ROOT, "%-5s", level.name()) + " [" + component + "] "
                + message.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    public void info(String component, String message) {
        write(Level.INFO, component, message, List.of());
    }

    public void warn(String component, String message) {
        write(Level.WARN, component, message, List.of());
    }

    public void error(String component, String message) {
        write(Level.ERROR, component, message, List.of());
    }

    /** An entry followed by lines as they are (a stack trace: the exception's first line, then tab-indented frames). */
    public void write(Level level, String component, String message, List<String> trace) {
        if (out == null) return;
        String entry = line(clock.now(), level, component, message);
        synchronized (this) {
            try {
                out.write(entry);
                out.write('\n');
                for (String t : trace) {
                    out.write(t);
                    out.write('\n');
                }
                out.flush();
            } catch (IOException e) {
                // a full disk must not fail requests; the lines are lost, as any logger's would be
            }
        }
    }

    public boolean enabled() {
        return out != null;
    }

    @Override
    public synchronized void close() {
        if (out == null) return;
        try {
            if (owned) out.close();
            else out.flush();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
