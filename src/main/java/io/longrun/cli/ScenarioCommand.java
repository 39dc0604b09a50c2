package io.longrun.cli;

import io.longrun.scenario.Scenario;
import io.longrun.scenario.ScenarioException;
import io.longrun.scenario.ScenarioReader;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What run and validate share: the scenario file and the flags that override it. */
abstract class ScenarioCommand {
    @ParentCommand
    Longrun parent;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO.yaml", description = "the scenario file")
    Path scenario;

    @Mixin
    ScenarioOptions options = new ScenarioOptions();

    /** The scenario with the flags and the environment applied; every problem at once. */
    Scenario scenario() throws ScenarioException {
        options.check(spec.commandLine());
        return ScenarioReader.read(parent.ctx.workDir().resolve(scenario), options.overrides(parent.ctx));
    }
}
