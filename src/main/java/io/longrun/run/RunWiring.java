package io.longrun.run;

import io.longrun.alert.AlertHooks;
import io.longrun.alert.OnAlertCommand;
import io.longrun.deliver.Delivery;
import io.longrun.deliver.Dispatcher;
import io.longrun.deliver.HttpSink;
import io.longrun.deliver.Outcomes;
import io.longrun.deliver.PacerComponent;
import io.longrun.experiment.LostTally;
import io.longrun.metrics.Metrics;
import io.longrun.metrics.RunMetrics;
import io.longrun.pace.Clock;
import io.longrun.scenario.Conditions;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.Step;
import io.longrun.watch.DbWatcher;
import io.longrun.watch.HealthWatcher;
import io.longrun.watch.LogTail;
import io.longrun.watch.LogWatcher;
import io.longrun.watch.Probes;
import io.longrun.watch.SentEvents;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.camel.Processor;
import org.apache.camel.main.Main;

/**
 * The second part of a run's assembly: the plan's lanes become a dispatcher and a delivery, the watchers, alerts and
 * probes the scenario asks for are made, and all of them are bound into a Camel main with the routes that use them.
 * Nothing is started here.
 */
final class RunWiring {
    static final int SAMPLES_PER_SECOND = 20;
    static final int SAMPLES_KEPT = 20_000;

    private RunWiring() {}

    /** The database's watchers: probes (or null), each phase's lost events (or null), and the growth watcher. */
    private record DbParts(Probes probes, LostTally lost, DbWatcher watcher) {
        static final DbParts NONE = new DbParts(null, null, null);
    }

    static Assembly wire(RunInputs in, Clock clock) throws BadInput {
        Scenario sc = in.sc();
        RunOptions opt = in.opt();
        RunPlan plan = RunPlan.of(sc, in.seed(), in.shards(), in.resume());
        Outcomes outcomes = plan.outcomes();
        Dispatcher dispatcher = new Dispatcher(plan.dueTimes(), sc.target().maxInFlight(), sc.tick(), Dispatcher.SLACK, sc.target().catchUp(), clock, outcomes);
        Delivery delivery = new Delivery(plan.lanes(), in.seed(), in.scenarioId(), clock, outcomes);
        ChaosWiring chaos = ChaosWiring.open(sc, in.seed(), in.log().file(), delivery, outcomes);
        RunMonitor monitor = new RunMonitor(in.log(), in.console(), outcomes, plan.schedules(), delivery.levels(), sc.stopWhen(), clock, sc.duration(),
                in.control());
        monitor.extraRows(chaos::injectedStored);
        Leadership lead = in.resuming() ? null
                : Leadership.open(sc, opt, in.shards(), in.scenarioId(), in.log(), in.console(), in.control(), clock, outcomes);
        monitor.lead(lead);
        if (opt.strict()) delivery.onFailure((emitter, reason) -> {
            if (!reason.equals("timeout") || opt.strictTimeouts()) monitor.strictFailure(emitter, reason);
        });
        Scenario.Runbook book = sc.runbook();
        OnAlertCommand onAlert = opt.onAlert().map(c -> new OnAlertCommand(c, monitor::warning)).orElse(null);
        AlertHooks hooks = book.alerts().webhook().isPresent() || onAlert != null
                ? new AlertHooks(book.alerts().format(), Map.of("scenario", sc.name(), "run_id", in.runId()), onAlert, monitor::warning) : null;
        if (hooks != null) monitor.hooks(hooks::publish);
        LogWatcher logWatcher = sc.watch().logs().isEmpty() ? null
                : new LogWatcher(LogTail.of(sc.watch().logs()), sc.watch().levels(), logPatterns(sc), clock, monitor);
        DbParts db = in.database() ? db(in, delivery, monitor, clock) : DbParts.NONE;
        if (in.resuming()) {
            monitor.resume(in.resume().earlier());
            in.resume().prepare(plan.lanes(), in.seed(), in.scenarioId(), in.ds(), monitor);
        }
        HttpSink sink = new HttpSink(sc.target().url(), "POST", sc.target().maxInFlight(), sc.target().timeout(), delivery, clock);
        Assembly a = new Assembly(in, plan, dispatcher, delivery, sink, chaos, monitor, lead, onAlert, hooks, logWatcher, db.probes(), db.lost(), new Main(),
                Metrics.port(opt.metricsPort(), monitor::warning));
        bind(a, db.watcher(), clock);
        return a;
    }

