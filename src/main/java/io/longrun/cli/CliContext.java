package io.longrun.cli;

import io.longrun.pace.Clock;
import java.io.BufferedReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command reads from and writes to, injected so that the tests run the real commands in-process:
 * the environment, the output streams, the clock, whether a person is at a terminal (and how to ask them),
 * whether signals are trapped, and where run folders go.
 */
public record CliContext(Map<String, String> env, PrintStream out, PrintStream err, Clock clock, boolean terminal,
                         BufferedReader stdin, boolean handleSignals, Path workDir) {

    public static CliContext system() {
        boolean terminal = System.console() != null;
        return new CliContext(System.getenv(), System.out, System.err, Clock.SYSTEM, terminal,
                new BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.Charset.defaultCharset())),
                true, Path.of(""));
    }

    public String env(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }
}
