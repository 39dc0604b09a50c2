package io.longrun.cli;

import io.longrun.run.RunOptions;
import io.longrun.run.ShardedRun;
import io.longrun.shard.Shard;
import java.time.Instant;
import picocli.CommandLine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The flags of a run that are not about the scenario: run and replay take the same. */
final class RunFlags {
    @Option(names = "--scenario-id", paramLabel = "ID", description = "sent as X-Scenario-Id (default: $LONGRUN_SCENARIO, else the run id)")
    String scenarioId;

    @Option(names = "--log-file", paramLabel = "FILE", description = "the JSONL run log (default: runs/<name>-<UTC time>/run.jsonl)")
    Path logFile;

    @Option(names = "--routes", paramLabel = "DIR", description = "a folder of your own Camel YAML routes to load beside longrun's")
    Path routes;

    @Option(names = "--quiet", description = "no live progress; alerts and the summary only")
    boolean quiet;

    @Option(names = "--dry-run", description = "print and log the plan per tick (n, eff_eps) and the totals; send nothing")
    boolean dryRun;

    @Option(names = "--strict", description = "the first failed delivery (5xx, refused connection) ends the run with exit 3")
    boolean strict;

    @Option(names = "--strict-timeouts", description = "with --strict, a time-out counts as a failed delivery too")
    boolean strictTimeouts;

    @Option(names = "--record", paramLabel = "FILE.ndjson", description = "write every event sent, its due and send times and its outcome, for replay")
    Path record;

    @Option(names = "--on-alert", paramLabel = "CMD", description = "run CMD (with sh -c) on every alert; the alert is in LONGRUN_ALERT_* variables")
    String onAlert;

    @Option(names = "--junit", paramLabel = "FILE.xml", description = "write the assertions and the stop criteria that fired as a JUnit XML report")
    Path junit;

    @Option(names = "--metrics-port", paramLabel = "P", description = "serve Prometheus metrics at http://127.0.0.1:P/observe/metrics "
            + "(default: $LONGRUN_METRICS_PORT, else 9876; 0 turns them off)")
    Integer metricsPort;

    @Option(names = "--metrics-linger", paramLabel = "DUR", converter = DurationConverter.OrZero.class, description = "after a fault experiment, "
            + "keep the metrics endpoint up until the next scrape reads the verdict, at most DUR (default 1m; 0: not at all); only when it was scraped "
            + "during the run")
    Duration metricsLinger;
    @Option(names = "--shard", paramLabel = "I/N", converter = ShardConverter.class, description = "send only shard I of N of the schedule "
            + "(the events whose index mod N is I; ids, seed and scenario id stay the global run's): run N processes, 0/N to N-1/N")
    Shard shard;

    @Option(names = "--start-at", paramLabel = "TIME", converter = StartAtConverter.class, description = "start the schedule at this UTC time, "
            + "e.g. 2026-11-30T18:30:00Z (the same for every shard); a shard up later counts what is already due as missed")
    Instant startAt;

    @Option(names = "--coordinate", paramLabel = "URL", converter = CoordinateConverter.class, description = "with --shard: the shards meet in "
            + "this store, file:/shared/dir (one host or a shared volume) or jdbc:postgresql://host:5432/db (user and password from PGUSER and "
            + "PGPASSWORD); one shard leads the watchers and judges the criteria on all shards' outcomes, and an abort stops every shard. Without "
            + "it every shard watches and judges its own share alone")
    io.longrun.coord.Coordinate coordinate;

    static final class CoordinateConverter implements CommandLine.ITypeConverter<io.longrun.coord.Coordinate> {
        @Override
        public io.longrun.coord.Coordinate convert(String value) {
            try {
                return io.longrun.coord.Coordinate.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** --coordinate, a file: store's folder resolved against the working folder. */
    Optional<io.longrun.coord.Coordinate> coordinate(CliContext ctx) {
        if (coordinate == null) return Optional.empty();
        if (coordinate.kind() != io.longrun.coord.Coordinate.Kind.FILE) return Optional.of(coordinate);
        return Optional.of(new io.longrun.coord.Coordinate(coordinate.kind(), coordinate.folder(ctx.workDir()).toString()));
    }

    /** Which shard this run is, and when its schedule starts. */
    ShardedRun shards() {
        return new ShardedRun(shard == null ? Shard.ALL : shard, Optional.ofNullable(startAt));
    }

    static final class ShardConverter implements CommandLine.ITypeConverter<Shard> {
        @Override
        public Shard convert(String value) {
            try {
                return Shard.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** 2026-11-30T18:30:00Z, or with an offset (+01:00), or without one (read as UTC). */
    static final class StartAtConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            String v = value.trim();
            try {
                return java.time.OffsetDateTime.parse(v).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                try {
                    return java.time.LocalDateTime.parse(v).toInstant(java.time.ZoneOffset.UTC);
                } catch (java.time.format.DateTimeParseException e2) {
                    throw new CommandLine.TypeConversionException("not a UTC time: '" + value + "' (write e.g. 2026-11-30T18:30:00Z)");
                }
            }
        }
    }

    int metricsPort(CliContext ctx) {
        if (metricsPort != null) return metricsPort;
        String env = ctx.env("LONGRUN_METRICS_PORT");
        if (env == null || env.isBlank()) return io.longrun.metrics.Metrics.DEFAULT_PORT;
        try {
            return Integer.parseInt(env.trim());
        } catch (NumberFormatException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "LONGRUN_METRICS_PORT: not a port number: \"" + env + "\"");
        }
    }

    RunOptions.Builder options(CliContext ctx) {
        Optional<String> id = Optional.ofNullable(scenarioId).or(() -> Optional.ofNullable(ctx.env("LONGRUN_SCENARIO")));
        return RunOptions.builder().scenarioId(id).logFile(Optional.ofNullable(logFile).map(ctx.workDir()::resolve))
                .routesDir(Optional.ofNullable(routes).map(ctx.workDir()::resolve)).quiet(quiet).terminal(ctx.terminal())
                .runsDir(ctx.workDir().resolve("runs")).env(ctx.env()).out(ctx.out()).handleSignals(ctx.handleSignals()).dryRun(dryRun)
                .strict(strict).strictTimeouts(strictTimeouts).record(Optional.ofNullable(record).map(ctx.workDir()::resolve))
                .onAlert(Optional.ofNullable(onAlert)).junit(Optional.ofNullable(junit).map(ctx.workDir()::resolve)).metricsPort(metricsPort(ctx)).clock(ctx.clock())
                .metricsLinger(metricsLinger == null ? io.longrun.metrics.MetricsLinger.DEFAULT : metricsLinger).shards(shards())
                .coordinate(coordinate(ctx));
    }
}
