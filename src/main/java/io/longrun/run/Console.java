package io.longrun.run;

import java.io.PrintStream;

/**
 * What a person watching the run sees. On a terminal: one live progress line, redrawn each tick. Elsewhere
 * (CI, a pipe): a plain progress line every 10 s. Alerts and the summary are always printed; {@code --quiet}
 * leaves out progress only.
 */
public final class Console {
    static final long PLAIN_EVERY = 10_000_000_000L;
    private final PrintStream out;
    private final boolean terminal;
    private final boolean quiet;
    private boolean lineOpen;
    private long lastPlain = Long.MIN_VALUE;

    public Console(PrintStream out, boolean terminal, boolean quiet) {
        this.out = out;
        this.terminal = terminal;
        this.quiet = quiet;
    }

    /** A progress line at run time {@code elapsed} (nanoseconds). */
    public synchronized void progress(String line, long elapsed) {
        if (quiet) return;
        if (terminal) {
            out.print("\r\033[K" + line);
            out.flush();
            lineOpen = true;
        } else if (lastPlain == Long.MIN_VALUE || elapsed - lastPlain >= PLAIN_EVERY) {
            lastPlain = elapsed;
            out.println(line);
        }
    }

    /** A line that stays: alerts, notices, the summary. */
    public synchronized void line(String s) {
        closeProgress();
        out.println(s);
        out.flush();
    }

    /** Ends the live line so that what follows starts on its own line. */
    public synchronized void closeProgress() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }
}
