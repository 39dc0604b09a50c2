package io.longrun.run;

/** The exit codes scripts rely on. */
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
    /** Interrupted by Ctrl+C or SIGTERM, after a graceful drain. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
