package io.longrun.cli;

import io.longrun.db.EmbeddedDb;
import io.longrun.api.Soak;
import io.longrun.run.RunResult;
import io.longrun.scenario.Overrides;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.ScenarioReader;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code longrun demo}: embedded PostgreSQL, the reference target, scenarios/demo.yaml and a summary; with
 * {@code --experiment}, a fault experiment: the target reaches PostgreSQL through longrun's proxy, and
 * scenarios/demo-experiment.yaml adds database latency for a while, then judges the recovery.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "See longrun work with nothing installed: an embedded PostgreSQL, the reference target, a short soak, a summary. "
                + "--experiment: a three-phase fault experiment (15 s baseline, 15 s of 200 ms database latency, 20 s to recover) and its verdict.")
final class DemoCommand implements Callable<Integer> {
    static final String SCENARIO = "scenarios/demo.yaml", EXPERIMENT = "scenarios/demo-experiment.yaml";

    @ParentCommand
    Longrun parent;

    @Option(names = "--duration", paramLabel = "DUR", converter = DurationConverter.class, description = "how long the soak runs (default: the scenario's, 60s)")
    Duration duration;

    @Option(names = "--quiet", description = "no live progress; alerts and the summary only")
    boolean quiet;

    @Option(names = "--experiment", description = "a fault experiment instead of a soak: database latency through a proxy, then the recovery verdict")
    boolean experiment;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = parent.ctx;
        if (experiment) {
            if (duration != null) throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--duration is the soak demo's; the experiment's length is its phases' (15s + 15s + 20s)");
            return DemoExperiment.run(ctx, quiet);
        }
        ctx.out().println("starting an embedded PostgreSQL and the reference target ...");
        try (EmbeddedDb db = EmbeddedDb.start();
             TargetServer target = TargetServer.start(0, db.settings(), Faults.NONE, ctx.env())) {
            Overrides o = new Overrides(Optional.of(target.baseUrl() + "/event"), Optional.of(target.baseUrl() + "/health"),
                    Optional.of(db.url()), Optional.of("postgres"), Optional.empty(), Optional.ofNullable(duration),
                    Optional.empty(), Optional.empty(), ctx.env());
            Scenario sc;
            try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(SCENARIO);
                 Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                sc = ScenarioReader.read(SCENARIO, "demo", r, o);
            }
            ctx.out().println("PostgreSQL on port " + db.port() + ", target on " + target.baseUrl());
            RunFlags flags = new RunFlags();
            flags.quiet = quiet;
            return Soak.of(sc, null, flags.options(ctx).build()).run().exitCode();
        }
    }
}
