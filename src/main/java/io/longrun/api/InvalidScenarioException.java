package io.longrun.api;

import java.util.List;

/**
 * A scenario that cannot run: every problem at once, each naming its source, its field and what is wrong, as
 * {@code longrun validate} prints them.
 */
public final class InvalidScenarioException extends IllegalArgumentException {
    private final List<String> problems;

    InvalidScenarioException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem, one line each, as the command line prints them. */
    public List<String> problems() {
        return problems;
    }
}
