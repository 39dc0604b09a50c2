package io.longrun.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exit codes scripts rely on, with their meanings: the one table that {@code longrun --help} prints and that
 * README's "Exit codes" table must match (a test compares them).
 */
public final class ExitCodes {
    /** The run completed and no criterion fired. */
    public static final int OK = 0;
    /** Unexpected internal error. */
    public static final int INTERNAL = 1;
    /** Bad input: command line, scenario file, unreachable target or database at start. */
    public static final int BAD_INPUT = 2;
    /** Stopped by a stop criterion. */
    public static final int CRITERION = 3;
    /** The run completed (or stopped) and an end-of-run assertion failed. */
    public static final int ASSERTION = 4;
    /** A fault experiment's signals were still out of tolerance of the baseline at the end. */
    public static final int NOT_RECOVERED = 5;
    /** A fault experiment could not be judged: unstable baseline, a fault that never took effect, too few events. */
    public static final int INCONCLUSIVE = 6;
    /** Interrupted by Ctrl+C or SIGTERM, after a graceful drain. */
    public static final int INTERRUPTED = 130;

    /** Which code wins when several apply, first first: 130 and 3 (the run did not finish) over 5, over 4, over 6, over 0. */
    private static final List<Integer> PRECEDENCE = List.of(INTERRUPTED, CRITERION, NOT_RECOVERED, ASSERTION, INCONCLUSIVE, OK);

    /** One exit code and what it means, in the user's words. */
    public record Meaning(int code, String text) {}

    /** Every exit code, in order. */
    public static final List<Meaning> ALL = List.of(
            new Meaning(OK, "run completed, no criterion fired"),
            new Meaning(INTERNAL, "unexpected internal error (one line; LONGRUN_DEBUG=1 for the stack trace)"),
            new Meaning(BAD_INPUT, "bad input: command line, scenario file, unreachable target or database at start, missing tables"),
            new Meaning(CRITERION, "stopped by a stop criterion (or --strict's first failed delivery)"),
            new Meaning(ASSERTION, "the run completed, but an end-of-run assertion (or a phase's assertion) failed"),
            new Meaning(NOT_RECOVERED, "fault experiment: a signal was still out of tolerance of the baseline at the end (not_recovered)"),
            new Meaning(INCONCLUSIVE, "fault experiment: could not be judged (unstable baseline, a fault that never took effect, too few events)"),
            new Meaning(INTERRUPTED, "interrupted by Ctrl+C or SIGTERM, after a graceful drain (a second signal quits at once)"));

    private ExitCodes() {}

    /** The code that wins among {@code a} and {@code b}, by {@link #PRECEDENCE}; a code not in it (1, 2) wins over all. */
    public static int worst(int a, int b) {
        int ia = PRECEDENCE.indexOf(a), ib = PRECEDENCE.indexOf(b);
        if (ia < 0) return a;
        if (ib < 0) return b;
        return ia <= ib ? a : b;
    }

    /** The table as picocli's usage help wants it: code → meaning, in order. */
    public static Map<String, String> helpList() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Meaning e : ALL) m.put(String.valueOf(e.code()), e.text());
        return m;
    }
}
