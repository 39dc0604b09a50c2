package io.longrun.experiment;

import io.longrun.fault.FaultEngine;
import io.longrun.fault.FaultException;
import io.longrun.fault.FaultHandle;
import io.longrun.fault.ProxyTraffic;
import io.longrun.metrics.RunMetrics;
import io.longrun.pace.Clock;
import io.longrun.runlog.RunLog;
import io.longrun.scenario.Durations;
import io.longrun.scenario.Experiment;
import io.longrun.scenario.Experiment.Phase;
import io.longrun.scenario.FaultSpec;
import io.longrun.scenario.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Walks a run through its phases: at each boundary it ends the phase (takes its faults off, confirmed) and starts
 * the next (puts its faults on, confirmed), writing {@code phase.start}, {@code fault.on}, {@code fault.off},
 * {@code fault.error} and {@code phase.end} to the run log. A timer polls it ({@link #poll}); the run ends it
 * ({@link #finish}), whatever the reason: faults always come off.
 *
 * <p>Time is the run's: seconds from the schedule's time zero, the {@code elapsed_s} of tick records. Applying and
 * removing block until the engine confirms, so never call this from an event loop.
 */
public final class PhaseRunner {
    /** Why a fault came off, as {@code fault.off.reason} says it. */
    public enum Reason {
        PHASE_END("phase_end"), STOP("stop"), SIGNAL("signal"), ERROR("error");

        private final String word;

        Reason(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** A fault that is on: its handle, the proxy's counters when it came on, and those at its phase's start and the one before. */
    private record On(FaultHandle handle, Optional<ProxyTraffic> at, Map<String, Object> before) {}

    private final Experiment exp;
    private final FaultEngine engine;
    private final RunLog log;
    private final Clock clock;
    private final Consumer<String> warn;
    private final List<Duration> starts;
    private RunMetrics metrics;
    private long start = -1;
    private double floor; // the elapsed time the run (or its resumed segment) starts at
    private int current = -1;           // the phase on, -1 before the first, size() after the last
    private boolean finished;
    private final List<On> on = new ArrayList<>();
    private StepSources sources = StepSources.NONE;
    private Consumer<String> info = s -> {};
    private double nominalStart;        // when the phase on was due to start: its planned start, or when the until: before it held
    private UntilCheck check;           // the phase on's until:, null without
    private boolean halted, early;      // a step failed: no further phase; the last phase ended by its until:
    private final List<Failure> failures = new ArrayList<>();

    /** A step that failed: {@code PHASE/until}, {@code PHASE/on_start[0]}, {@code PHASE/on_end[1]}, and why, in words. */
    public record Failure(String name, String kind, String description, String reason) {}
    private Map<String, Optional<ProxyTraffic>> lastPhaseStart = new HashMap<>();

    /** @param warn gets a line for the console when a fault cannot be put on or taken off */
    public PhaseRunner(Experiment exp, FaultEngine engine, RunLog log, Clock clock, Consumer<String> warn) {
        this.exp = exp;
        this.engine = engine;
        this.log = log;
        this.clock = clock;
        this.warn = warn;
        this.starts = exp.starts();
    }

    /** The live metrics: which phase is on, which faults with which values. */
    public synchronized void metrics(RunMetrics m) {
        this.metrics = m;
        m.experiment(exp);
    }

    /** What the phases' until: conditions read, and where their lines for the console go (warnings use {@code warn}). */
    public synchronized void steps(StepSources sources, Consumer<String> info) {
        this.sources = sources;
        this.info = info;
    }

    /**
     * The schedule's time zero was {@code start} (monotonic nanoseconds), and the run starts (or resumes) {@code from}
     * seconds into it. The first {@link #poll} enters the phase that holds the time then: the first on a fresh run,
     * the one a resumed run is in. Time zero is set a little ahead of now, so the first phase is entered (and its
     * faults applied) just before its first event; its records say {@code from}, never a time before the run (or its
     * resumed segment) began.
     */
    public synchronized void begin(long start, double from) {
        this.start = start;
        this.floor = from;
        for (String p : proxies()) lastPhaseStart.put(p, engine.traffic(p));
    }

    /** Enters the phase the run is in now, ending the ones before it; nothing when there is no change. */
    public synchronized void poll() {
        if (start < 0 || finished) return;
        advance();
    }

    private void advance() {
        double t = elapsed();
        int n = exp.phases().size();
        if (current < 0) { // the first poll: a resumed run enters the phase it is in, not the ones it missed
            current = phaseAt(t);
            if (current < n) {
                nominalStart = Durations.seconds(starts.get(current));
                enter(current);
            }
            return;
        }
        while (current < n && !halted) {
            Phase p = exp.phases().get(current);
            double end = nominalStart + Durations.seconds(p.duration());
            if (check != null && check.holds(clock.nanoTime())) {
                double waited = t - nominalStart;
                step(current, "until", check.until().kind(), check.until().describe(), map("ok", true, "observed", check.observed(), "waited_s", round(waited)));
                info.accept("phase " + p.name() + ": until " + check.until().describe() + " held after " + secs(waited) + " (" + check.observed() + ")");
                leave(current, Reason.PHASE_END, false);
                nominalStart = t; // the next phase starts now
                early = current == n - 1;
            } else if (t >= end) {
                if (check != null) { // the timeout: a failed step, the run goes no further
                    timedOut(current, p);
                    return;
                }
                leave(current, Reason.PHASE_END, false);
                nominalStart = end;
            } else {
                break;
            }
            current++;
            if (current < n && !halted) enter(current);
        }
    }

    private void timedOut(int i, Phase p) {
        String why = "timed out after " + Durations.format(p.duration()) + ": " + check.until().describe() + " did not hold ("
                + (check.observed().isEmpty() ? "never checked" : "last: " + check.observed()) + ")";
        fail(i, "until", check.until().kind(), check.until().describe(), map("ok", false, "observed", check.observed(), "error", why), why);
    }

    /** Whether a phase is still on: the generator may have nothing left to send (a last phase with rate: 0) while it waits. */
    public synchronized boolean on() {
        return !finished && !halted && current < exp.phases().size();
    }

    /** Whether the run ends now, before the schedule's planned end: a step failed, or the last phase's until: held. */
    public synchronized boolean over() {
        return halted || early;
    }

    /** The steps that failed, in order: each is a failed result of the run (exit 4). */
    public synchronized List<Failure> failures() {
        return List.copyOf(failures);
    }

    /**
     * The run ends: at its planned end the phases catch up with the time first; then the phase on (if any) ends, its faults come off for {@code reason}; {@code cut} unless the reason
     * is the phase's own end. Anything the engine still has on comes off too. Later polls do nothing.
     */
    public synchronized void finish(Reason reason) {
        if (finished) return;
        // at the planned end, the phases a late poll would have walked through first; a stop puts on no new fault
        if (start >= 0 && reason == Reason.PHASE_END) advance();
        finished = true;
        boolean on = current >= 0 && current < exp.phases().size();
        if (on && !halted && reason == Reason.PHASE_END && check != null) { // the schedule ran out while the phase waited
            if (check.holds(Long.MAX_VALUE / 2)) step(current, "until", check.until().kind(), check.until().describe(), map("ok", true, "observed", check.observed()));
            else timedOut(current, exp.phases().get(current));
        }
        if (on) leave(current, reason, reason != Reason.PHASE_END || halted);
        current = exp.phases().size();
        try {
            engine.removeAll();
        } catch (FaultException e) {
            warn.accept("faults: " + e.getMessage());
        }
        if (metrics != null) metrics.phase(-1, List.of());
    }

    /** The index of the phase on (0-based), -1 before the first and after the last. */
    public synchronized int current() {
        return current >= 0 && current < exp.phases().size() ? current : -1;
    }

    /** The phase that holds t (seconds from time zero); the number of phases once the last has ended. */
    int phaseAt(double t) {
        for (int i = 0; i < exp.phases().size(); i++) if (t < Durations.seconds(starts.get(i + 1))) return i;
        return exp.phases().size();
    }

    private java.util.function.IntConsumer onPhase = i -> {};

    /** Hears each phase change: the index of the phase entered, -1 when one ends (the stream faults follow it). */
    public synchronized void onPhase(java.util.function.IntConsumer listener) {
        this.onPhase = listener;
    }

    private void enter(int i) {
        Phase p = exp.phases().get(i);
        onPhase.accept(i);
        log.write("phase.start", clock.now(), map("phase", p.name(), "index", i, "elapsed_s", round(elapsed())));
        Map<String, Optional<ProxyTraffic>> now = new HashMap<>();
        for (String proxy : proxies()) now.put(proxy, engine.traffic(proxy));
        for (FaultSpec f : p.faults()) {
            long t0 = clock.nanoTime();
            try {
                FaultHandle h = engine.apply(f);
                long took = (clock.nanoTime() - t0) / 1_000_000;
                Map<String, Object> r = fault(p, f);
                r.put("stream", f.stream().yaml());
                r.put("params", f.params());
                r.put("desc", f.describe());
                r.put("elapsed_s", round(elapsed()));
                r.put("took_ms", took);
                log.write("fault.on", clock.now(), r);
                on.add(new On(h, engine.traffic(f.proxy()), bytes(lastPhaseStart.get(f.proxy()), now.get(f.proxy()))));
            } catch (FaultException | RuntimeException e) {
                error(p, f, e);
            }
        }
        lastPhaseStart = now;
        if (metrics != null) metrics.phase(i, on.stream().map(o -> o.handle().fault()).toList());
        for (int k = 0; k < p.onStart().size() && !halted; k++) act(i, "on_start", k, p.onStart().get(k));
        check = p.until().map(u -> new UntilCheck(u, sources)).orElse(null);
    }

    /** Runs an action and writes its step record; a failed one halts the phases. */
    private void act(int i, String when, int k, Step.Action a) {
        Actions.Result r = Actions.run(a);
        Map<String, Object> f = r.fields();
        String name = when + "[" + k + "]";
        String line = "phase " + exp.phases().get(i).name() + ": " + name + " " + a.describe();
        if (r.ok()) {
            step(i, name, a.kind(), a.describe(), f);
            info.accept(line + ": ok (" + (r.status() != null ? "status " + r.status() : "exit 0") + ", " + r.tookMs() + " ms)");
        } else {
            fail(i, name, a.kind(), a.describe(), f, a.describe() + ": " + r.error() + (r.output().isBlank() ? "" : " (output: " + oneLine(r.output()) + ")"));
        }
    }

    private void step(int i, String when, String kind, String desc, Map<String, Object> fields) {
        Map<String, Object> r = map("phase", exp.phases().get(i).name(), "index", i, "step", when, "kind", kind, "desc", desc, "elapsed_s", round(elapsed()));
        r.putAll(fields);
        log.write("step", clock.now(), r);
    }

    private void fail(int i, String when, String kind, String desc, Map<String, Object> fields, String why) {
        step(i, when, kind, desc, fields);
        String phase = exp.phases().get(i).name();
        failures.add(new Failure(phase + "/" + when, kind, desc, why));
        warn.accept("phase " + phase + ": step " + when + " failed: " + why + (halted ? "" : "; the run stops here (a failed step)"));
        halted = true;
    }

    private static String oneLine(String s) {
        String t = s.strip().replaceAll("\\s*\\n\\s*", " | ");
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    private static String secs(double s) {
        return String.format(java.util.Locale.ROOT, "%.1f s", s);
    }

    private void leave(int i, Reason reason, boolean cut) {
        Phase p = exp.phases().get(i);
        for (int k = on.size() - 1; k >= 0; k--) {
            On o = on.get(k);
            FaultSpec f = o.handle().fault();
            long t0 = clock.nanoTime();
            try {
                engine.remove(o.handle());
                long took = (clock.nanoTime() - t0) / 1_000_000;
                Map<String, Object> r = fault(p, f);
                r.put("desc", f.describe());
                r.put("elapsed_s", round(elapsed()));
                r.put("took_ms", took);
                r.put("reason", reason.word());
                r.put("bytes", bytes(o.at(), engine.traffic(f.proxy())));
                r.put("bytes_before", o.before());
                log.write("fault.off", clock.now(), r);
            } catch (FaultException | RuntimeException e) {
                error(p, f, e);
            }
        }
        on.clear();
        check = null;
        onPhase.accept(-1); // the stream faults come off with the network ones, before on_end
        for (int k = 0; k < p.onEnd().size(); k++) act(i, "on_end", k, p.onEnd().get(k)); // each runs, even after one fails
        log.write("phase.end", clock.now(), map("phase", p.name(), "index", i, "elapsed_s", round(elapsed()), "cut", cut));
        if (metrics != null) metrics.phase(-1, List.of());
    }

    private void error(Phase p, FaultSpec f, Exception e) {
        String why = e.getMessage() == null ? "failed" : e.getMessage();
        log.write("fault.error", clock.now(), map("phase", p.name(), "desc", f.describe(), "error", why));
        warn.accept("phase " + p.name() + ": " + (why.startsWith(f.describe()) ? why : f.describe() + ": " + why));
    }

    /** The bytes a proxy received between two readings of its counters, per direction; null when the engine cannot tell. */
    static Map<String, Object> bytes(Optional<ProxyTraffic> from, Optional<ProxyTraffic> to) {
        if (from == null || to == null || from.isEmpty() || to.isEmpty() || !from.get().live() || !to.get().live()) return null;
        return map("up", to.get().upstreamReceived() - from.get().upstreamReceived(),
                "down", to.get().downstreamReceived() - from.get().downstreamReceived());
    }

    private static Map<String, Object> fault(Phase p, FaultSpec f) {
        return map("phase", p.name(), "kind", f.kind().yaml(), "proxy", f.proxy());
    }

    private List<String> proxies() {
        return exp.phases().stream().flatMap(p -> p.faults().stream()).map(FaultSpec::proxy).distinct().toList();
    }

    private double elapsed() {
        return Math.max(floor, (clock.nanoTime() - start) / 1e9);
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
