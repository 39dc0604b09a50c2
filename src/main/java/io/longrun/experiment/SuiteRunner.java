package io.longrun.experiment;

import io.longrun.pace.Clock;
import io.longrun.scenario.Experiment;
import io.longrun.scenario.Scenario;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Runs a suite: experiments one after another, each through the same code path as {@code longrun run} (the
 * {@link RunOne} it is given) with its own run folder inside the suite's folder. Before the first it probes the
 * target's health for a baseline; before each later one it waits until the target is back within it
 * ({@link Settle}). suite.json and junit.xml are written after every experiment, so a suite that is killed still
 * leaves what it did; a Ctrl+C ends the current experiment as a run ends (faults off) and the suite stops there.
 */
public final class SuiteRunner {
    /** Runs one scenario as {@code longrun run} would, its run folder under {@code runsDir}. */
    public interface RunOne {
        Ran run(Scenario sc, Path runsDir) throws InterruptedException;
    }

    /**
     * What a run returned: its exit code, its run log (empty when it did not start), the run's own verdict, and the
     * error in words when it could not be done.
     */
    public record Ran(int exitCode, Optional<Path> runLog, String runVerdict, Optional<String> error) {}

    /** An experiment of the suite: its name, its file and the scenario read from it. */
    public record Item(String name, Path file, Scenario scenario) {}

    /** How the suite waits between experiments. */
    public record Waiting(Duration max, Duration probeTimeout) {
        public static final Waiting DEFAULT = new Waiting(Duration.ofMinutes(2), Duration.ofSeconds(2));
    }

    private final List<Item> items;
    private final RunOne runOne;
    private final PrintStream out;
    private final Clock clock;
    private final Waiting waiting;
    private final BooleanSupplier stopRequested;
    private final Map<String, Optional<Settle.Probe>> baselines = new HashMap<>();

    public SuiteRunner(List<Item> items, RunOne runOne, PrintStream out, Clock clock, Waiting waiting, BooleanSupplier stopRequested) {
        this.items = List.copyOf(items);
        this.runOne = runOne;
        this.out = out;
        this.clock = clock;
        this.waiting = waiting;
        this.stopRequested = stopRequested;
    }

