package io.longrun.cli;

import io.longrun.api.Soak;
import io.longrun.scenario.Scenario;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code longrun run SCENARIO.yaml}, or a quick run: a soak against a target, with watchers and stop criteria. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a scenario against a target: generate, deliver, watch, stop on criteria.")
final class RunCommand extends ScenarioCommand implements Callable<Integer> {
    @Mixin
    RunFlags flags = new RunFlags();

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "continue a run whose runner died (the same as longrun resume RUN_DIR)")
    Path resume;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = parent.ctx;
        if (resume != null) return ResumeCommand.resume(ctx, spec.commandLine(), this, resume);
        Scenario sc = scenario();
        return Soak.of(sc, source(), flags.options(ctx).build()).run().exitCode();
    }
}
