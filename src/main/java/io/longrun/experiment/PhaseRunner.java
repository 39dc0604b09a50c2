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
    private int current = -1;           // the phase on, -1 before the first, size() after the last
    private boolean finished;
    private final List<On> on = new ArrayList<>();
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

    /**
     * The schedule's time zero was {@code start} (monotonic nanoseconds). The first {@link #poll} enters the phase
     * that holds the time then: the first on a fresh run, the one a resumed run is in.
     */
    public synchronized void begin(long start) {
        this.start = start;
        for (String p : proxies()) lastPhaseStart.put(p, engine.traffic(p));
    }

    /** Enters the phase the run is in now, ending the ones before it; nothing when there is no change. */
    public synchronized void poll() {
        if (start < 0 || finished) return;
        advance();
    }

    private void advance() {
        double t = elapsed();
        int target = phaseAt(t);
        if (current < 0) { // the first poll: a resumed run enters the phase it is in, not the ones it missed
            current = target;
            if (current < exp.phases().size()) enter(current);
            return;
        }
        while (current < target) {
            leave(current, Reason.PHASE_END, false);
            current++;
            if (current < exp.phases().size()) enter(current);
        }
    }

    /**
     * The run ends: the phases catch up with the time, then the phase on (if any) ends, its faults come off for {@code reason}; {@code cut} unless the reason
     * is the phase's own end. Anything the engine still has on comes off too. Later polls do nothing.
     */
    public synchronized void finish(Reason reason) {
        if (finished) return;
        if (start >= 0) advance(); // the phases a late poll would have walked through first
        finished = true;
        if (current >= 0 && current < exp.phases().size()) leave(current, reason, reason != Reason.PHASE_END);
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
        onPhase.accept(-1);
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
        return (clock.nanoTime() - start) / 1e9;
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
