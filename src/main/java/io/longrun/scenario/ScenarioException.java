package io.longrun.scenario;

import java.util.List;

/** Bad input: every problem found, each naming the file, the line, the key path and what is wrong. */
public final class ScenarioException extends Exception {
    private final List<String> problems;

    public ScenarioException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public ScenarioException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
