package io.longrun.cli;

import io.longrun.run.RunController;
import io.longrun.run.RunResult;
import io.longrun.scenario.Scenario;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code longrun run SCENARIO.yaml}: a soak against a target, with watchers and stop criteria. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a scenario against a target: generate, deliver, watch, stop on criteria.")
final class RunCommand extends ScenarioCommand implements Callable<Integer> {
    @Option(names = "--scenario-id", paramLabel = "ID", description = "sent as X-Scenario-Id (default: $LONGRUN_SCENARIO, else the run id)")
    String scenarioId;

    @Option(names = "--log-file", paramLabel = "FILE", description = "the JSONL run log (default: runs/<name>-<UTC time>/run.jsonl)")
    Path logFile;

    @Option(names = "--routes", paramLabel = "DIR", description = "a folder of your own Camel YAML routes to load beside longrun's")
    Path routes;

    @Option(names = "--quiet", description = "no live progress; alerts and the summary only")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = parent.ctx;
        Scenario sc = scenario();
        return run(ctx, sc, scenarioId, logFile, routes, quiet).exitCode();
    }

    static RunResult run(CliContext ctx, Scenario sc, String scenarioId, Path logFile, Path routes, boolean quiet) throws Exception {
        Optional<String> id = Optional.ofNullable(scenarioId).or(() -> Optional.ofNullable(ctx.env("LONGRUN_SCENARIO")));
        RunController.Options opt = new RunController.Options(id, Optional.ofNullable(logFile).map(ctx.workDir()::resolve),
                Optional.ofNullable(routes).map(ctx.workDir()::resolve), quiet, ctx.terminal(), ctx.workDir().resolve("runs"),
                ctx.env(), ctx.out(), ctx.handleSignals());
        return new RunController(ctx.clock()).run(sc, opt);
    }
}
