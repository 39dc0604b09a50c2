package io.longrun.testing;

import io.longrun.cli.CliContext;
import io.longrun.cli.Longrun;
import io.longrun.pace.Clock;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs the real command line in-process with captured output, a given environment and working folder. */
public final class Cli {
    public record Result(int code, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    private final Path workDir;
    private final Map<String, String> env = new HashMap<>();
    private boolean terminal;
    private String stdin = "";

    public Cli(Path workDir) {
        this.workDir = workDir;
    }

    public Cli env(String k, String v) {
        env.put(k, v);
        return this;
    }

    /** Pretends a person is at a terminal and types {@code input}. */
    public Cli terminal(String input) {
        this.terminal = true;
        this.stdin = input;
        return this;
    }

    public Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            CliContext ctx = new CliContext(Map.copyOf(env), o, e, Clock.SYSTEM, terminal, new BufferedReader(new StringReader(stdin)),
                    false, workDir);
            int code = Longrun.execute(ctx, args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }
}