    /**
     * Runs the steps; writes suite.json and junit.xml into {@code dir} after each experiment.
     *
     * @param forever whether the steps never end (--loop forever): then those not run are the rest of the round only
     */
    public SuiteReport.Result run(Iterator<SuitePlan.Step> steps, boolean forever, Path dir, Optional<Long> shuffleSeed)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Instant started = clock.now();
        long t0 = clock.nanoTime();
        List<ExperimentOutcome> done = new ArrayList<>();
        boolean interrupted = false;
        SuitePlan.Step step = null;
        List<String> notRun = new ArrayList<>();
        while (steps.hasNext() && !interrupted) {
            step = steps.next();
            Item item = items.get(step.index());
            Optional<Settle.Waited> waited = done.isEmpty() ? baseline(item) : settle(item);
            if (stopRequested.getAsBoolean()) {
                interrupted = true;
                notRun.add(label(step));
                break;
            }
            out.printf("suite [%d/%d%s]: %s (%s)%n", step.place(), items.size(), step.round() > 1 || forever ? ", round " + step.round() : "",
                    item.name(), item.file());
            long e0 = clock.nanoTime();
            Ran ran = runOne.run(item.scenario(), dir);
            ExperimentOutcome o = outcome(item, step.round(), ran, (clock.nanoTime() - e0) / 1e9).withSettle(waited);
            done.add(o);
            out.println("suite: " + item.name() + ": " + o.verdict() + (o.reason().isEmpty() ? "" : " (" + o.reason() + ")") + ", exit " + o.exitCode());
            interrupted = ran.exitCode() == 130 || stopRequested.getAsBoolean();
            write(dir, new SuiteReport.Result(done, List.of(), false, started, (clock.nanoTime() - t0) / 1e9, shuffleSeed));
        }
        if (interrupted) {
            while (steps.hasNext()) {
                SuitePlan.Step s = steps.next();
                if (forever && step != null && s.round() != step.round()) break;
                notRun.add(label(s));
            }
        }
        SuiteReport.Result r = new SuiteReport.Result(done, notRun, interrupted, started, (clock.nanoTime() - t0) / 1e9, shuffleSeed);
        write(dir, r);
        return r;
    }

    private String label(SuitePlan.Step s) {
        return items.get(s.index()).name() + (s.round() > 1 ? " #" + s.round() : "");
    }

    private static void write(Path dir, SuiteReport.Result r) throws IOException {
        SuiteReport.writeJson(dir.resolve(SuiteReport.JSON_FILE), r);
        SuiteReport.writeJUnit(dir.resolve(SuiteReport.JUNIT_FILE), r);
    }

    static ExperimentOutcome outcome(Item item, int round, Ran ran, double seconds) {
        Optional<Path> runDir = ran.runLog().map(Path::getParent);
        if (ran.error().isPresent())
            return new ExperimentOutcome(item.name(), round, item.file(), runDir, ran.exitCode(), "error", ran.error().get(), seconds, Optional.empty(),
                    Optional.empty());
        Optional<ExperimentOutcome.Judged> judged = Optional.empty();
        String unreadable = "";
        if (runDir.isPresent()) {
            try {
                judged = ExperimentOutcome.read(runDir.get().resolve("summary.json"));
            } catch (IOException e) {
                unreadable = "its summary.json could not be read: " + e.getMessage();
            }
        }
        return judged.map(j -> new ExperimentOutcome(item.name(), round, item.file(), runDir, ran.exitCode(), j.verdict(), j.reason(), seconds,
                        Optional.of(j.figures()), Optional.<Settle.Waited>empty()))
                .orElse(new ExperimentOutcome(item.name(), round, item.file(), runDir, ran.exitCode(), ran.runVerdict(), unreadable, seconds,
                        Optional.empty(), Optional.empty()));
    }

    private Optional<URI> health(Item item) {
        return item.scenario().target().healthUrl().map(URI::create);
    }

    /**
     * Before the first experiment: waits until the target's health answers (a target just pointed at a suite's proxy
     * may still be reconnecting), then takes the probe the later waits compare with.
     */
    private Optional<Settle.Waited> baseline(Item item) throws InterruptedException {
        Optional<URI> h = health(item);
        if (h.isEmpty()) {
            out.println("suite: " + item.name() + " has no target.health_url: the suite cannot wait for the target between experiments");
            return Optional.empty();
        }
        Settle settle = new Settle(h.get(), clock, waiting.probeTimeout());
        Settle.Waited w = settle.await(Optional.empty(), 0, waiting.max(), stopRequested);
        Settle.Probe p = w.settled() ? settle.probe() : w.last();
        baselines.put(h.get().toString(), p.failed() == 0 ? Optional.of(p) : Optional.empty());
        out.println("suite: the target's baseline before the first experiment: " + p.describe()
                + (p.failed() > 0 ? " (with failures: later waits will only wait for health to answer)" : ""));
        return Optional.of(w);
    }

    /** Between experiments: waits until the target is back within its baseline, bounded. */
    private Optional<Settle.Waited> settle(Item item) throws InterruptedException {
        Optional<URI> h = health(item);
        if (h.isEmpty()) return Optional.empty();
        Settle settle = new Settle(h.get(), clock, waiting.probeTimeout());
        Optional<Settle.Probe> base = baselines.computeIfAbsent(h.get().toString(), k -> Optional.empty());
        double tolerance = item.scenario().experiment().map(Experiment::recovery).orElse(Experiment.Recovery.DEFAULT).tolerancePct();
        out.println("suite: waiting until the target is back within its baseline (" + Math.round(waiting.max().toSeconds()) + " s at most) ...");
        Settle.Waited w = settle.await(base, tolerance, waiting.max(), stopRequested);
        out.println("suite: " + w.text());
        return Optional.of(w);
    }
}
