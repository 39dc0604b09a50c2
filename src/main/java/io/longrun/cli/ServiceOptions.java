package io.longrun.cli;

import io.longrun.scenario.FaultEngineSpec;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.ScenarioReader;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the service under test is: its URLs, its database, and the Toxiproxy server its network faults go to. run,
 * validate, replay, resume and suite share them, so that a suite runs each experiment as {@code longrun run} would.
 */
final class ServiceOptions {
    /** The environment variable that points every scenario's network faults at a Toxiproxy server (as docker-compose.yml's). */
    static final String TOXIPROXY_ENV = "LONGRUN_TOXIPROXY";

    @Option(names = "--target-url", paramLabel = "URL", description = "where events are posted (default: target.url, then $LONGRUN_TARGET_URL)")
    String targetUrl;

    @Option(names = "--health-url", paramLabel = "URL", description = "the target's health endpoint (default: target.health_url)")
    String healthUrl;

    @Mixin
    DbOptions db = new DbOptions();

    @Option(names = "--toxiproxy", paramLabel = "URL", description = "apply the scenario's network faults through the Toxiproxy API at URL "
            + "(or longrun proxy's) instead of its fault_engine (default: $" + TOXIPROXY_ENV + ", else the file's)")
    String toxiproxy;

    /** The Toxiproxy URL given by the flag, else by the environment; empty when neither gives one. */
    Optional<String> toxiproxy(CliContext ctx) {
        return Optional.ofNullable(toxiproxy).or(() -> Optional.ofNullable(ctx.env(TOXIPROXY_ENV)));
    }

    /**
     * The scenario with its fault engine replaced when --toxiproxy or $LONGRUN_TOXIPROXY says so; a scenario without
     * proxies is left as it is.
     */
    Scenario applyTo(Scenario sc, CliContext ctx, picocli.CommandLine cmd) {
        Optional<String> url = toxiproxy(ctx);
        if (url.isEmpty() || sc.proxies().isEmpty()) return sc;
        String from = toxiproxy != null ? "--toxiproxy" : "$" + TOXIPROXY_ENV;
        ScenarioReader.httpUrl(url.get()).ifPresent(why -> {
            throw new picocli.CommandLine.ParameterException(cmd, from + ": " + why);
        });
        return sc.withFaultEngine(new FaultEngineSpec(url, sc.faultEngine().timeout()));
    }
}
