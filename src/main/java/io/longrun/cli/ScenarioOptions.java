package io.longrun.cli;

import io.longrun.scenario.Overrides;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The flags that override a scenario file (run and validate): where the service is, and the schedule. */
final class ScenarioOptions {
    @Mixin
    ServiceOptions service = new ServiceOptions();

    @Option(names = "--duration", paramLabel = "DUR", converter = DurationConverter.class, description = "how long to run: 90s, 15m, 6h")
    Duration duration;

    @Option(names = "--rate", paramLabel = "EPS", description = "total events per second at the plateau, shared among emitters as in the file")
    Double rate;

    @Option(names = "--seed", paramLabel = "N", description = "seed of every random choice (default: the file's, else a random one, logged)")
    Long seed;

    @Option(names = "--classpath", paramLabel = "PATH", description = "jars and folders (':'-separated) where user formats' classes (format: { class: ... }) are looked up")
    String classpath;

    Overrides overrides(CliContext ctx) {
        return new Overrides(Optional.ofNullable(service.targetUrl), Optional.ofNullable(service.healthUrl), Optional.ofNullable(service.db.url),
                Optional.ofNullable(service.db.user), Optional.ofNullable(service.db.passwordEnv), Optional.ofNullable(duration),
                Optional.ofNullable(rate), Optional.ofNullable(seed), ctx.env());
    }

    /** Checks that cannot be expressed as picocli types. */
    void check(picocli.CommandLine cmd, java.nio.file.Path workDir) {
        if (rate != null && !(rate > 0))
            throw new picocli.CommandLine.ParameterException(cmd, "--rate must be greater than 0, got " + rate);
        if (classpath != null) {
            StringBuilder resolved = new StringBuilder();
            for (String p : classpath.split(java.io.File.pathSeparator)) {
                if (p.isBlank()) continue;
                java.nio.file.Path path = workDir.resolve(p);
                if (!java.nio.file.Files.exists(path))
                    throw new picocli.CommandLine.ParameterException(cmd, "--classpath: no such jar or folder: " + p);
                resolved.append(path).append(java.io.File.pathSeparator);
            }
            io.longrun.generate.UserFormat.addClasspath(resolved.toString());
        }
    }
}
