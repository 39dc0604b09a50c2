package io.longrun.run;

import io.longrun.criteria.Alert;
import io.longrun.criteria.Criteria;
import io.longrun.criteria.TickSample;
import io.longrun.deliver.Outcomes;
import io.longrun.deliver.Recorder;
import io.longrun.generate.Levels;
import io.longrun.pace.Clock;
import io.longrun.pace.Schedule;
import io.longrun.runlog.RunLog;
import io.longrun.scenario.Scenario;
import io.longrun.watch.DbSample;
import io.longrun.watch.HealthSample;
import io.longrun.watch.Signals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run's nerve centre: it receives every tick and every watcher sample, writes them to the run log, feeds
 * the criteria, draws the console, and turns an aborting alert into a stop request.
 *
 * <p>About 405 lines, on purpose: the log watcher's tally is already {@link LogTally}; what stays is one
 * {@link Signals} receiver per watcher kind, each writing the same run log and console in order, which one class
 * keeps in one place.
 */
public final class RunMonitor implements Signals {
    private final RunLog log;
    private final Console console;
    private final Outcomes outcomes;
    private final List<Schedule> schedules;
    private final List<Scenario.StopRule> rules;
    private final Clock clock;
    private final Duration duration;
    private final RunControl control;
    private final List<Levels> levels;

    private volatile long start = -1;
    private Criteria criteria;
    private long lastTick;                 // nanoseconds from the start
    private HealthSample lastHealth;
    private long healthChecks, healthFailures;
    private DbSample firstDb, lastDb;
    private String lastDbError;
    private final List<Alert> alerts = new ArrayList<>();

    public RunMonitor(RunLog log, Console console, Outcomes outcomes, List<Schedule> schedules, List<Levels> levels,
                      List<Scenario.StopRule> rules, Clock clock, Duration duration, RunControl control) {
        this.levels = List.copyOf(levels);
        this.log = log;
        this.console = console;
        this.outcomes = outcomes;
        this.schedules = List.copyOf(schedules);
        this.rules = List.copyOf(rules);
        this.clock = clock;
        this.duration = duration;
        this.control = control;
    }

    /** The schedule's time zero (monotonic nanoseconds); -1 before {@link #begin}. */
    long timeZero() {
        return start;
    }

    /** The run starts now: ticks and criteria count from {@code start} (monotonic nanoseconds). */
    public synchronized void begin(long start) {
        begin(start, 0);
    }

    /**
     * The schedule's time zero was {@code start} (monotonic nanoseconds) and it stands at {@code from} nanoseconds
     * now: a resumed run's ticks go on from there. The criteria start afresh, their windows empty, their grace
     * periods counted from time zero.
     */
    public synchronized void begin(long start, long from) {
        this.criteria = new Criteria(rules, start, duration, this::onAlert);
        accepted.clear();
        accepted.add(start + from, acceptedNow());
        this.lastTick = from;
        this.start = start;
    }

    /** What a resumed run's earlier segments logged: their health checks, alerts, log lines, levels and first rows. */
    public synchronized void resume(Resumption earlier) {
        healthChecks += earlier.healthChecks;
        healthFailures += earlier.healthFailures;
        priorAlerts = earlier.alerts;
        logTally.earlier(earlier.logLines, earlier.logLevels);
        priorLevels.putAll(earlier.levels);
        rowsStart.putAll(earlier.rowsStart);
    }

    private long priorAlerts;
    private final Map<String, Long> priorLevels = new java.util.TreeMap<>();
    private final Map<String, Long> rowsStart = new LinkedHashMap<>();

    /** Alerts of the whole run, earlier segments included. */
    public synchronized long alertCount() {
        return priorAlerts + alerts.size();
    }

    /** The rows at the start of the run, per table, when an earlier segment saw them first. */
    public synchronized Map<String, Long> rowsStart() {
        return Map.copyOf(rowsStart);
    }

    /** Once per tick (the tick route) and once at the end: per-emitter figures since the previous tick. */
    public synchronized void tick() {
        if (start < 0) return;
        long now = clock.nanoTime();
        long elapsed = now - start;
        if (elapsed <= lastTick) return;
        double t0 = lastTick / 1e9, t1 = elapsed / 1e9, dt = t1 - t0;
        List<Outcomes.Stats> stats = outcomes.snapshot();
        List<String[]> hist = outcomes.tickHistograms();
        double target = 0, sent = 0;
        for (int i = 0; i < stats.size(); i++) {
            Outcomes.Stats s = stats.get(i);
            Schedule sch = schedules.get(i);
            // a replay at its recorded pace has no curve: its rate is what came due
            double effEps = sch.curve().segments().isEmpty() ? s.planned() / dt : sch.area(t0, t1) / dt;
            target += effEps;
            sent += s.sent();
            log.write("tick", clock.now(), Records.tick(s, t1, effEps, levels.get(i).drain(), hist.get(i)));
        }
        log.write("checkpoint", clock.now(), Records.checkpoint(outcomes, t1));
        lastTick = elapsed;
        long acc = 0;
        for (Outcomes.Stats t : outcomes.totals()) acc += t.accepted();
        accepted.add(now, acc);
        if (recorder != null) recorder.flush();
        // a coordinated shard publishes its outcomes; only the leader judges, on all shards' outcomes together
        TickSample judged = lead == null ? new TickSample(now, dt, stats) : lead.tick(now, dt);
        if (judged != null) criteria.onTick(judged, clock.now());
        if (metrics != null) {
            metrics.tick(target, sent / dt);
            metrics.criteria(criteria.states());
        }
        console.progress(ProgressLine.text(elapsed, duration, target, sent / dt, stats, outcomes, lastHealth, lastDb), elapsed);
    }

