package io.longrun.api;

import io.longrun.run.BadInput;
import io.longrun.run.RunController;
import io.longrun.run.RunOptions;
import io.longrun.run.RunResult;
import io.longrun.scenario.Overrides;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.ScenarioException;
import io.longrun.scenario.ScenarioReader;
import io.longrun.scenario.ScenarioSource;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A soak ready to run: a checked scenario and how to run it. Immutable: every {@code with} method returns a new
 * soak. Make one from a scenario file ({@link #fromFile(Path)}, then {@code with...} for what flags override), from
 * YAML text ({@link #fromYaml(String)}), or in code ({@link #scenario(String)}); then {@link #start()} it, or
 * {@link #run()} it to the end, or {@link #runFor(Duration)}.
 *
 * <p>Defaults suit a library: the console is quiet (alerts and the summary only), no metrics server, no signal
 * handling, run logs under {@code ./runs}. Several soaks may run in one JVM at once.
 *
 * <pre>{@code
 * SoakResult r = Soak.fromFile(Path.of("scenarios/demo.yaml"))
 *         .withTargetUrl(url)      // as --target-url
 *         .withSeed(7)
 *         .runFor(Duration.ofMinutes(10));
 * assert r.passed() : r.failures();
 * }</pre>
 */
public final class Soak {
    private final Scenario scenario;
    private final ScenarioSource source;
    private final Path file; // re-read from the file, for its default name and folder; else from the source's text
    private final Map<String, Object> given; // the overrides given so far, by Overrides' names
    private final RunOptions options;
    private final io.longrun.run.Resumption earlier; // a resumed run's first segments, or null

    private Soak(Scenario scenario, ScenarioSource source, Path file, Map<String, Object> given, RunOptions options) {
        this(scenario, source, file, given, options, null);
    }

    private Soak(Scenario scenario, ScenarioSource source, Path file, Map<String, Object> given, RunOptions options,
                 io.longrun.run.Resumption earlier) {
        this.earlier = earlier;
        this.scenario = scenario;
        this.source = source;
        this.file = file;
        this.given = Map.copyOf(given);
        this.options = options;
    }

    static final RunOptions LIBRARY = RunOptions.builder().quiet(true).build();

    /**
     * Reads a scenario file, as {@code longrun run FILE} does (the environment's {@code LONGRUN_TARGET_URL},
     * {@code LONGRUN_DB_URL}, {@code PGUSER} apply as there).
     *
     * @throws InvalidScenarioException listing every problem, each with the file and the field
     */
    public static Soak fromFile(Path file) {
        return read(file, null, Map.of(), LIBRARY);
    }

    /**
     * Reads a scenario from YAML text, as a file holding it would be read; names in it (template_file, replay
     * files) are found from the working folder.
     *
     * @throws InvalidScenarioException listing every problem
     */
    public static Soak fromYaml(String yaml) {
        ScenarioSource src = new ScenarioSource("(yaml)", yaml.getBytes(StandardCharsets.UTF_8), Path.of("").toAbsolutePath(), Optional.empty());
        return read(null, src, Map.of(), LIBRARY);
    }

    /**
     * Starts a scenario written in code: a name, then a target, a duration and at least one emitter; the type allows
     * {@code build()} only once the scenario is complete.
     */
    public static ScenarioBuilder.Named scenario(String name) {
        return new ScenarioBuilder.Named(name);
    }

    /**
     * A scenario already read (with its overrides applied) by {@link ScenarioReader}, and run with these options:
     * how the command line hands its run to this API.
     *
     * @param source what was read, kept in the run log so that a run can be resumed; may be null
     */
    public static Soak of(Scenario scenario, ScenarioSource source, RunOptions options) {
        return new Soak(scenario, source, null, Map.of(), options);
    }

    /**
     * A run whose runner died, to be resumed (as {@code longrun resume RUN_DIR}): the same scenario (its copy),
     * seed, scenario id and time zero; its run log goes on.
     *
     * @param earlier the run as its run log tells it ({@link io.longrun.run.Resumption#read})
     * @param scenario its scenario, as {@link io.longrun.run.Resumption#scenario} rebuilds it
     */
    public static Soak resumed(io.longrun.run.Resumption earlier, Scenario scenario, RunOptions options) {
        return new Soak(scenario, null, null, Map.of(), options, earlier);
    }

    /** The scenario's name. */
    public String name() {
        return scenario.name();
    }

    /** The scenario as read and checked. */
    public Scenario scenario() {
        return scenario;
    }

    /** The run options in effect. */
    public RunOptions options() {
        return options;
    }

    /** Posts the events to {@code url} instead of the scenario's (as {@code --target-url}; the health check moves along on the same origin). */
    public Soak withTargetUrl(String url) {
        return reread("targetUrl", url);
    }

    /** Runs for this long instead of the scenario's duration (as {@code --duration}). */
    public Soak withDuration(Duration d) {
        return reread("duration", d);
    }

    /** Seeds every random choice with {@code seed} (as {@code --seed}): the same seed and scenario id send the same events. */
    public Soak withSeed(long seed) {
        return reread("seed", seed);
    }

    /** Scales every emitter so that together they send {@code eventsPerSecond} at the plateau (as {@code --rate}). */
    public Soak withRate(double eventsPerSecond) {
        return reread("rate", eventsPerSecond);
    }

    /** Reads the database at this JDBC URL instead of the scenario's (as {@code --db-url}). */
    public Soak withDatabaseUrl(String jdbcUrl) {
        return reread("dbUrl", jdbcUrl);
    }

    /** Connects to the database as this user (as {@code --db-user}). */
    public Soak withDatabaseUser(String user) {
        return reread("dbUser", user);
    }

    /** The scenario id sent as {@code X-Scenario-Id} (as {@code --scenario-id}; default: the run id). */
    public Soak withScenarioId(String id) {
        return with(b -> b.scenarioId(Optional.of(id)));
    }

    /** Where run folders are made (default {@code ./runs}); each run gets {@code <name>-<UTC time>/}. */
    public Soak withRunsDir(Path dir) {
        return with(b -> b.runsDir(dir));
    }

    /** Writes the run log to this file (as {@code --log-file}); the report goes beside it. */
    public Soak withLogFile(Path file) {
        return with(b -> b.logFile(Optional.of(file)));
    }

    /** Where the console lines go, and whether to show live progress ({@code quiet} false) or alerts and the summary only. */
    public Soak withConsole(PrintStream out, boolean quiet) {
        return with(b -> b.out(out).quiet(quiet));
    }

    /** Serves Prometheus metrics on this port while the run lasts (0, the default, serves none). */
    public Soak withMetricsPort(int port) {
        return with(b -> b.metricsPort(port));
    }

    /** The first failed delivery ends the run with exit code 3 (as {@code --strict}). */
    public Soak withStrict(boolean strict) {
        return with(b -> b.strict(strict));
    }

    /** Writes every event sent, with its times and outcome, for a replay (as {@code --record}). */
    public Soak withRecord(Path ndjson) {
        return with(b -> b.record(Optional.of(ndjson)));
    }

    /** Writes the assertions and the criteria that fired as a JUnit XML report (as {@code --junit}). */
    public Soak withJUnitReport(Path xml) {
        return with(b -> b.junit(Optional.of(xml)));
    }

    /** Loads your own Camel YAML routes from this folder beside longrun's (as {@code --routes}). */
    public Soak withRoutes(Path dir) {
        return with(b -> b.routesDir(Optional.of(dir)));
    }

    /** The environment the run reads (passwords by name, {@code LONGRUN_*}); default: the process's. */
    public Soak withEnvironment(Map<String, String> env) {
        return with(b -> b.env(env));
    }

    /**
     * Sends only shard {@code index} of {@code count} of the schedule (as {@code --shard index/count}): the events whose
     * index modulo {@code count} is {@code index}, with the whole run's ids, seed and scenario id. Run {@code count}
     * soaks, one for each index, with the same {@link #withStartAt start time}.
     *
     * @throws IllegalArgumentException when {@code count} is below 1 or {@code index} is not in {@code [0, count)}
     */
    public Soak withShard(int index, int count) {
        io.longrun.shard.Shard shard = new io.longrun.shard.Shard(index, count);
        return with(b -> b.shard(shard));
    }

    /**
     * Starts the schedule at this instant (as {@code --start-at}), after the warm-up; a soak that is ready later counts
     * the events already due as missed. Every shard of a sharded run is given the same instant.
     */
    public Soak withStartAt(java.time.Instant at) {
        java.util.Objects.requireNonNull(at, "at");
        return with(b -> b.startAt(Optional.of(at)));
    }

    /**
     * With {@link #withShard}: the shards meet in this store (as {@code --coordinate}), {@code file:/shared/dir} or
     * {@code jdbc:postgresql://host:5432/db}; one of them leads the watchers and judges the criteria on all shards'
     * outcomes, and an abort stops every shard. Give every shard the same scenario id.
     *
     * @throws IllegalArgumentException when {@code url} is not a coordination store's URL, saying what to write
     */
    public Soak withCoordinate(String url) {
        io.longrun.coord.Coordinate where = io.longrun.coord.Coordinate.parse(url);
        return with(b -> b.coordinate(Optional.of(where)));
    }

    private Soak with(java.util.function.UnaryOperator<RunOptions.Builder> change) {
        return new Soak(scenario, source, file, given, change.apply(options.toBuilder()).build(), earlier);
    }

    /**
     * Starts the run on a thread of its own and returns at once; the handle reads its live figures, stops it, or
     * waits for its end. A run that cannot start (target unreachable, database refused) reports it from
     * {@link SoakHandle#awaitEnd()}.
     */
    public SoakHandle start() {
        return SoakHandle.start(this);
    }

    /**
     * Runs the soak to its end on the calling thread: the schedule ends, a stop criterion fires, or (with
     * {@code handleSignals}) Ctrl-C drains it.
     *
     * @throws SoakException when the run cannot start or fails inside
     * @throws InterruptedException when the calling thread is interrupted
     */
    public SoakResult run() throws InterruptedException {
        return new SoakResult(execute(options));
    }

    /**
     * Starts the run, lets it go on for at most {@code d}, then stops it, draining what is in flight; a schedule
     * that ends sooner ends the run sooner, with its own verdict.
     */
    public SoakResult runFor(Duration d) throws InterruptedException {
        try (SoakHandle h = start()) {
            Optional<SoakResult> ended = h.awaitEnd(d);
            return ended.isPresent() ? ended.get() : h.stop();
        }
    }

    /** The one way every run of this API, and of the command line, is made. */
    RunResult execute(RunOptions opt) throws InterruptedException {
        try {
            RunController runs = new RunController(opt.clock());
            if (earlier != null) return runs.resume(earlier, scenario, opt);
            return runs.run(scenario, source == null ? opt : opt.withSource(source));
        } catch (BadInput e) {
            throw new SoakException(e.getMessage(), true, e);
        } catch (IOException e) {
            throw new SoakException(e.getMessage(), false, e);
        }
    }

    private Soak reread(String key, Object value) {
        if (source == null && file == null || earlier != null)
            throw new IllegalStateException(name() + ": a scenario handed over already read cannot be overridden; read it with the overrides");
        Map<String, Object> g = new java.util.HashMap<>(given);
        g.put(key, value);
        return read(file, source, g, options);
    }

    /** Reads the file, else the source's text, with the overrides given and the options' environment. */
    static Soak read(Path file, ScenarioSource src, Map<String, Object> given, RunOptions options) {
        Overrides o = overrides(given, options.env());
        try {
            if (file != null) {
                Scenario sc = ScenarioReader.read(file, o);
                byte[] text = java.nio.file.Files.readAllBytes(file);
                return new Soak(sc, ScenarioSource.file(file, text, o.rate()), file, given, options);
            }
            Scenario sc = ScenarioReader.read(src.origin(), "scenario", new StringReader(new String(src.text(), StandardCharsets.UTF_8)), o, src.baseDir());
            return new Soak(sc, new ScenarioSource(src.origin(), src.text(), src.baseDir(), o.rate()), null, given, options);
        } catch (ScenarioException e) {
            throw new InvalidScenarioException(e.problems());
        } catch (IOException e) {
            throw new InvalidScenarioException(java.util.List.of(file + ": " + e.getMessage()));
        }
    }

    private static Overrides overrides(Map<String, Object> g, Map<String, String> env) {
        return new Overrides(opt(g, "targetUrl"), Optional.empty(), opt(g, "dbUrl"), opt(g, "dbUser"), Optional.empty(), opt(g, "duration"),
                opt(g, "rate"), opt(g, "seed"), env);
    }

    @SuppressWarnings("unchecked")
    private static <T> Optional<T> opt(Map<String, Object> g, String key) {
        return Optional.ofNullable((T) g.get(key));
    }
}
