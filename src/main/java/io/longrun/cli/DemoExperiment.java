package io.longrun.cli;

import static io.longrun.experiment.FigureText.*;
import io.longrun.db.DbSettings;
import io.longrun.db.EmbeddedDb;
import io.longrun.experiment.ExperimentOutcome;
import io.longrun.experiment.Settle;
import io.longrun.fault.ProxyServer;
import io.longrun.api.Soak;
import io.longrun.run.RunResult;
import io.longrun.scenario.FaultEngineSpec;
import io.longrun.scenario.Overrides;
import io.longrun.scenario.ProxySpec;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.ScenarioReader;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import java.io.InputStream;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code longrun demo --experiment}: an embedded PostgreSQL, longrun's proxy in front of it (started before the target,
 * so that the target's path to its database stays up from first to last), the reference target pointed at the proxy,
 * and scenarios/demo-experiment.yaml, whose faults go to the proxy through its Toxiproxy API. Ends with the verdict.
 */
final class DemoExperiment {
    private DemoExperiment() {}

    static int run(CliContext ctx, boolean quiet) throws Exception {
        ctx.out().println("starting an embedded PostgreSQL, a fault proxy in front of it and the reference target ...");
        String yaml;
        try (InputStream in = DemoExperiment.class.getClassLoader().getResourceAsStream(DemoCommand.EXPERIMENT)) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int listen;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            listen = s.getLocalPort();
        }
        try (EmbeddedDb db = EmbeddedDb.start()) {
            String upstream = "127.0.0.1:" + db.port(), front = "127.0.0.1:" + listen;
            ProxySpec proxy = new ProxySpec("db", front, upstream);
            try (ProxyServer server = ProxyServer.start("127.0.0.1", 0, List.of(proxy), 42, ProxyCommand.version());
                 TargetServer target = TargetServer.start(0, new DbSettings(db.url().replace(":" + db.port() + "/", ":" + listen + "/"),
                         Optional.of("postgres"), Optional.empty()), Faults.NONE, ctx.env())) {
                Overrides o = new Overrides(Optional.of(target.baseUrl() + "/event"), Optional.of(target.baseUrl() + "/health"),
                        Optional.of(db.url()), Optional.of("postgres"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), ctx.env());
                String text = yaml.replace("\"127.0.0.1:15432\"", "\"" + front + "\"").replace("\"127.0.0.1:5432\"", "\"" + upstream + "\"");
                Scenario sc = ScenarioReader.read(DemoCommand.EXPERIMENT, "demo-experiment", new StringReader(text), o)
                        .withFaultEngine(new FaultEngineSpec(Optional.of("http://127.0.0.1:" + server.apiPort()), FaultEngineSpec.DEFAULT_TIMEOUT));
                ctx.out().println("PostgreSQL on port " + db.port() + ", the proxy db on " + front + " in front of it, the target on " + target.baseUrl()
                        + " through the proxy");
                // the target's pool opens its connections through the proxy in the background: the baseline starts once it answers
                Settle.Waited w = new Settle(URI.create(target.baseUrl() + "/health"), ctx.clock(), Duration.ofSeconds(2))
                        .await(Optional.empty(), 0, Duration.ofSeconds(60), () -> false);
                ctx.out().println(w.settled() ? "the target answers through the proxy: " + w.last().describe()
                        : "warning: the target's health does not answer yet (" + w.last().describe() + "); starting anyway");
                RunFlags flags = new RunFlags();
                flags.quiet = quiet;
                io.longrun.api.SoakResult result = Soak.of(sc, null, flags.options(ctx).build()).run();
                Optional<ExperimentOutcome.Judged> j = ExperimentOutcome.read(result.runLog().resolveSibling("summary.json"));
                j.ifPresent(v -> ctx.out().println(verdict(v)));
                return result.exitCode();
            }
        }
    }

    static String verdict(ExperimentOutcome.Judged j) {
        ExperimentOutcome.Figures f = j.figures();
        return String.format(Locale.ROOT, "experiment verdict: %s%s%n  p95 %s in the baseline, %s at worst; error rate %s, %s at worst; impact after %s, "
                        + "%s", j.verdict(), j.reason().isEmpty() ? "" : " (" + j.reason() + ")",
                ms(f.baselineP95Ms()), ms(f.worstP95Ms()), pct(f.baselineErrPct()), pct(f.worstErrPct()), s(f.impactS()),
                f.recoveryS() == null ? "no recovery time" : "back within the baseline " + s(f.recoveryS()) + " after the fault came off");
    }
}