    @Override
    public synchronized void onHealth(HealthSample s) {
        healthChecks++;
        if (!s.ok()) healthFailures++;
        lastHealth = s;
        log.write("health", s.time(), Records.health(s));
        if (metrics != null) metrics.health(s.ok(), s.latencyMs());
        if (criteria != null) criteria.onHealth(s);
        if (steps != null) steps.onHealth(s.ok());
    }

    @Override
    public synchronized void onDb(DbSample s) {
        if (s.error().isPresent()) {
            lastDbError = s.error().get();
            log.write("db", s.time(), Map.of("error", lastDbError));
        } else {
            if (firstDb == null) firstDb = s;
            lastDb = s;
            s.tables().forEach((t, v) -> {
                firstTables.putIfAbsent(t, v);
                lastTables.put(t, v);
                log.write("db", s.time(), Records.db(s, t, v));
            });
            s.unread().forEach((t, why) -> log.write("db", s.time(), Map.of("table", t, "skipped", why)));
        }
        // injected events the target is to store are rows too: table_growth and unexpected_growth count them
        long accepted = lead == null ? acceptedNow() : lead.acceptedAll(acceptedNow()); // a leader's: every shard's events reach the table
        if (criteria != null) criteria.onDb(s, accepted + (extraRows == null ? 0 : extraRows.getAsLong()));
        if (metrics != null && s.error().isEmpty()) {
            Map<String, long[]> t = new LinkedHashMap<>();
            s.tables().forEach((name, v) -> t.put(name, new long[] {v.rows(), v.bytes()}));
            metrics.db(t, s.databaseBytes());
        }
    }

    private volatile java.util.function.LongSupplier extraRows;
    private volatile Leadership lead;

    /** A coordinated shard's leadership: ticks publish to it, and on the leader the delivery criteria judge all shards. */
    void lead(Leadership l) {
        this.lead = l;
    }

    /** Rows the target is to hold beside the accepted events' (injected events to be stored), for the growth rules. */
    public void extraRows(java.util.function.LongSupplier rows) {
        this.extraRows = rows;
    }

    private io.longrun.metrics.RunMetrics metrics;

    /** The live metrics; null when none are served. */
    synchronized io.longrun.metrics.RunMetrics metrics() {
        return metrics;
    }

    /** The live metrics, updated by ticks, samples and alerts. */
    public synchronized void metrics(io.longrun.metrics.RunMetrics metrics) {
        this.metrics = metrics;
    }

    /** Events accepted so far, all emitters together. */
    public long acceptedNow() {
        long acc = 0;
        for (Outcomes.Stats t : outcomes.totals()) acc += t.accepted();
        return acc;
    }

    /** How far back {@link #acceptedAt} remembers: longer than any lag a loss check waits. */
    static final long ACCEPTED_HISTORY = Duration.ofMinutes(15).toNanos();
    private final AcceptedHistory accepted = new AcceptedHistory(ACCEPTED_HISTORY); // accepted as of each tick

    /** Events accepted at or before monotonic time {@code at}, as of the tick before it (0 before the first). */
    public synchronized long acceptedAt(long at) {
        return accepted.at(at);
    }

    private final LogTally logTally = new LogTally();

    @Override
    public synchronized void onLog(io.longrun.watch.LogSample s) {
        logTally.add(s, r -> log.write("log", s.time(), r), console::line);
        if (criteria != null) criteria.onLog(s);
        if (steps != null) steps.onLog(s.matches());
    }

    private StepFeed steps;

    /** The phases' until: conditions hear of health checks and log matches. */
    synchronized void steps(StepFeed f) {
        this.steps = f;
    }

