package io.longrun.fault;

import io.longrun.pace.Clock;
import io.longrun.scenario.FaultSpec;
import io.longrun.scenario.FaultSpec.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What both engines share: turning a fault into toxics (or a proxy switched off), naming them after the run,
 * keeping the list of what is on, and taking everything off at the end. A subclass supplies the three confirmed
 * primitives and how to stop what it started.
 */
abstract class BaseEngine implements FaultEngine {
    private final String runId;
    final Clock clock;
    private final List<FaultHandle> active = new ArrayList<>();
    private long next = 1;
    private boolean closed;

    BaseEngine(String runId, Clock clock) {
        this.runId = runId.replaceAll("[^A-Za-z0-9_.-]", "-");
        this.clock = clock;
    }

    /** Adds a toxic to a proxy and confirms it is there as sent. */
    abstract void addToxic(String proxy, Toxic toxic) throws FaultException;

    /** Removes a toxic and confirms it is gone; one already gone is fine. */
    abstract void removeToxic(String proxy, String toxic) throws FaultException;

    /** Switches a proxy on or off ({@code down}) and confirms it. */
    abstract void setEnabled(String proxy, boolean enabled) throws FaultException;

    /** Whether this engine serves (or was told of) a proxy of that name. */
    abstract boolean knows(String proxy);

    /** Stops or deletes what {@link #start} started or created. */
    abstract void stopStarted() throws FaultException;

    /** The prefix of every toxic this engine names: {@code longrun-<run id>-}. */
    String prefix() {
        return "longrun-" + runId + "-";
    }

    @Override
    public synchronized FaultHandle apply(FaultSpec fault) throws FaultException {
        if (closed) throw new FaultException("the fault engine is closed: " + fault.describe() + " was not applied");
        if (!knows(fault.proxy())) throw new FaultException(fault.describe() + ": no proxy named " + fault.proxy() + " was started");
        List<String> problems = check(List.of(fault));
        if (!problems.isEmpty()) throw new FaultException(String.join("; ", problems));
        long id = next++;
        List<String> names = new ArrayList<>();
        if (fault.kind() == Kind.DOWN) {
            setEnabled(fault.proxy(), false);
        } else {
            try {
                for (Toxic t : toxics(fault, prefix() + id)) {
                    addToxic(fault.proxy(), t);
                    names.add(t.name());
                }
            } catch (FaultException e) {
                for (String n : names) {
                    try {
                        removeToxic(fault.proxy(), n);
                    } catch (FaultException again) {
                        e.addSuppressed(again);
                    }
                }
                throw e;
            }
        }
        FaultHandle h = new FaultHandle(id, fault, names, clock.now());
        active.add(h);
        return h;
    }

    @Override
    public synchronized void remove(FaultHandle h) throws FaultException {
        if (!active.contains(h)) return;
        if (h.fault().kind() == Kind.DOWN) setEnabled(h.fault().proxy(), true);
        else for (String n : h.toxics()) removeToxic(h.fault().proxy(), n);
        active.remove(h);
    }

    @Override
    public synchronized void removeAll() throws FaultException {
        List<String> failed = new ArrayList<>();
        List<FaultHandle> on = List.copyOf(active);
        for (int i = on.size() - 1; i >= 0; i--) {
            FaultHandle h = on.get(i);
            try {
                remove(h);
            } catch (FaultException e) {
                failed.add(h.fault().describe() + ": " + e.getMessage());
            }
        }
        if (!failed.isEmpty()) throw new FaultException("could not take off: " + String.join("; ", failed));
    }

    @Override
    public synchronized List<FaultHandle> active() {
        return List.copyOf(active);
    }

    @Override
    public synchronized void close() throws FaultException {
        if (closed) return;
        closed = true;
        String failed = null;
        try {
            removeAll();
        } catch (FaultException e) {
            failed = e.getMessage();
        }
        try {
            stopStarted(); // even when a fault would not come off: stop what can be stopped
        } catch (FaultException e) {
            failed = failed == null ? e.getMessage() : failed + "; " + e.getMessage();
        }
        if (failed != null) throw new FaultException(failed);
    }

    /**
     * A fault's toxics, in Toxiproxy's types and units: one, or one per direction for {@code stream: both}
     * (named {@code -up} and {@code -down}). Toxicity is always 1: Toxiproxy draws it once per connection, not per
     * request, so under keep-alive a toxicity of 0.3 would not mean 30 % of requests.
     */
    static List<Toxic> toxics(FaultSpec f, String name) {
        Map<String, Double> a = new LinkedHashMap<>();
        String type = switch (f.kind()) {
            case LATENCY -> put(a, "latency", f.param("ms"), "jitter", f.param("jitter_ms"), "latency");
            case BANDWIDTH -> put(a, "rate", f.param("kb_per_s"), null, 0, "bandwidth");
            case TIMEOUT -> put(a, "timeout", f.param("ms"), null, 0, "timeout");
            case RESET -> put(a, "timeout", f.param("after_ms"), null, 0, "reset_peer");
            case SLICER -> {
                put(a, "average_size", f.param("avg_bytes"), "size_variation", f.param("jitter_bytes"), "slicer");
                yield put(a, "delay", f.param("delay_us"), null, 0, "slicer");
            }
            case LIMIT_DATA -> put(a, "bytes", f.param("bytes"), null, 0, "limit_data");
            case LOSS -> put(a, "percent", f.param("pct"), "rto", LossStage.RTO_MIN_NANOS / 1e6, Toxic.LOSS);
            case DOWN -> throw new IllegalArgumentException("down is not a toxic");
        };
        return switch (f.stream()) {
            case UPSTREAM -> List.of(new Toxic(name, type, Direction.UPSTREAM, 1, a));
            case DOWNSTREAM -> List.of(new Toxic(name, type, Direction.DOWNSTREAM, 1, a));
            case BOTH -> List.of(new Toxic(name + "-up", type, Direction.UPSTREAM, 1, a), new Toxic(name + "-down", type, Direction.DOWNSTREAM, 1, a));
        };
    }

    private static String put(Map<String, Double> a, String k1, double v1, String k2, double v2, String type) {
        a.put(k1, v1);
        if (k2 != null) a.put(k2, v2);
        return type;
    }
}
