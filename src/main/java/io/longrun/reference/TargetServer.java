package io.longrun.reference;

import com.zaxxer.hikari.HikariDataSource;
import io.longrun.db.DataSources;
import io.longrun.db.DbSettings;
import io.longrun.db.Migrations;
import io.longrun.metrics.Metrics;
import io.longrun.metrics.TargetMetrics;
import io.longrun.pace.Clock;
import io.longrun.scenario.TargetRules;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.main.Main;

/**
 * The reference target ({@code longrun target}): Camel platform-http over PostgreSQL, migrated with the Flyway
 * migrations in {@code db/}. It serves {@code POST /event}, {@code POST /ingest}, {@code GET /health} and
 * {@code POST /deviations/evaluate}, runs its rule scheduler on a timer route (seed 003's mode A; off in mode B),
 * writes its log file, serves its metrics, and plays its fault switches.
 */
public final class TargetServer implements AutoCloseable {
    /** The metrics port of {@code longrun target} (the run's is {@link Metrics#DEFAULT_PORT}). */
    public static final int DEFAULT_METRICS_PORT = 9877;

    /**
     * How to start a target. {@link #of} gives the defaults of a target started from code: a free port, no
     * faults, the built-in rule, the scheduler as {@code SCHEDULER_ENABLED} says (on when unset), no log file, no
     * metrics.
     *
     * @param scheduler on or off; empty: {@code SCHEDULER_ENABLED} in {@code env} decides (0 turns it off), else on
     * @param metricsPort 0: no metrics
     */
    public record Config(int port, DbSettings db, Faults faults, TargetService.IngestLimits limits, TargetRules rules,
                         Optional<Boolean> scheduler, Optional<Path> logFile, Optional<PrintStream> logConsole, int metricsPort,
                         Map<String, String> env, Optional<FaultApiAddress> faultApi) {
        public static Config of(DbSettings db) {
            return new Config(0, db, Faults.NONE, TargetService.IngestLimits.DEFAULT, TargetRules.DEFAULT, Optional.empty(), Optional.empty(),
                    Optional.empty(), 0, Map.of(), Optional.empty());
        }

        public Config withPort(int p) {
            return new Config(p, db, faults, limits, rules, scheduler, logFile, logConsole, metricsPort, env, faultApi);
        }

        public Config withFaults(Faults f) {
            return new Config(port, db, f, limits, rules, scheduler, logFile, logConsole, metricsPort, env, faultApi);
        }

        public Config withLimits(TargetService.IngestLimits l) {
            return new Config(port, db, faults, l, rules, scheduler, logFile, logConsole, metricsPort, env, faultApi);
        }

        public Config withRules(TargetRules r) {
            return new Config(port, db, faults, limits, r, scheduler, logFile, logConsole, metricsPort, env, faultApi);
        }

        public Config withScheduler(boolean on) {
            return new Config(port, db, faults, limits, rules, Optional.of(on), logFile, logConsole, metricsPort, env, faultApi);
        }

        public Config withLogFile(Path p) {
            return new Config(port, db, faults, limits, rules, scheduler, Optional.of(p), logConsole, metricsPort, env, faultApi);
        }

        /** Without a log file, the log goes to {@code out} (the command line's standard output). */
        public Config withLogConsole(PrintStream out) {
            return new Config(port, db, faults, limits, rules, scheduler, logFile, Optional.of(out), metricsPort, env, faultApi);
        }

        public Config withMetricsPort(int p) {
            return new Config(port, db, faults, limits, rules, scheduler, logFile, logConsole, p, env, faultApi);
        }

        /** Serve the runtime fault API ({@link FaultApi}) there (port 0: a free one, see {@link #faultApiPort()}). */
        public Config withFaultApi(String host, int port) {
            return new Config(port(), db, faults, limits, rules, scheduler, logFile, logConsole, metricsPort, env,
                    Optional.of(new FaultApiAddress(host, port)));
        }

        public Config withEnv(Map<String, String> e) {
            return new Config(port, db, faults, limits, rules, scheduler, logFile, logConsole, metricsPort, Map.copyOf(e), faultApi);
        }

        /**
         * Whether the scheduler runs: the flag when given, else {@code SCHEDULER_ENABLED} (0, false, off or no: off;
         * 1, true, on or yes: on), else on.
         *
         * @throws IllegalArgumentException naming SCHEDULER_ENABLED when it holds anything else
         */
        public boolean schedulerOn() {
            if (scheduler.isPresent()) return scheduler.get();
            String v = env.get("SCHEDULER_ENABLED");
            if (v == null || v.isBlank()) return true;
            return switch (v.trim().toLowerCase(Locale.ROOT)) {
                case "0", "false", "off", "no" -> false;
                case "1", "true", "on", "yes" -> true;
                default -> throw new IllegalArgumentException("SCHEDULER_ENABLED must be 0 or 1 (also false/true, off/on, no/yes), got \"" + v + "\"");
            };
        }
    }

