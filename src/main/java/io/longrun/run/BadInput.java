package io.longrun.run;

/** Input that cannot be run: unreachable target or database at start, missing tables, a bad routes folder. Exit 2. */
public final class BadInput extends Exception {
    public BadInput(String message) {
        super(message);
    }
}
