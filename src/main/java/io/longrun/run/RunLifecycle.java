package io.longrun.run;

import com.zaxxer.hikari.HikariDataSource;
import io.longrun.deliver.Dispatcher;
import io.longrun.deliver.Outcomes;
import io.longrun.deliver.Recorder;
import io.longrun.deliver.ThrowawaySink;
import io.longrun.pace.Clock;
import io.longrun.runlog.RunLog;
import io.longrun.runlog.Secrets;
import io.longrun.scenario.Durations;
import io.longrun.scenario.HealthUrls;
import io.longrun.scenario.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.apache.camel.ProducerTemplate;

/**
 * The third part of a run's assembly: its lifecycle. Before anything is wired, the {@link #preflight} (the target
 * answers, the database opens); then {@link #run()}: the routes start and warm up, time zero is set (now, a shard's
 * {@code --start-at}, or a resume's), the schedule runs until it ends, a criterion or a signal stops it or the phases
 * are over, the dispatcher stops, the faults come off, what is in flight drains, the final database checks run after
 * the lag allowance, and Camel stops. {@link RunOutcome} finishes from there.
 */
final class RunLifecycle {
    private final Assembly a;
    private final ShardedRun shards;
    private final Clock clock;
    private Instant started; // time zero, once it has come
    private Recorder recorder; // --record's writer, or null

    /** What the outcome needs of the lifecycle: time zero (null if it never came) and the record file's writer (or null). */
    record Ran(Instant started, Recorder recorder) {}

    RunLifecycle(Assembly a, Clock clock) {
        this.a = a;
        this.shards = a.in().shards();
        this.clock = clock;
    }

    /** The target answers, and the scenario's database (if any) opens: its pool, or null. */
    static HikariDataSource preflight(Scenario sc, RunOptions opt) throws BadInput {
        Preflight.reachable("target", sc.target().url(), sc.target().timeout());
        return sc.database().isPresent() ? RunStart.openDatabase(sc.database().get(), opt.env()) : null;
    }

    /** Starts the routes, runs the schedule to its end and drains it; returns once Camel has stopped. */
    Ran run() throws BadInput, InterruptedException {
        RunInputs in = a.in();
        Dispatcher dispatcher = a.dispatcher();
        RunStart.Warming warming;
        try {
            warming = RunStart.prepareWarmUp(in.sc(), dispatcher, a.sink(), a.plan().schedules(), clock);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the warm-up's sink: " + RunController.rootMessage(e), e);
        }
        long t0 = clock.nanoTime();
        ThrowawaySink throwaway = warming.throwaway();
        startRoutes(throwaway);
        try {
            if (a.lead() != null) a.lead().start(a.main().getCamelContext());
            ProducerTemplate template = a.main().getCamelTemplate();
            if (a.webhook()) a.hooks().webhook(template);
            RunStart.warmUp(dispatcher, a.sink(), warming, RunStart.warmRate(a.plan().schedules()), in.log(), in.console(), in.opt().quiet(), clock);
            if (a.logWatcher() != null) a.logWatcher().start();
            if (in.database()) template.sendBody("direct:db-baseline", null); // exact counts before the first event
            begin(t0);
            awaitEnd();
            drain(template);
        } catch (Exception e) {
            in.fx().finish(in.control(), true);
            if (e instanceof InterruptedException ie) throw ie;
            throw new IllegalStateException("run failed: " + RunController.rootMessage(e), e);
        } finally {
            dispatcher.stop();
            throwaway.close();
            if (a.lead() != null) a.lead().ending();
            try {
                a.main().stop();
            } catch (Exception e) {
                in.console().line("warning: stopping Camel: " + RunController.rootMessage(e));
            }
            if (a.lead() != null) a.lead().close(); // this shard's last outcomes published, marked ended
        }
        return new Ran(started, recorder);
    }

    private void startRoutes(ThrowawaySink throwaway) throws BadInput {
        try {
            a.main().start();
        } catch (Exception | StackOverflowError e) { // Camel's YAML reader recurses once per level of a user's route
            try {
                a.main().stop();
            } catch (Exception ignored) {
                // it did not start; what it holds goes with it
            }
            throwaway.close();
            if (a.lead() != null) a.lead().close();
            throw new BadInput("cannot start the routes" + a.in().opt().routesDir().map(d -> " (with --routes " + d + ")").orElse("")
                    + ": " + (e instanceof StackOverflowError ? "a route nested too deep for Camel's YAML reader" : RunController.rootMessage(e)));
        }
    }