    @Override
    public synchronized void onProbe(io.longrun.watch.ProbeSample s) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("criterion", s.criterion());
        r.put("value", round(s.value(), 6));
        r.put("checked", s.checked());
        r.put("message", s.text());
        s.error().ifPresent(e -> r.put("error", e));
        if (s.last()) r.put("final", true);
        log.write("probe", s.time(), r);
        if (criteria != null) criteria.onProbe(s);
    }

    private long evaluations, evaluationFailures;

    /** Seed 003's mode B: one call of the target's evaluate endpoint, with its JSON answer (null when none). */
    public synchronized void evaluated(HealthSample s, com.fasterxml.jackson.databind.JsonNode answer) {
        evaluations++;
        Map<String, Object> r = Records.health(s);
        if (answer != null) r.put("answer", answer);
        log.write("evaluate", s.time(), r);
        if (!s.ok()) {
            evaluationFailures++;
            if (evaluationFailures == 1 || evaluationFailures % 10 == 0)
                console.line("warning: evaluate call failed: " + s.describe() + " (" + evaluationFailures + " so far)");
        }
    }

    /** A warning for people: the console and the run log. */
    public synchronized void warning(String text) {
        log.write("warning", clock.now(), Map.of("message", text));
        console.line("warning: " + text);
    }

    private java.util.function.Consumer<Alert> hooks = a -> {};

    /** Who else hears of alerts (webhook, --on-alert). */
    public synchronized void hooks(java.util.function.Consumer<Alert> hooks) {
        this.hooks = hooks;
    }

    public synchronized Map<String, Long> logLevels() {
        return logTally.levels();
    }

    public synchronized long logLines() {
        return logTally.lines();
    }

    public synchronized Map<String, Long> evaluations() {
        return Map.of("calls", evaluations, "failed", evaluationFailures);
    }

    private void onAlert(Alert a) {
        alerts.add(a);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("criterion", a.criterion());
        r.put("kind", a.kind());
        r.put("severity", a.severity().name().toLowerCase(Locale.ROOT));
        r.put("state", a.state());
        r.put("observed", round(a.observed(), 3));
        r.put("threshold", a.threshold());
        r.put("message", a.text());
        log.write("alert", a.time(), r);
        console.line(a.line());
        hooks.accept(a);
        if (metrics != null && criteria != null) metrics.criteria(criteria.states());
        if (a.firing() && a.severity() == Scenario.Severity.ABORT)
            control.requestStop(RunControl.Reason.CRITERION, a.criterion() + ": " + a.text());
    }

    /** The levels generated over the whole run, all emitters together. */
    public Map<String, Long> levelTotals() {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (Levels l : levels) l.totals().forEach((k, v) -> out.merge(k, v, Long::sum));
        synchronized (this) {
            priorLevels.forEach((k, v) -> out.merge(k, v, Long::sum));
        }
        return out;
    }

    private Recorder recorder;
    private boolean strictFired;

    /** The --record file, flushed each tick. */
    public synchronized void record(Recorder recorder) {
        this.recorder = recorder;
    }

    /** --strict: the first failed delivery stops the run, as an abort criterion named strict would. */
    public synchronized void strictFailure(String emitter, String reason) {
        if (strictFired) return;
        strictFired = true;
        onAlert(new Alert(clock.now(), "strict", "strict", Scenario.Severity.ABORT, "firing", 1, 0,
                "delivery failed (" + reason + ") from emitter " + emitter + "; --strict stops at the first failure"));
    }

    public synchronized List<Alert> alerts() {
        return List.copyOf(alerts);
    }

    public synchronized List<Criteria.State> criteria() {
        return criteria == null ? List.of() : criteria.states();
    }

    public synchronized long healthChecks() {
        return healthChecks;
    }

    public synchronized long healthFailures() {
        return healthFailures;
    }

    public synchronized HealthSample lastHealth() {
        return lastHealth;
    }

    public synchronized DbSample firstDb() {
        return firstDb;
    }

    private final Map<String, DbSample.Table> firstTables = new LinkedHashMap<>(), lastTables = new LinkedHashMap<>();

    /**
     * Each watched table's rows at its first and its last figure (exact at both ends unless a count failed there). A
     * resumed run's first figure is its first segment's, which, as every table's first figure, was counted exactly.
     */
    public synchronized Map<String, RunResult.TableGrowth> tableGrowth() {
        Map<String, RunResult.TableGrowth> out = new LinkedHashMap<>();
        lastTables.forEach((t, v) -> {
            DbSample.Table f = firstTables.get(t);
            Long earlier = rowsStart.get(t);
            out.put(t, new RunResult.TableGrowth(earlier != null ? earlier : f.rows(), v.rows(), v.bytes(),
                    earlier != null ? "exact" : f.method().key(), v.method().key()));
        });
        return out;
    }

    public synchronized DbSample lastDb() {
        return lastDb;
    }

    public synchronized String lastDbError() {
        return lastDbError;
    }

    static double round(double v, int places) {
        double k = Math.pow(10, places);
        return Math.round(v * k) / k;
    }
}
