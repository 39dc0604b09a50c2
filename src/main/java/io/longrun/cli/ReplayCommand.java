package io.longrun.cli;

import io.longrun.replay.ReplaySpec;
import io.longrun.run.BadInput;
import io.longrun.api.Soak;
import io.longrun.scenario.Durations;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.ScenarioReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code longrun replay FILE... --target-url URL}: recorded events, at their pace or another, with the run's watchers. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay recorded events (NDJSON or CSV, longrun --record files too), merged by timestamp, at their pace, faster, or at a fixed rate.")
final class ReplayCommand implements Callable<Integer> {
    @ParentCommand
    Longrun parent;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "recordings: NDJSON (a JSON object per line) or CSV with a header row")
    List<Path> files = new ArrayList<>();

    @Option(names = "--scenario", paramLabel = "S.yaml", description = "take the target, database, watch and stop_when from this scenario (its emitters are not used)")
    Path scenario;

    @Mixin
    ScenarioOptions options = new ScenarioOptions();

    @Mixin
    RunFlags flags = new RunFlags();

    @Option(names = "--speed", paramLabel = "X", defaultValue = "1", description = "the recorded gaps divided by X (default: ${DEFAULT-VALUE}, the recorded pace)")
    double speed;

    @Option(names = "--rebase", paramLabel = "now", description = "now: stamp the first event with the moment it is sent, keeping the gaps")
    String rebase;

    @Option(names = "--new-ids", description = "give every event a fresh id")
    boolean newIds;

    @Option(names = "--loop", paramLabel = "N", defaultValue = "1", description = "play the recordings N times (default: ${DEFAULT-VALUE})")
    int loop;

    @Option(names = "--max-wait", paramLabel = "DUR", converter = DurationConverter.class, description = "cap every gap at DUR, e.g. 5s")
    Duration maxWait;

    @Option(names = "--timestamp-field", paramLabel = "PATH", description = "where the timestamp is: a dotted JSON path or a CSV column (default: timestamp, ts, time or @timestamp)")
    String timestampField;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = parent.ctx;
        options.check(spec.commandLine(), ctx.workDir());
        if (!(speed > 0)) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--speed must be greater than 0, got " + speed);
        if (loop < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--loop must be at least 1, got " + loop);
        if (rebase != null && !rebase.equals("now")) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rebase takes now, got " + rebase);
        if (options.rate != null && speed != 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --speed or --rate, not both");
        List<Path> paths = new ArrayList<>();
        for (Path f : files) {
            Path p = ctx.workDir().resolve(f);
            if (!Files.isRegularFile(p)) throw new BadInput(f + ": no such recording");
            paths.add(p);
        }
        ReplaySpec r = new ReplaySpec(paths, speed, Optional.ofNullable(options.rate), Optional.ofNullable(maxWait), loop, rebase != null, newIds,
                Optional.ofNullable(timestampField), flags.strict);
        // --rate is the replay's pace here, not a plateau to share among emitters
        Double rate = options.rate;
        options.rate = null;
        Scenario base;
        try {
            if (scenario != null) {
                base = options.service.applyTo(ScenarioReader.read(ctx.workDir().resolve(scenario), options.overrides(ctx)), ctx, spec.commandLine());
            } else {
                String yaml = "name: replay\nduration: 1s\nemitters: [ { name: replay, rate: 1 } ]\n";
                base = ScenarioReader.read("(replay)", "replay", new java.io.StringReader(yaml), options.overrides(ctx));
            }
        } finally {
            options.rate = rate;
        }
        Duration duration = options.duration != null ? options.duration : Scenario.UNTIL_DONE;
        Scenario sc = new Scenario(base.name(), duration, base.seed(), base.tick(), base.target(), base.database(),
                List.of(ScenarioReader.replayEmitter("replay", r)), base.watch(), base.stopWhen(), base.runbook());
        if (!flags.quiet) ctx.out().println("replaying " + paths.size() + " recording(s)" + (duration.equals(Scenario.UNTIL_DONE) ? ""
                : " for " + Durations.format(duration)) + (r.rate().isPresent() ? " at " + r.rate().get() + "/s" : " at " + speed + "x their pace"));
        return Soak.of(sc, null, flags.options(ctx).build()).run().exitCode();
    }
}
