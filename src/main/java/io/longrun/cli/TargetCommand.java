package io.longrun.cli;

import io.longrun.db.DbSettings;
import io.longrun.run.BadInput;
import io.longrun.run.SignalTrap;
import io.longrun.runlog.Secrets;
import io.longrun.scenario.ScenarioException;
import io.longrun.scenario.TargetRules;
import io.longrun.reference.Faults;
import io.longrun.reference.TargetServer;
import io.longrun.reference.TargetService;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code longrun target}: the reference target service, until Ctrl+C. */
@Command(name = "target", mixinStandardHelpOptions = true,
        description = "Serve the reference target (POST /event, POST /ingest, GET /health, POST /deviations/evaluate) over PostgreSQL, "
                + "with a rule scheduler, a log file, metrics and fault switches.")
final class TargetCommand implements Callable<Integer> {
    @ParentCommand
    Longrun parent;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8000", description = "port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Mixin
    DbOptions db = new DbOptions();

    @Option(names = "--fault", paramLabel = "SPEC", description = "latency=200ms, error_rate=0.2, error_ramp=30%%/m, down_after=20s, hot_loop=50/s, rate_limit=100/s, "
            + "log_noise=30/m, repeated_exception[=30/m], non_utc[=2], slow_after=5m (slow_latency=800ms), dup_deviations, db_bloat=50MB/m, "
            + "lose=0.01, no_reconnect, dup_events, lenient (repeatable; also switched at run time with the fault API)")
    List<String> faults = new ArrayList<>();

    @Option(names = "--rules", paramLabel = "FILE", description = "the scheduler's rules (YAML, see runbooks/target-rules.yaml); "
            + "default: no_motion, no motion event for 10m, every 30s")
    Path rules;

    @Option(names = "--scheduler", paramLabel = "on|off", description = "run the rules on their own (mode A) or only on POST /deviations/evaluate "
            + "(mode B); default: on, unless SCHEDULER_ENABLED=0")
    String scheduler;

    @Option(names = "--log-file", paramLabel = "PATH", description = "append the target's log here (default: standard output)")
    Path logFile;

    @Option(names = "--metrics-port", paramLabel = "P", defaultValue = "9877",
            description = "serve Prometheus metrics at http://127.0.0.1:P/observe/metrics (default: ${DEFAULT-VALUE}; 0 turns them off)")
    int metricsPort;

    @Option(names = "--fault-api", paramLabel = "HOST:PORT|PORT|off", description = "serve the runtime fault API (GET, POST, DELETE /faults) "
            + "there (default: " + FaultApiFlag.DEFAULT + ", left off with a warning when that port is taken; a bare PORT binds 127.0.0.1)")
    String faultApi;

    @Option(names = "--ingest-max-bytes", paramLabel = "N", defaultValue = "1048576", description = "POST /ingest answers 413 too_large beyond this body size (default: ${DEFAULT-VALUE})")
    int maxBytes;

    @Option(names = "--ingest-max-items", paramLabel = "N", defaultValue = "1000", description = "POST /ingest answers 413 too_many_items beyond this many records (default: ${DEFAULT-VALUE})")
    int maxItems;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = parent.ctx;
        if (port < 0 || port > 65535) throw new BadInput("--port must be between 0 and 65535, got " + port);
        if (metricsPort < 0 || metricsPort > 65535) throw new BadInput("--metrics-port must be between 0 and 65535 (0: off), got " + metricsPort);
        if (maxBytes < 1 || maxItems < 1) throw new BadInput("--ingest-max-bytes and --ingest-max-items must be at least 1");
        DbSettings settings = db.settings(ctx).orElseThrow(() -> new BadInput("target needs --db-url (or LONGRUN_DB_URL)"));
        // the faults' problems and the rule file's, all at once
        List<String> problems = new ArrayList<>();
        Faults f = null;
        try {
            f = Faults.parse(faults);
        } catch (IllegalArgumentException e) {
            problems.addAll(List.of(e.getMessage().split("\n")));
        }
        TargetRules r = TargetRules.DEFAULT;
        try {
            if (rules != null) r = TargetRules.read(ctx.workDir().resolve(rules));
        } catch (ScenarioException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty() && rules != null && problems.stream().anyMatch(p -> !p.startsWith("--fault ")))
            throw new ScenarioException(problems); // the file's problems, file:line: key: ..., with the faults'
        if (!problems.isEmpty()) throw new BadInput(String.join("\n", problems));
        TargetServer.Config config = TargetServer.Config.of(settings).withPort(port).withFaults(f).withRules(r)
                .withLimits(new TargetService.IngestLimits(maxBytes, maxItems)).withMetricsPort(metricsPort).withEnv(ctx.env());
        if (scheduler != null) {
            switch (scheduler.trim().toLowerCase(Locale.ROOT)) {
                case "on" -> config = config.withScheduler(true);
                case "off" -> config = config.withScheduler(false);
                default -> throw new BadInput("--scheduler must be on or off, got \"" + scheduler + "\"");
            }
        }
        FaultApiFlag api = FaultApiFlag.parse(faultApi);
        if (api.address().isPresent()) config = config.withFaultApi(api.address().get().host(), api.address().get().port());
        if (logFile != null) config = config.withLogFile(ctx.workDir().resolve(logFile));
        else config = config.withLogConsole(ctx.out());
        try {
            config.schedulerOn();
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        }
        TargetServer server;
        try {
            server = TargetServer.start(config);
        } catch (SQLException | TargetServer.PortInUse | IOException e) {
            throw new BadInput(e.getMessage());
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (server; SignalTrap trap = ctx.handleSignals() ? SignalTrap.onInterrupt(sig -> stop.countDown()) : SignalTrap.NONE) {
            for (String w : server.warnings()) ctx.out().println("warning: " + w);
            api.warning().ifPresent(w -> ctx.out().println("warning: " + w));
            ctx.out().println("longrun target listening on http://0.0.0.0:" + server.port()
                    + " (POST /event, POST /ingest, GET /health, POST /deviations/evaluate), database " + Secrets.maskUrl(settings.url()));
            ctx.out().println("faults: " + f.describe() + "; scheduler " + (server.schedulerOn() ? "on" : "off") + ", rules: "
                    + String.join(", ", r.rules().stream().map(TargetRules.Rule::describe).toList()));
            ctx.out().println(server.faultApiPort() > 0 ? "fault API at http://" + api.address().get().host() + ":" + server.faultApiPort()
                    + "/faults (GET what is on; POST {\"fault\": \"latency=200ms\"}; DELETE /faults or /faults/NAME)" : "fault API off");
            ctx.out().println("log: " + (logFile == null ? "standard output" : ctx.workDir().resolve(logFile).toString())
                    + (server.metricsPort() > 0 ? "; metrics at http://127.0.0.1:" + server.metricsPort() + "/observe/metrics" : "; metrics off"));
            ctx.out().println("Ctrl+C to stop");
            stop.await();
            ctx.out().println("stopping");
        }
        return 0;
    }
}
