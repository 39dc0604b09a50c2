package io.longrun.reference;

import io.longrun.pace.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The faults that are on now: those of {@code --fault}, then whatever the runtime fault API switches on and off.
 * Each fault is kept by name with its SPEC as given and the time it was switched on; the time faults
 * ({@code down_after}, {@code slow_after}, {@code error_ramp}) count from that time, so a fault switched on at run
 * time starts from zero, as one given at start does. Readers take {@link #now()}, a snapshot that never changes.
 */
public final class LiveFaults {
    /** One fault that is on: its name, its SPEC, when it was switched on (monotonic and wall time). */
    public record On(String name, String spec, long sinceNanos, Instant since) {}

    /** What is on at one moment. */
    public record Snapshot(Faults faults, Map<String, On> on) {
        /** When {@code name} was switched on (monotonic nanoseconds); empty when it is off. */
        public Optional<Long> since(String name) {
            On o = on.get(name);
            return o == null ? Optional.empty() : Optional.of(o.sinceNanos());
        }
    }

    private final Clock clock;
    private volatile Snapshot now;

    /**
     * The faults of {@code specs} on from now.
     *
     * @throws IllegalArgumentException as {@link Faults#parse(List)} does
     */
    public LiveFaults(List<String> specs, Clock clock) {
        this.clock = clock;
        this.now = new Snapshot(Faults.NONE, Map.of());
        set(specs, "--fault");
    }

    /** Already parsed ({@code Faults.describe()} gives the SPECs back). */
    public static LiveFaults of(Faults faults, Clock clock) {
        String d = faults.describe();
        return new LiveFaults(d.equals("none") ? List.of() : List.of(d.split(" ")), clock);
    }

    public Snapshot now() {
        return now;
    }

    public Faults faults() {
        return now.faults();
    }

    /**
     * Switches on the faults of {@code specs}; one that is on already takes the new SPEC (and counts its time again).
     * Nothing changes when any SPEC is bad.
     *
     * @param label how the messages name a SPEC: {@code --fault} or {@code fault}
     * @throws IllegalArgumentException every problem, one per line, as {@link Faults#parse(List, String)} words it
     */
    public synchronized Snapshot set(List<String> specs, String label) {
        Map<String, On> next = new LinkedHashMap<>(now.on());
        List<String> given = new ArrayList<>();
        for (String s : specs) given.add(s.trim());
        for (String s : given) next.remove(Faults.name(s));
        List<String> all = new ArrayList<>();
        next.values().forEach(o -> all.add(o.spec()));
        all.addAll(given);
        Faults parsed = Faults.parse(all, label); // the whole set: slow_latency needs slow_after, once each
        long t = clock.nanoTime();
        Instant wall = clock.now();
        for (String s : given) next.put(Faults.name(s), new On(Faults.name(s), s, t, wall));
        return now = new Snapshot(parsed, Collections.unmodifiableMap(next));
    }

    /**
     * Switches {@code name} off ({@code slow_after} takes {@code slow_latency} with it).
     *
     * @return false when it was not on
     */
    public synchronized boolean remove(String name) {
        Map<String, On> next = new LinkedHashMap<>(now.on());
        if (next.remove(name) == null) return false;
        if (name.equals("slow_after")) next.remove("slow_latency");
        now = new Snapshot(Faults.parse(next.values().stream().map(On::spec).toList()), Collections.unmodifiableMap(next));
        return true;
    }

    /** Switches every fault off. */
    public synchronized void clear() {
        now = new Snapshot(Faults.NONE, Map.of());
    }
}
