package io.longrun.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * longrun's command line in a JVM of its own, on the tests' classpath, in the time zone the test names (both
 * {@code TZ} and {@code -Duser.timezone}): what a process prints in local time can then differ from UTC even on a
 * machine that runs in UTC.
 */
public final class LongrunProcess implements AutoCloseable {
    private final Process process;
    private final Path out, err;

    private LongrunProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code longrun ARGS} in {@code dir}, in time zone {@code zone} (e.g. Asia/Kolkata). */
    public static LongrunProcess start(Path dir, String zone, List<String> args) throws IOException {
        return start(dir, zone, List.of(), args);
    }

    /** Starts {@code longrun ARGS} in {@code dir}, in time zone {@code zone}, its JVM with {@code jvmOptions} too. */
    public static LongrunProcess start(Path dir, String zone, List<String> jvmOptions, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.timezone=" + zone));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.longrun.cli.Longrun"));
        cmd.addAll(args);
        Path o = Files.createTempFile(dir, "out", ".txt"), e = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(o.toFile()).redirectError(e.toFile());
        pb.environment().put("TZ", zone);
        pb.environment().remove("LONGRUN_DEBUG");
        return new LongrunProcess(pb.start(), o, e);
    }

    /**
     * Waits until the standard output has a line matching {@code line} and returns the match; fails with what the
     * process printed when it does not come within {@code within} or the process ends first.
     */
    public Matcher awaitLine(Pattern line, Duration within) throws Exception {
        String text = Await.until(within, Duration.ofMillis(100), this::stdout,
                s -> line.matcher(s).find() || !process.isAlive());
        Matcher m = line.matcher(text);
        if (!m.find())
            throw new AssertionError("no line matching " + line + " within " + within + " (alive: " + process.isAlive() + ")\nstdout:\n"
                    + text + "\nstderr:\n" + stderr());
        return m;
    }

    public String stdout() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    public String stderr() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    /** Waits for the process to end by itself and returns its exit code; -1 if it has not ended within {@code within}. */
    public int waitFor(Duration within) throws InterruptedException {
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** SIGKILL: no shutdown hook runs, nothing is drained; returns the exit code (137), -1 if it has not ended within 60 s. */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor(60, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** Sends SIGTERM and returns the exit code once it has ended (-1 if it has not within 60 s). */
    public int terminate() throws InterruptedException {
        process.destroy();
        return process.waitFor(60, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** Stops it as Ctrl+C would (SIGTERM), then for good if it has not ended within 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
