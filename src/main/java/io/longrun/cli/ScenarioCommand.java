package io.longrun.cli;

import io.longrun.scenario.Scenario;
import io.longrun.scenario.ScenarioException;
import io.longrun.scenario.ScenarioReader;
import io.longrun.scenario.ScenarioSource;
import java.util.Optional;
import java.nio.file.Path;
import java.util.List;
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

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO.yaml",
            description = "the scenario file; without one, a quick run: --target-url, --rate and --duration (and --format)")
    Path scenario;

    @Mixin
    ScenarioOptions options = new ScenarioOptions();

    @picocli.CommandLine.Option(names = "--format", paramLabel = "F", description = "quick run only: the event format (default: agingos-event)")
    String format;

    /** The scenario with the flags and the environment applied; every problem at once. */
    Scenario scenario() throws ScenarioException {
        options.check(spec.commandLine(), parent.ctx.workDir());
        if (scenario != null) {
            if (format != null) throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--format is for a quick run without a scenario file; set format: in " + scenario);
            return options.service.applyTo(ScenarioReader.read(parent.ctx.workDir().resolve(scenario), options.overrides(parent.ctx)),
                    parent.ctx, spec.commandLine());
        }
        // A quick run, as hey or vegeta: one emitter at --rate for --duration against --target-url.
        List<String> missing = new java.util.ArrayList<>();
        if (options.service.targetUrl == null && parent.ctx.env("LONGRUN_TARGET_URL") == null) missing.add("--target-url");
        if (options.rate == null) missing.add("--rate");
        if (options.duration == null) missing.add("--duration");
        if (!missing.isEmpty()) throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "give a SCENARIO.yaml, or for a quick run " + String.join(", ", missing));
        String yaml = "name: quick\nemitters:\n  - name: quick\n    format: " + (format == null ? "agingos-event" : format) + "\n    rate: 1\n";
        quickYaml = yaml;
        return ScenarioReader.read("(quick run)", "quick", new java.io.StringReader(yaml), options.overrides(parent.ctx));
    }

    private String quickYaml;

    /** What {@link #scenario()} read, kept by the run for a resume: the file's bytes, or the quick run's YAML. */
    ScenarioSource source() throws java.io.IOException {
        Optional<Double> rate = Optional.ofNullable(options.rate);
        if (scenario == null)
            return new ScenarioSource("(quick run)", quickYaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), parent.ctx.workDir(), rate);
        Path file = parent.ctx.workDir().resolve(scenario);
        return ScenarioSource.file(file, java.nio.file.Files.readAllBytes(file), rate);
    }
}
