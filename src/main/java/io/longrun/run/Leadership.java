package io.longrun.run;

import io.longrun.coord.Abort;
import io.longrun.coord.Combined;
import io.longrun.coord.Coordinate;
import io.longrun.coord.Coordinator;
import io.longrun.coord.Published;
import io.longrun.coord.ShardStatus;
import io.longrun.criteria.TickSample;
import io.longrun.deliver.Outcomes;
import io.longrun.pace.Clock;
import io.longrun.runlog.RunLog;
import io.longrun.scenario.Conditions;
import io.longrun.scenario.Scenario;
import io.longrun.shard.Shard;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * A shard of a coordinated run ({@code --shard I/N --coordinate URL}). One shard at a time leads: the watcher routes
 * (health, database, logs, probes, evaluate) start from {@code master:} endpoints on the coordinator's cluster
 * service, so only the leader's run; its run log records when it acquired and lost the lead. Every shard publishes
 * its outcomes at every tick; the leader judges the delivery criteria on all shards' outcomes together and names a
 * shard whose status has not changed for {@link #SILENT_MS}. Whoever stops the run on a criterion writes the abort
 * to the store, and every shard, polling it every {@link #POLL}, stops with the same reason (exit 3).
 */
final class Leadership implements AutoCloseable {
    /** The watcher routes' timer scheme: {@code timer}, or a master: endpoint's around it. */
    static final String WATCH_TIMER = "longrun.watch.timer";
    /** The watcher timers' first delay: camel-master starts a new leader's consumers 1 s after the election already. */
    static final String WATCH_DELAY = "longrun.watch.delay.ms";
    static final long SILENT_MS = 5_000;
    static final Duration POLL = Duration.ofMillis(200);

    private final Coordinator coord;
    private final Shard shard;
    private final RunLog log;
    private final Console console;
    private final RunControl control;
    private final Clock clock;
    private final Outcomes outcomes;
    private final List<String> emitters;
    private final boolean histograms;
    private final boolean startAt;
    private final long startedMs;
    private final List<Runnable> onAcquire = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile Combined combined;
    private volatile boolean leading, ending, closed, abortWritten, abortRead;
    private long publishFailures, pollFailures;

    private Leadership(Coordinator coord, Scenario sc, ShardedRun shards, RunLog log, Console console, RunControl control, Clock clock,
                       Outcomes outcomes) {
        this.coord = coord;
        this.shard = shards.shard();
        this.log = log;
        this.console = console;
        this.control = control;
        this.clock = clock;
        this.outcomes = outcomes;
        this.emitters = outcomes.emitters();
        // the service time's histograms travel only when a criterion reads them: a pool of many members would publish many
        this.histograms = sc.stopWhen().stream().anyMatch(r -> r.condition() instanceof Conditions.SlowBackend b && b.source().equals("delivery"));
        this.startAt = shards.startAt().isPresent();
        this.startedMs = clock.now().toEpochMilli();
        this.combined = new Combined(emitters, SILENT_MS);
        this.poller = new Thread(this::pollLoop, "longrun-coord-abort");
        poller.setDaemon(true);
    }

    /** The flags make sense together: --coordinate needs --shard, and a scenario id every shard shares. */
    static void check(RunOptions opt, ShardedRun shards) throws BadInput {
        if (opt.coordinate().isEmpty()) return;
        if (shards.shard().whole())
            throw new BadInput("--coordinate " + opt.coordinate().get() + ": only a sharded run is coordinated; add --shard I/N (each of the N "
                    + "processes its own I)");
        if (opt.scenarioId().isEmpty())
            throw new BadInput("--coordinate " + opt.coordinate().get() + ": give every shard the same --scenario-id (or $LONGRUN_SCENARIO): it "
                    + "names the run in the coordination store");
    }

    /** The run's key in the store: its scenario id, and its --start-at when there is one. */
    static String runKey(String scenarioId, ShardedRun shards) {
        return scenarioId + shards.startAt().map(t -> "@" + t).orElse("");
    }

    /** Opens the coordination of a sharded run, or returns null when the run has no --coordinate. */
    static Leadership open(Scenario sc, RunOptions opt, ShardedRun shards, String scenarioId, RunLog log, Console console, RunControl control,
                           Clock clock, Outcomes outcomes) throws BadInput {
        Optional<Coordinate> where = opt.coordinate();
        if (where.isEmpty()) return null;
        Coordinator c;
        try {
            c = Coordinator.open(where.get(), runKey(scenarioId, shards), shards.shard().index(), shards.shard().count(), Path.of(""), opt.env());
        } catch (IOException e) {
            throw new BadInput("--coordinate " + where.get() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new BadInput("--coordinate " + where.get() + ": " + RunController.rootMessage(e));
        }
        Leadership l = new Leadership(c, sc, shards, log, console, control, clock, outcomes);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("shard", l.shard.toString());
        r.put("store", where.get().kind().key());
        r.put("at", where.get().toString());
        r.put("key", runKey(scenarioId, shards));
        log.write("coordinate", clock.now(), r);
        l.poller.start();
        return l;
    }

    /** Runs {@code action} each time this shard becomes the leader, before its watchers' first sample. */
    void onAcquire(Runnable action) {
        onAcquire.add(action);
    }

    /** The watcher routes start from master: endpoints on the cluster service; {@link #start} starts it once Camel is up. */
    void wire(Main main, Properties props) {
        props.setProperty(WATCH_TIMER, "master:" + Coordinator.NAMESPACE + ":timer");
        props.setProperty(WATCH_DELAY, "0");
        org.apache.camel.component.master.MasterComponent master = new org.apache.camel.component.master.MasterComponent();
        master.setService(coord.service()); // not looked up: the service joins the context only in start()
        main.bind("master", master);
    }

    /**
     * Starts the election in the running Camel context: the master: consumers have asked for their view already, and
     * the service starts it; the view's leader starts the watchers' timers.
     */
    void start(CamelContext context) throws BadInput {
        try {
            context.addService(coord.service(), true, true);
            CamelClusterView view = coord.service().getView(Coordinator.NAMESPACE);
            view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) -> changed(leader));
        } catch (Exception e) {
            throw new BadInput("--coordinate " + coord.where() + ": cannot start the leader election: " + RunController.rootMessage(e));
        }
    }

    private synchronized void changed(CamelClusterMember leader) {
        boolean mine = leader != null && leader.isLocal();
        if (mine == leading) return;
        leading = mine;
        if (mine) {
            combined = new Combined(emitters, SILENT_MS); // a fresh baseline: what the shards did before is the previous leader's
            for (Runnable r : onAcquire) r.run();
        }
        String state = mine ? "acquired" : ending ? "released" : "lost";
        log.write("leader", clock.now(), Map.of("state", state, "shard", shard.toString()));
        if (mine) console.line("leader: shard " + shard + " (this one) now runs the watchers and judges the criteria for all shards");
        else if (!ending) console.line("leader: shard " + shard + " (this one) lost the lead; its watchers stopped");
    }

    boolean leading() {
        return leading;
    }

    /**
     * Once per tick: publishes this shard's outcomes so far; on the leader, reads every shard's and returns the tick of
     * all of them together, for the delivery criteria. Null on the other shards and on a new leader's first read.
     */
    TickSample tick(long now, double dt) {
        if (closed) return null;
        publish(false);
        if (!leading) return null;
        List<Published> all;
        try {
            all = coord.store().statuses();
        } catch (IOException e) {
            if (pollFailures++ % 10 == 0) warn("cannot read the shards' statuses: " + e.getMessage());
            return null;
        }
        for (Combined.Silence s : combined.silences(all)) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("shard", s.shard());
            r.put("state", s.silent() ? "silent" : "heard");
            r.put("age_s", RunMonitor.round(s.ageMs() / 1000.0, 1));
            log.write("shard.status", clock.now(), r);
            console.line(s.silent() ? String.format(java.util.Locale.ROOT, "warning: shard %s has published nothing for %.1f s: it may have died "
                    + "(the criteria judge the others' outcomes)", s.shard(), s.ageMs() / 1000.0) : "shard " + s.shard() + " is heard again");
        }
        List<Outcomes.Stats> sum = combined.since(all);
        return sum == null ? null : new TickSample(now, dt, sum);
    }

    /** Events accepted so far by all shards (the leader's view; this shard's own elsewhere). */
    long acceptedAll(long own) {
        return leading ? Math.max(own, combined.accepted()) : own;
    }

    private void publish(boolean ended) {
        try {
            coord.store().publish(ShardStatus.of(shard.index(), shard.count(), clock.now().toEpochMilli(), ended, outcomes.totals(),
                    histograms ? outcomes.totalServiceHistograms() : null));
        } catch (IOException | RuntimeException e) {
            if (publishFailures++ % 10 == 0) warn("cannot publish this shard's outcomes: " + e.getMessage());
        }
    }

    private void pollLoop() {
        while (!closed) {
            pollAbort();
            try {
                Thread.sleep(POLL.toMillis()); // a poll, not a wait for an outcome: the store has no way to call us
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Writes this shard's criterion stop to the store, or stops this shard on another's. */
    synchronized void pollAbort() {
        try {
            RunControl.Stop stop = control.stop();
            if (stop != null && stop.reason() == RunControl.Reason.CRITERION && !abortWritten && !abortRead) {
                abortWritten = true;
                coord.store().abort(new Abort(shard.toString(), clock.now().toEpochMilli(), stop.detail()));
                log.write("abort", clock.now(), Map.of("state", "written", "by", shard.toString(), "reason", stop.detail()));
                return;
            }
            if (abortRead || abortWritten) return;
            Optional<Abort> a = coord.store().abort();
            if (a.isEmpty() || !a.get().applies(startedMs, startAt)) return;
            abortRead = true;
            Abort x = a.get();
            String reason = "shard " + x.shard() + ": " + x.reason();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("state", "read");
            r.put("by", x.shard());
            r.put("reason", x.reason());
            r.put("after_ms", Math.max(0, clock.now().toEpochMilli() - x.timeMs()));
            log.write("abort", clock.now(), r);
            console.line("stopping: shard " + x.shard() + " stopped the run: " + x.reason());
            control.requestStop(RunControl.Reason.CRITERION, reason);
        } catch (IOException | RuntimeException e) {
            if (pollFailures++ % 25 == 0) warn("cannot read the run-wide abort: " + e.getMessage());
        }
    }

    private void warn(String text) {
        log.write("warning", clock.now(), Map.of("message", "--coordinate " + coord.where() + ": " + text));
        console.line("warning: --coordinate " + coord.where() + ": " + text);
    }

    /** The run is ending: a lead given up from here on is released, not lost. */
    void ending() {
        ending = true;
    }

    /** Publishes this shard's last status (ended) and closes the store. */
    @Override
    public void close() {
        if (closed) return;
        ending = true;
        pollAbort(); // a criterion that stopped this shard in its last moments still stops the others
        publish(true);
        synchronized (this) {
            if (leading) { // camel-file's view gives its lock up without telling its listeners
                leading = false;
                log.write("leader", clock.now(), Map.of("state", "released", "shard", shard.toString()));
            }
        }
        closed = true;
        poller.interrupt();
        coord.close();
    }
}
