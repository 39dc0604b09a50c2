package io.longrun.run;

import io.longrun.scenario.ScenarioSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How to run, beyond the scenario: where the run log goes, what the console shows, and the switches of
 * {@code longrun run}. Built with {@link #builder()}; every field has a default, so a builder is never incomplete.
 */
public final class RunOptions {
    private final Optional<String> scenarioId;
    private final Optional<Path> logFile;
    private final Optional<Path> routesDir;
    private final boolean quiet;
    private final boolean terminal;
    private final Path runsDir;
    private final Map<String, String> env;
    private final PrintStream out;
    private final boolean handleSignals;
    private final boolean dryRun;
    private final boolean strict;
    private final boolean strictTimeouts;
    private final Optional<Path> record;
    private final Optional<String> onAlert;
    private final Optional<Path> junit;
    private final int metricsPort;
    private final Optional<ScenarioSource> source;
    private final RunControl control;
    private final Consumer<LiveRun> onStart;
    private final io.longrun.pace.Clock clock;
    private final java.time.Duration metricsLinger;
    private final ShardedRun shards;
    private final Optional<io.longrun.coord.Coordinate> coordinate;

    private RunOptions(Builder b) {
        scenarioId = b.scenarioId;
        logFile = b.logFile;
        routesDir = b.routesDir;
        quiet = b.quiet;
        terminal = b.terminal;
        runsDir = b.runsDir;
        env = Map.copyOf(b.env);
        out = b.out;
        handleSignals = b.handleSignals;
        dryRun = b.dryRun;
        strict = b.strict || b.strictTimeouts;
        strictTimeouts = b.strictTimeouts;
        record = b.record;
        onAlert = b.onAlert.filter(c -> !c.isBlank());
        junit = b.junit;
        metricsPort = b.metricsPort;
        source = b.source;
        control = b.control;
        onStart = b.onStart;
        clock = b.clock;
        metricsLinger = b.metricsLinger;
        shards = b.shards;
        coordinate = b.coordinate;
    }

    /** A builder with the defaults: runs under ./runs, console to standard output, no metrics server, no signal handling. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.scenarioId = scenarioId;
        b.logFile = logFile;
        b.routesDir = routesDir;
        b.quiet = quiet;
        b.terminal = terminal;
        b.runsDir = runsDir;
        b.env = env;
        b.out = out;
        b.handleSignals = handleSignals;
        b.dryRun = dryRun;
        b.strict = strict;
        b.strictTimeouts = strictTimeouts;
        b.record = record;
        b.onAlert = onAlert;
        b.junit = junit;
        b.metricsPort = metricsPort;
        b.source = source;
        b.control = control;
        b.onStart = onStart;
        b.clock = clock;
        b.metricsLinger = metricsLinger;
        b.shards = shards;
        b.coordinate = coordinate;
        return b;
    }

    /** The same options, with the scenario's source kept for a resume. */
    public RunOptions withSource(ScenarioSource s) {
        return toBuilder().source(s).build();
    }

    public Optional<String> scenarioId() { return scenarioId; }
    public Optional<Path> logFile() { return logFile; }
    public Optional<Path> routesDir() { return routesDir; }
    public boolean quiet() { return quiet; }
    public boolean terminal() { return terminal; }
    public Path runsDir() { return runsDir; }
    public Map<String, String> env() { return env; }
    public PrintStream out() { return out; }
    public boolean handleSignals() { return handleSignals; }
    public boolean dryRun() { return dryRun; }
    public boolean strict() { return strict; }
    public boolean strictTimeouts() { return strictTimeouts; }
    public Optional<Path> record() { return record; }
    public Optional<String> onAlert() { return onAlert; }
    public Optional<Path> junit() { return junit; }
    public int metricsPort() { return metricsPort; }
    public Optional<ScenarioSource> source() { return source; }

    /** Who may stop the run from outside (a caller of the API): its stop request drains the run as a signal would. */
    public Optional<RunControl> control() { return Optional.ofNullable(control); }

    /** Told once, when time zero is set, what the run's live figures are read from. */
    public Consumer<LiveRun> onStart() { return onStart; }

    /** The clock the run reads and waits on (the system's, but for tests). */
    public io.longrun.pace.Clock clock() { return clock; }

    /** How long the metrics stay served after the run, for the last scrape ({@code --metrics-linger}). */
    public java.time.Duration metricsLinger() { return metricsLinger; }

    /** This runner's shard of the schedule ({@code --shard}, {@code --start-at}); the whole schedule by default. */
    public ShardedRun shards() { return shards; }

    /**
     * Where the shards of a sharded run meet ({@code --coordinate}): one of them leads the watchers and judges the
     * criteria on all shards' outcomes, and an abort stops them all. Empty: every shard watches and judges alone.
     */
    public Optional<io.longrun.coord.Coordinate> coordinate() { return coordinate; }

    /** The live side of a run: its id, its run log, and the outcomes its delivery counts into. */
    public record LiveRun(String runId, Path runLog, io.longrun.deliver.Outcomes outcomes) {}

    /** Sets the options one at a time; {@link #build()} copies them into an immutable {@link RunOptions}. */
    public static final class Builder {
        private Optional<String> scenarioId = Optional.empty();
        private Optional<Path> logFile = Optional.empty();
        private Optional<Path> routesDir = Optional.empty();
        private boolean quiet;
        private boolean terminal;
        private Path runsDir = Path.of("runs");
        private Map<String, String> env = System.getenv();
        private PrintStream out = System.out;
        private boolean handleSignals;
        private boolean dryRun;
        private boolean strict;
        private boolean strictTimeouts;
        private Optional<Path> record = Optional.empty();
        private Optional<String> onAlert = Optional.empty();
        private Optional<Path> junit = Optional.empty();
        private int metricsPort;
        private Optional<ScenarioSource> source = Optional.empty();
        private RunControl control;
        private Consumer<LiveRun> onStart = live -> {};
        private io.longrun.pace.Clock clock = io.longrun.pace.Clock.SYSTEM;
        private java.time.Duration metricsLinger = io.longrun.metrics.MetricsLinger.DEFAULT;
        private ShardedRun shards = ShardedRun.none();
        private Optional<io.longrun.coord.Coordinate> coordinate = Optional.empty();

        private Builder() {}

        public Builder scenarioId(Optional<String> v) { scenarioId = v; return this; }
        public Builder logFile(Optional<Path> v) { logFile = v; return this; }
        public Builder routesDir(Optional<Path> v) { routesDir = v; return this; }
        public Builder quiet(boolean v) { quiet = v; return this; }
        public Builder terminal(boolean v) { terminal = v; return this; }
        public Builder runsDir(Path v) { runsDir = v; return this; }
        public Builder env(Map<String, String> v) { env = v; return this; }
        public Builder out(PrintStream v) { out = v; return this; }
        public Builder handleSignals(boolean v) { handleSignals = v; return this; }
        public Builder dryRun(boolean v) { dryRun = v; return this; }
        /** The first failed delivery ends the run (exit 3). */
        public Builder strict(boolean v) { strict = v; return this; }
        /** With strict, a time-out counts as a failed delivery too (and turns strict on). */
        public Builder strictTimeouts(boolean v) { strictTimeouts = v; return this; }
        public Builder record(Optional<Path> v) { record = v; return this; }
        public Builder onAlert(Optional<String> v) { onAlert = v; return this; }
        public Builder junit(Optional<Path> v) { junit = v; return this; }
        /** 0: no metrics server. */
        public Builder metricsPort(int v) { metricsPort = v; return this; }
        public Builder source(ScenarioSource v) { source = Optional.ofNullable(v); return this; }
        public Builder control(RunControl v) { control = v; return this; }
        public Builder onStart(Consumer<LiveRun> v) { onStart = v; return this; }

        public Builder clock(io.longrun.pace.Clock v) { clock = v; return this; }
        public Builder metricsLinger(java.time.Duration v) { metricsLinger = v; return this; }
        public Builder shards(ShardedRun v) { shards = v; return this; }
        /** Coordinates this shard with the others through a store ({@code file:/shared/dir} or {@code jdbc:postgresql://...}). */
        public Builder coordinate(Optional<io.longrun.coord.Coordinate> v) { coordinate = v; return this; }
        /**
         * The same from its URL.
         *
         * @throws IllegalArgumentException not a coordination store's URL, with what to write instead
         */
        public Builder coordinate(String url) { coordinate = Optional.of(io.longrun.coord.Coordinate.parse(url)); return this; }

        public RunOptions build() {
            return new RunOptions(this);
        }
    }
}
