package io.longrun.api;

/**
 * A run that could not start or could not finish: the target or the database unreachable, a run log held by
 * another runner, routes that do not load. The message says what and where, as the command line's would.
 */
public final class SoakException extends RuntimeException {
    private final boolean badInput;

    SoakException(String message, boolean badInput, Throwable cause) {
        super(message, cause);
        this.badInput = badInput;
    }

    /** Whether the run was refused for its input (exit code 2 on the command line), not for an internal failure. */
    public boolean badInput() {
        return badInput;
    }
}