    /**
     * Time zero: the schedule starts (or a resume goes on from where its run log ends), the run log says so, and every
     * part that counts from time zero is told.
     */
    private void begin(long t0) throws Exception {
        RunInputs in = a.in();
        Scenario sc = in.sc();
        RunLog log = in.log();
        Dispatcher dispatcher = a.dispatcher();
        Outcomes outcomes = a.plan().outcomes();
        Resume resume = in.resume();
        // Time zero is LEAD from now (or --start-at): what has to be in place before the first event (the monitor's
        // criteria, the recorder, the delivery's zero) is set up before it comes, not on its time (3 ms, measured).
        long start = shards.begin(dispatcher, clock, outcomes), from = shards.from(); // now, or --start-at
        if (shards.startAt().isEmpty()) start += LEAD.toNanos();
        // the warm-up is not part of the run's elapsed time; time zero on the wall clock is start's, converted (read
        // apart from it, a pause between the two readings moved it)
        started = shards.startAt().orElse(wallClockOf(start));
        double at = 0;
        if (resume != null) {
            double[] resumedAt = new double[1];
            dispatcher.rereadFirst(() -> resumedAt[0] = resume.begin());
            at = resumedAt[0];
            from = Math.round(at * 1e9);
            start = clock.nanoTime() + LEAD.toNanos() - from;
            for (int i = 0; i < a.plan().lanes().size(); i++) outcomes.resume(i, resume.prior(i));
        }
        if (in.opt().record().isPresent()) {
            recorder = new Recorder(in.opt().record().get(), start, wallClockOf(start));
            a.delivery().record(recorder);
            a.monitor().record(recorder);
        }
        a.monitor().begin(start, from);
        a.delivery().begin(start, resume != null ? resume.earlier().timeZero : started); // the wall clock's time zero, for due times
        dispatcher.begin(start);
        // What follows is not in the first event's way: written before the gate opened, the run log's records and the
        // listeners made it about 2 ms late (measured at a replay's first event).
        if (resume == null) {
            log.write("schedule.start", clock.now(), RunStart.scheduleStart(sc, started));
            if (!shards.plain()) log.write("shard.start", clock.now(), shards.startRecord(sc, a.plan().schedules()));
        } else {
            log.write("run.resume", clock.now(), resume.record(at, resume.earlier().segments + 1));
            in.fx().writeExperiment(log, clock);
        }
        in.opt().onStart().accept(new RunOptions.LiveRun(in.runId(), log.file(), outcomes));
        in.fx().begin(start, from / 1e9);
        if (!in.opt().quiet()) in.console().line(startLine(t0, from));
        HealthUrls.warning(sc.target()).ifPresent(in.console()::line);
        if (!in.opt().quiet() && !shards.plain()) in.console().line(shards.startText());
    }

    /** The wall clock's instant of monotonic time {@code nanos}. */
    private Instant wallClockOf(long nanos) {
        return clock.now().plusNanos(nanos - clock.nanoTime());
    }

    /** How far ahead of its setting time zero is: the setting up of the run's start is done before it comes. */
    static final Duration LEAD = Duration.ofMillis(10);

    private String startLine(long t0, long from) {
        Scenario sc = a.in().sc();
        Resume resume = a.in().resume();
        return String.format(Locale.ROOT, "longrun: %s %s against %s (routes up in %d ms)%s%s", sc.name(),
                resume != null ? "resumed at " + Durations.elapsed(Duration.ofSeconds(from / 1_000_000_000L)) + " of "
                        + Durations.format(sc.duration()) + " (" + resume.missedText() + ")"
                        : sc.duration().equals(Scenario.UNTIL_DONE) ? "until its recordings end" : "for " + Durations.format(sc.duration()),
                Secrets.maskUrl(sc.target().url()), (clock.nanoTime() - t0) / 1_000_000,
                a.metricsPort() > 0 ? "; metrics at http://127.0.0.1:" + a.metricsPort() + "/observe/metrics" : "",
                HealthUrls.moved(sc.target()).map(h -> "; " + h).orElse(""));
    }

    /** Until the schedule is over, a stop is asked for, or the phases end early (until:, a failed step). */
    private void awaitEnd() throws InterruptedException {
        RunControl control = a.in().control();
        ExperimentWiring fx = a.in().fx();
        while (!a.dispatcher().awaitFinished(Duration.ofMillis(200))) {
            if (control.stop() != null || fx.over()) break;
        }
        while (fx.on() && control.stop() == null) Thread.sleep(50); // nothing left to send, and a phase still waits or runs out its time
    }

    /** Stops the schedule, takes the faults off, drains what is in flight, and runs the final checks. */
    private void drain(ProducerTemplate template) throws InterruptedException {
        RunInputs in = a.in();
        RunControl control = in.control();
        Dispatcher dispatcher = a.dispatcher();
        Scenario.Runbook book = in.sc().runbook();
        dispatcher.stop();
        in.fx().finish(control, false); // faults off before the drain waits on what they held up
        dispatcher.awaitFinished(Duration.ofSeconds(5));
        if (!dispatcher.drain(in.sc().target().timeout().plusSeconds(1)))
            in.console().line("warning: " + a.plan().outcomes().inFlight() + " request(s) still in flight after the time-out; they count as failed (abandoned)");
        // the target may store what it accepted a little later: wait the lag allowance before the final checks
        boolean finalChecks = in.database() && (a.probes().any() || !book.asserts().isEmpty() || in.sc().experiment().isPresent());
        if (finalChecks && control.stop() == null || finalChecks && control.stop().reason() == RunControl.Reason.CRITERION) {
            if (!in.opt().quiet()) in.console().line("waiting " + Durations.format(book.lagAllowance()) + " (lag_allowance) before the final checks");
            long until = clock.nanoTime() + book.lagAllowance().toNanos();
            while (clock.nanoTime() < until && (control.stop() == null || control.stop().reason() != RunControl.Reason.INTERRUPTED))
                Thread.sleep(Math.max(1, Math.min(100, (until - clock.nanoTime()) / 1_000_000)));
        }
        if (in.database()) template.sendBody("direct:db-final", null); // exact counts after the drain
        if (a.probing()) a.probes().last();
    }
}