    /** Where the runtime fault API listens. */
    public record FaultApiAddress(String host, int port) {}

    private final Main main;
    private final HikariDataSource ds;
    private final FaultApi faultApi;
    private final int port;
    private final int metricsPort;
    private final boolean schedulerOn;
    private final TargetLog log;
    private final TargetMetrics metrics;
    private final List<String> warnings;

    private TargetServer(Main main, HikariDataSource ds, FaultApi faultApi, int port, int metricsPort, boolean schedulerOn, TargetLog log,
                         TargetMetrics metrics, List<String> warnings) {
        this.main = main;
        this.faultApi = faultApi;
        this.ds = ds;
        this.port = port;
        this.metricsPort = metricsPort;
        this.schedulerOn = schedulerOn;
        this.log = log;
        this.metrics = metrics;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Connects, migrates and starts listening on {@code port} (0 picks a free one).
     *
     * @throws SQLException when the database cannot be reached or migrated
     */
    public static TargetServer start(int port, DbSettings db, Faults faults, Map<String, String> env) throws Exception {
        return start(Config.of(db).withPort(port).withFaults(faults).withEnv(env));
    }

    public static TargetServer start(int port, DbSettings db, Faults faults, TargetService.IngestLimits limits, Map<String, String> env)
            throws Exception {
        return start(Config.of(db).withPort(port).withFaults(faults).withLimits(limits).withEnv(env));
    }

    /**
     * Starts a target as {@code config} says.
     *
     * @throws SQLException when the database cannot be reached or migrated
     * @throws PortInUse when the port is taken
     * @throws IOException when the log file cannot be opened
     * @throws IllegalArgumentException when SCHEDULER_ENABLED is not a switch
     */
    public static TargetServer start(Config config) throws Exception {
        boolean schedulerOn = config.schedulerOn();
        Clock clock = Clock.SYSTEM;
        HikariDataSource ds = DataSources.open(config.db(), config.env(), "longrun-target", 32);
        try {
            Migrations.migrate(ds);
        } catch (RuntimeException e) {
            ds.close();
            throw new SQLException("cannot migrate the database: " + e.getMessage(), e);
        }
        int p = config.port() == 0 ? freePort() : config.port();
        try (ServerSocket probe = new ServerSocket()) {
            // Vert.x only logs a failed bind; find out first, so that a busy port is a clear error
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(p));
        } catch (IOException e) {
            ds.close();
            throw new PortInUse("port " + p + " is not free: " + e.getMessage());
        }
        TargetLog log;
        try {
            log = config.logFile().isPresent() ? TargetLog.open(config.logFile().get(), clock)
                    : config.logConsole().map(out -> TargetLog.to(new OutputStreamWriter(out, StandardCharsets.UTF_8), clock)).orElseGet(TargetLog::none);
        } catch (IOException e) {
            ds.close();
            throw new IOException("--log-file " + config.logFile().get() + ": cannot open: " + e.getMessage(), e);
        }
        List<String> warnings = new ArrayList<>();
        int metricsPort = Metrics.port(config.metricsPort(), warnings::add);
        TargetMetrics metrics = new TargetMetrics();
        LiveFaults live = LiveFaults.of(config.faults(), clock);
        Faults faults = live.faults();
        DbGate gate = DbGate.of(ds, () -> live.faults().noReconnect(), log);
        boolean loops = faults.anyLoop() || config.faultApi().isPresent(); // a loop fault may be switched on later

        Main main = new Main();
        main.configure().setName("longrun-target");
        main.configure().setJmxEnabled(false);
        List<String> routes = new ArrayList<>(List.of("classpath:routes/target/target.yaml"));
        Scheduler scheduler = new Scheduler(gate, config.rules(), () -> live.faults().dupDeviations(), log, metrics, clock);
        boolean timer = schedulerOn && scheduler.periodMillis() > 0;
        if (timer) routes.add("classpath:routes/target/scheduler.yaml");
        if (loops) routes.add("classpath:routes/target/fault-loops.yaml");
        main.configure().setRoutesIncludePattern(String.join(",", routes));
        Properties props = new Properties();
        props.setProperty("camel.server.enabled", "true");
        props.setProperty("camel.server.host", "0.0.0.0");
        props.setProperty("camel.server.port", Integer.toString(p));
        if (timer) props.setProperty("target.scheduler.period.ms", Long.toString(scheduler.periodMillis()));
        if (metricsPort > 0) {
            main.bind("metricsRegistry", metrics.registry());
            Metrics.properties(props, metricsPort);
        }
        main.setInitialProperties(props);
        TargetService service = new TargetService(live, gate, ds, config.limits(), clock, log, metrics, scheduler);
        main.bind("targetService", service);
        main.bind("targetScheduler", scheduler);
        if (loops) main.bind("faultLoops", new FaultLoops(gate, live, log, metrics, clock));
        FaultApi api = new FaultApi(live, gate, log);
        try {
            main.start();
            TargetHttp.install(main.getCamelContext(), p, service, metrics);
            if (config.faultApi().isPresent()) {
                FaultApiAddress a = config.faultApi().get();
                try {
                    api.listen(TargetHttp.vertx(main.getCamelContext(), p), a.host(), a.port());
                } catch (Exception e) {
                    throw new PortInUse("the fault API cannot listen on " + a.host() + ":" + a.port() + ": " + Scheduler.firstLine(rootCause(e)));
                }
            }
        } catch (Exception e) {
            try {
                api.close();
                main.stop();
            } finally {
                ds.close();
                log.close();
            }
            throw e;
        }
        for (String w : warnings) log.warn("target", w);
        log.info("target", "listening on port " + p + "; faults: " + faults.describe() + "; scheduler "
                + (schedulerOn ? "on" : "off (evaluate with POST /deviations/evaluate)") + "; rules: "
                + String.join(", ", config.rules().rules().stream().map(TargetRules.Rule::describe).toList())
                + (metricsPort > 0 ? "; metrics on port " + metricsPort : "")
                + (api.port() > 0 ? "; fault API on " + config.faultApi().get().host() + ":" + api.port() : ""));
        return new TargetServer(main, ds, api, p, metricsPort, schedulerOn, log, metrics, warnings);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }

    /** The port asked for is taken. */
    public static final class PortInUse extends Exception {
        PortInUse(String message) {
            super(message);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The port of the runtime fault API, 0 when it is off. */
    public int faultApiPort() {
        return faultApi.port();
    }

    /** The port serving /observe/metrics, 0 when there is none. */
    public int metricsPort() {
        return metricsPort;
    }

    public boolean schedulerOn() {
        return schedulerOn;
    }

    public TargetMetrics metrics() {
        return metrics;
    }

    /** Said at start, not fatal (the metrics port was taken). */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public void close() {
        try {
            faultApi.close();
            main.stop();
        } finally {
            ds.close();
            log.info("target", "stopped");
            log.close();
        }
    }
}
