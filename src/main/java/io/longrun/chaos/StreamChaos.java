package io.longrun.chaos;

import io.longrun.random.SplitMix;
import io.longrun.scenario.Experiment;
import io.longrun.scenario.StreamFault;
import io.longrun.scenario.StreamFault.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decides what the stream faults of the phase on do to each event. Whether a fault touches an event is a pure
 * function of (seed, fault, emitter, seq): the same seed touches the same events, whatever thread sends them.
 * Which faults are on follows the phases ({@link #phase}); a fault's {@code at:} delays its start within its phase.
 * Thread-safe: the route renders on its own thread, the phase runner switches phases on another.
 */
public final class StreamChaos {
    /**
     * What the faults do to one event. {@code duplicateAfterMs} is -1 when it is not duplicated; {@code corrupt},
     * {@code inject} and {@code reorder} are null when those faults did not touch it.
     */
    public record Decision(boolean drop, long delayMs, long duplicateAfterMs, List<StreamFault> modify, List<StreamFault> hits,
                           StreamFault corrupt, StreamFault inject, StreamFault reorder) {
        static final Decision NONE = new Decision(false, 0, -1, List.of(), List.of(), null, null, null);

        public boolean touched() {
            return !hits.isEmpty() || reorder != null;
        }
    }

    /** The run's chaos figures, as {@code run.end} gives them under {@code chaos}. */
    public record Counts(long dropped, long duplicated, long delayed, long reordered, long modified, long corrupted, long injected,
                         long duplicatesAccepted, long duplicatesOther, long corruptedAccepted, long corruptedOther,
                         long injectedAccepted, long injectedOther) {}

    /** The events accepted (2xx) though the target must reject them: corrupted ones, injected ones not to be stored. */
    public record Findings(long corruptedAccepted, List<String> corruptedIds, long injectedAccepted, List<String> injectedIds) {}

    private static final long SALT = 0x6368616F73L; // "chaos"

    private final Experiment exp;
    private final List<String> emitters;
    private final long[] emitterStreams;
    private final long seed;
    private volatile Active active = new Active(-1, List.of(), 0, null);
    final LongAdder dropped = new LongAdder(), duplicated = new LongAdder(), delayed = new LongAdder(), modified = new LongAdder();
    final LongAdder dupAccepted = new LongAdder(), dupOther = new LongAdder();
    final LongAdder reordered = new LongAdder(), corrupted = new LongAdder(), injected = new LongAdder();
    final LongAdder corruptOther = new LongAdder(), injectedAccepted = new LongAdder(), injectedOther = new LongAdder();
    final LongAdder injectedStored = new LongAdder();
    private final Named corruptAccepted = new Named(), injectAccepted = new Named();

    /** A count and the first {@link LedgerCheck#NAMED} ids. */
    private static final class Named {
        long count;
        final List<String> ids = new ArrayList<>();

        synchronized void add(String id) {
            count++;
            if (ids.size() < LedgerCheck.NAMED) ids.add(id == null ? "(no id)" : id);
        }

        synchronized long count() {
            return count;
        }

        synchronized List<String> ids() {
            return List.copyOf(ids);
        }
    }

    private record Active(int phase, List<StreamFault> faults, long startNanos, AtomicLongArray seen) {}

    public StreamChaos(Experiment exp, List<String> emitters, long seed) {
        this.exp = exp;
        this.emitters = List.copyOf(emitters);
        this.emitterStreams = emitters.stream().mapToLong(SplitMix::hash).toArray();
        this.seed = seed;
    }

    /** The phase on from now ({@code -1}: none); {@code nowNanos} is when it began (monotonic). */
    public void phase(int index, long nowNanos) {
        List<StreamFault> faults = index < 0 || index >= exp.phases().size() ? List.of() : exp.phases().get(index).stream();
        active = new Active(index, faults, nowNanos, new AtomicLongArray(Math.max(1, faults.size())));
    }

    /** The name of the phase on, or null. */
    public String phaseName() {
        int i = active.phase;
        return i < 0 || i >= exp.phases().size() ? null : exp.phases().get(i).name();
    }

    /** Whether fault {@code f} touches event {@code seq} of emitter {@code emitter}: the seeded draw alone. */
    public boolean hits(StreamFault f, int emitter, long seq) {
        double u = SplitMix.uniform(seed ^ SALT, SplitMix.mix(f.index() + 1) ^ emitterStreams[emitter], seq);
        return u * 100 < f.pct();
    }

    /** What the faults on do to this event, now. */
    public Decision decide(int emitter, long seq, long nowNanos) {
        Active a = active;
        if (a.faults.isEmpty()) return Decision.NONE;
        String name = emitters.get(emitter);
        List<StreamFault> hits = null, modify = null;
        boolean drop = false;
        long delay = 0, dup = -1;
        StreamFault corrupt = null, inject = null, reorder = null;
        for (int i = 0; i < a.faults.size(); i++) {
            StreamFault f = a.faults.get(i);
            if (!f.applies(name)) continue;
            long n = a.seen.getAndIncrement(i);
            if (f.atCount().isPresent() && n < f.atCount().get()) continue;
            if (f.atTime().isPresent() && nowNanos - a.startNanos < f.atTime().get().toNanos()) continue;
            if (f.kind() == Kind.REORDER) { // every event: the window, not a draw, decides who moves
                if (reorder == null) reorder = f;
                continue;
            }
            if (!hits(f, emitter, seq)) continue;
            if (hits == null) hits = new ArrayList<>(2);
            hits.add(f);
            switch (f.kind()) {
                case DROP -> drop = true;
                case DELAY -> delay = Math.max(delay, f.ms());
                case DUPLICATE -> dup = Math.max(dup, f.ms());
                case MODIFY -> {
                    if (modify == null) modify = new ArrayList<>(1);
                    modify.add(f);
                }
                case CORRUPT -> corrupt = corrupt == null ? f : corrupt;
                case INJECT -> inject = inject == null ? f : inject;
                case REORDER -> { }
            }
        }
        if (hits == null && reorder == null) return Decision.NONE;
        if (hits == null) hits = List.of();
        if (drop) { // a dropped event is not sent: nothing else happens to it
            dropped.increment();
            return new Decision(true, 0, -1, List.of(), hits.stream().filter(f -> f.kind() == Kind.DROP).toList(), null, null, null);
        }
        if (delay > 0) delayed.increment();
        if (dup >= 0) duplicated.increment();
        if (modify != null) modified.increment();
        if (corrupt != null) corrupted.increment();
        if (inject != null) injected.increment();
        return new Decision(false, delay, dup, modify == null ? List.of() : modify, hits, corrupt, inject, reorder);
    }

    /** An event a reorder window sent out of its place. */
    public void reordered() {
        reordered.increment();
    }

    /** A corrupted event's answer: 2xx (a finding, named with its id) or not. */
    public void corruptAnswered(boolean accepted, String id) {
        if (accepted) corruptAccepted.add(id);
        else corruptOther.increment();
    }

    /** An injected event's answer: 2xx or not; one accepted that the target must reject is a finding. */
    public void injectAnswered(boolean accepted, boolean store, String id) {
        (accepted ? injectedAccepted : injectedOther).increment();
        if (accepted && store) injectedStored.increment();
        if (accepted && !store) injectAccepted.add(id);
    }

    /** The injected events accepted that the target is to store: rows beside the accepted events'. */
    public long injectedStored() {
        return injectedStored.sum();
    }

    /** The events accepted though they must be rejected, with the first ids of each kind. */
    public Findings findings() {
        return new Findings(corruptAccepted.count(), corruptAccepted.ids(), injectAccepted.count(), injectAccepted.ids());
    }

    /** A duplicate's answer: 2xx or not. */
    public void duplicateAnswered(boolean accepted) {
        (accepted ? dupAccepted : dupOther).increment();
    }

    public Counts counts() {
        return new Counts(dropped.sum(), duplicated.sum(), delayed.sum(), reordered.sum(), modified.sum(), corrupted.sum(), injected.sum(),
                dupAccepted.sum(), dupOther.sum(), corruptAccepted.count(), corruptOther.sum(), injectedAccepted.sum(), injectedOther.sum());
    }

    public List<String> emitters() {
        return emitters;
    }
}
