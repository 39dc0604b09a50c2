package io.longrun.cli;

import io.longrun.run.RunController;
import io.longrun.scenario.Scenario;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code longrun run SCENARIO.yaml}, or a quick run: a soak against a target, with watchers and stop criteria. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a scenario against a target: generate, deliver, watch, stop on criteria.")
final class RunCommand extends ScenarioCommand implements Callable<Integer> {
    @Mixin
    RunFlags flags = new RunFlags();

    @Override
    public Integer call() throws Exception {
        CliContext ctx = parent.ctx;
        Scenario sc = scenario();
        return new RunController(ctx.clock()).run(sc, flags.options(ctx)).exitCode();
    }
}