    /** The regexes the log watcher counts: the log cadences of stop_when, and the phases' until: log. */
    private static java.util.List<String> logPatterns(Scenario sc) {
        return Stream.concat(sc.stopWhen().stream().map(r -> r.condition() instanceof Conditions.Cadence c ? c.logRegex().orElse(null) : null),
                        sc.experiment().stream().flatMap(x -> x.phases().stream())
                                .map(p -> p.until().orElse(null) instanceof Step.Log l ? l.regex().pattern() : null))
                .filter(Objects::nonNull).distinct().toList();
    }

    private static DbParts db(RunInputs in, Delivery delivery, RunMonitor monitor, Clock clock) throws BadInput {
        Scenario sc = in.sc();
        SentEvents sent = Probes.needsSamples(sc.stopWhen()) ? new SentEvents(SAMPLES_PER_SECOND, SAMPLES_KEPT) : null;
        if (sent != null) delivery.sample(sent);
        Probes probes = new Probes(sc.stopWhen(), in.ds(), sent, in.scenarioId(), monitor::acceptedAt, monitor::acceptedNow, clock, monitor);
        LostTally lost = null;
        if (sc.experiment().isPresent()) probes.onReadBack(lost = new LostTally()); // each phase's lost events
        Duration longQuery = sc.stopWhen().stream().map(r -> r.condition() instanceof Conditions.DbLoad l ? l.longQuery() : null)
                .filter(Objects::nonNull).min(Duration::compareTo).orElse(Duration.ofSeconds(30));
        DbWatcher dbWatcher = new DbWatcher(sc.database().get(), longQuery, sc.watch().dbEvery(), sc.runbook().lagAllowance(), in.ds(), clock, monitor);
        RunStart.checkColumns(sc, probes, dbWatcher, in.ds(), monitor);
        return new DbParts(probes, lost, dbWatcher);
    }

    /** Configures the Camel main: the routes the scenario needs, their properties, and every bean they name. */
    private static void bind(Assembly a, DbWatcher dbWatcher, Clock clock) {
        RunInputs in = a.in();
        Scenario sc = in.sc();
        Main main = a.main();
        RunMonitor monitor = a.monitor();
        main.configure().setName("longrun");
        main.configure().setJmxEnabled(false);
        main.configure().setShutdownTimeout(Math.max(5, (int) sc.target().timeout().toSeconds() + 2));
        main.configure().setRoutesIncludePattern(String.join(",", Wiring.routes(sc, in.opt().routesDir(), in.database() && Probes.isAny(sc.stopWhen()))));
        Properties props = Wiring.properties(sc);
        int metricsPort = a.metricsPort();
        RunMetrics metrics = null;
        if (metricsPort > 0 || in.fx().needsMetrics()) { // an until: on a metric reads the registry in-process
            metrics = new RunMetrics(sc.name(), in.runId(), a.plan().outcomes());
            monitor.metrics(metrics);
        }
        if (metricsPort > 0) {
            main.bind("metricsRegistry", metrics.registry());
            Metrics.properties(props, metricsPort);
        }
        var phases = in.fx().runner(in.log(), clock, monitor::warning, metricsPort > 0 ? metrics : null);
        if (phases != null) {
            main.bind("phaseRunner", phases);
            StepFeed feed = new StepFeed(monitor::acceptedNow, in.ds(), metrics);
            monitor.steps(feed);
            phases.steps(feed, in.opt().quiet() ? s -> {} : in.console()::line);
        }
        a.chaos().follow(phases, clock);
        if (a.lead() != null) {
            a.lead().wire(main, props);
            if (a.logWatcher() != null) a.lead().onAcquire(a.logWatcher()::start); // a new leader's log watcher counts from its lead on
        }
        main.setInitialProperties(props);
        if (a.hooks() != null) main.bind("alertHooks", a.hooks());
        if (a.logWatcher() != null) main.bind("logWatcher", a.logWatcher());
        if (a.probing()) main.bind("probes", a.probes());
        sc.runbook().evaluate().ifPresent(e -> main.bind("evaluateCaller", HealthWatcher.evaluate(clock, monitor::evaluated)));
        main.bind("pacer", new PacerComponent(a.dispatcher(), a.delivery()));
        main.bind("longrun-http", a.sink());
        main.bind("delivery", a.delivery());
        main.bind("delivery-prepare", (Processor) a.delivery()::prepare);
        main.bind("runMonitor", monitor);
        main.bind("healthWatcher", new HealthWatcher(clock, monitor));
        if (in.database()) {
            main.bind("watchDataSource", in.ds());
            main.bind("dbWatcher", dbWatcher);
        }
    }
}
