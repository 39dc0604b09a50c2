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
    /** The values, held once: a private copy of the builder that made them, never handed out nor changed. */
    private final Builder v;

    private RunOptions(Builder b) {
        v = b.copy();
        v.env = Map.copyOf(b.env);
        v.strict = b.strict || b.strictTimeouts;
        v.onAlert = b.onAlert.filter(c -> !c.isBlank());
    }

    /** A builder with the defaults: runs under ./runs, console to standard output, no metrics server, no signal handling. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        return v.copy();
    }

    /** The same options, with the scenario's source kept for a resume. */
    public RunOptions withSource(ScenarioSource s) {
        return toBuilder().source(s).build();
    }

    public Optional<String> scenarioId() { return v.scenarioId; }
    public Optional<Path> logFile() { return v.logFile; }
    public Optional<Path> routesDir() { return v.routesDir; }
    public boolean quiet() { return v.quiet; }
    public boolean terminal() { return v.terminal; }
    public Path runsDir() { return v.runsDir; }
    public Map<String, String> env() { return v.env; }
    public PrintStream out() { return v.out; }
    public boolean handleSignals() { return v.handleSignals; }
    public boolean dryRun() { return v.dryRun; }
    public boolean strict() { return v.strict; }
    public boolean strictTimeouts() { return v.strictTimeouts; }
    public Optional<Path> record() { return v.record; }
    public Optional<String> onAlert() { return v.onAlert; }
    public Optional<Path> junit() { return v.junit; }
    public int metricsPort() { return v.metricsPort; }
    public Optional<ScenarioSource> source() { return v.source; }

    /** Who may stop the run from outside (a caller of the API): its stop request drains the run as a signal would. */
    public Optional<RunControl> control() { return Optional.ofNullable(v.control); }

    /** Told once, when time zero is set, what the run's live figures are read from. */
    public Consumer<LiveRun> onStart() { return v.onStart; }

    /** The clock the run reads and waits on (the system's, but for tests). */
    public io.longrun.pace.Clock clock() { return v.clock; }

    /** How long the metrics stay served after the run, for the last scrape ({@code --metrics-linger}). */
    public java.time.Duration metricsLinger() { return v.metricsLinger; }

    /** This runner's shard of the schedule ({@code --shard I/N}); the whole schedule by default. */
    public io.longrun.shard.Shard shard() { return v.shard; }

    /** When the schedule starts, the same for every shard ({@code --start-at}); empty: as soon as the run is ready. */
    public Optional<java.time.Instant> startAt() { return v.startAt; }

    /** The shard and start time, made anew for each run (a {@link ShardedRun} keeps the state of the one run it serves). */
    public ShardedRun shards() { return new ShardedRun(v.shard, v.startAt); }

    /**
     * Where the shards of a sharded run meet ({@code --coordinate}): one of them leads the watchers and judges the
     * criteria on all shards' outcomes, and an abort stops them all. Empty: every shard watches and judges alone.
     */
    public Optional<io.longrun.coord.Coordinate> coordinate() { return v.coordinate; }

    /** The live side of a run: its id, its run log, and the outcomes its delivery counts into. */
    public record LiveRun(String runId, Path runLog, io.longrun.deliver.Outcomes outcomes) {}

    /** Sets the options one at a time; {@link #build()} copies them into an immutable {@link RunOptions}. */
    public static final class Builder implements Cloneable {
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
        private io.longrun.shard.Shard shard = io.longrun.shard.Shard.ALL;
        private Optional<java.time.Instant> startAt = Optional.empty();
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
        /** Sends only this shard of the schedule ({@code --shard I/N}); {@link io.longrun.shard.Shard#ALL} by default. */
        public Builder shard(io.longrun.shard.Shard v) { shard = java.util.Objects.requireNonNull(v, "shard"); return this; }
        /** Starts the schedule at this instant ({@code --start-at}); empty: as soon as the run is ready. */
        public Builder startAt(Optional<java.time.Instant> v) { startAt = v; return this; }
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

        /** A copy: every field is an immutable value, so a shallow one. */
        private Builder copy() {
            try {
                return (Builder) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
