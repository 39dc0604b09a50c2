package io.longrun.cli;

import io.longrun.run.Resumption;
import io.longrun.scenario.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code longrun resume RUN_DIR}: continues a run whose runner died (SIGKILL, OOM, a reboot) until its planned end. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue a run whose runner died, until its planned end: the same scenario (its copy), seed and ids; "
                + "the events that fell due while it was down count as missed.")
final class ResumeCommand implements Callable<Integer> {
    @ParentCommand
    Longrun parent;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "the run's folder (runs/<name>-<time>), or its run.jsonl")
    Path runDir;

    @Mixin
    ScenarioOptions options = new ScenarioOptions();

    @Mixin
    RunFlags flags = new RunFlags();

    @Override
    public Integer call() throws Exception {
        return resume(parent.ctx, spec.commandLine(), options, flags, runDir);
    }

    /** {@code run --resume RUN_DIR}: the same, refusing what only a new run takes. */
    static int resume(CliContext ctx, CommandLine cmd, RunCommand run, Path runDir) throws Exception {
        if (run.scenario != null) throw new CommandLine.ParameterException(cmd, "--resume takes no SCENARIO.yaml: the run's own copy is used");
        if (run.format != null) throw new CommandLine.ParameterException(cmd, "--resume: --format is the first segment's");
        return resume(ctx, cmd, run.options, run.flags, runDir);
    }

    private static int resume(CliContext ctx, CommandLine cmd, ScenarioOptions o, RunFlags f, Path runDir) throws Exception {
        List<String> refused = new ArrayList<>();
        if (o.duration != null) refused.add("--duration");
        if (o.rate != null) refused.add("--rate");
        if (o.seed != null) refused.add("--seed");
        if (f.scenarioId != null) refused.add("--scenario-id");
        if (f.logFile != null) refused.add("--log-file");
        if (f.dryRun) refused.add("--dry-run");
        if (f.record != null) refused.add("--record");
        if (!refused.isEmpty())
            throw new CommandLine.ParameterException(cmd, "a resumed run keeps the first segment's schedule, ids and run log: "
                    + String.join(", ", refused) + " cannot be given to a resume");
        o.check(cmd, ctx.workDir()); // --classpath: the scenario copy's user formats are looked up there
        Resumption earlier = Resumption.read(ctx.workDir().resolve(runDir));
        Scenario sc = earlier.scenario(new Resumption.Given(Optional.ofNullable(o.service.targetUrl), Optional.ofNullable(o.service.healthUrl),
                Optional.ofNullable(o.service.db.url), Optional.ofNullable(o.service.db.user), Optional.ofNullable(o.service.db.passwordEnv)), ctx.env());
        io.longrun.run.RunOptions opt = f.options(ctx).build();
        return io.longrun.api.Soak.resumed(earlier, sc, opt).run().exitCode();
    }
}
