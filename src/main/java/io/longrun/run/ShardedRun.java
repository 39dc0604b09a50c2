package io.longrun.run;

import io.longrun.deliver.Outcomes;
import io.longrun.pace.Clock;
import io.longrun.pace.DueTimes;
import io.longrun.pace.Skipping;
import io.longrun.pace.Traffic;
import io.longrun.scenario.Scenario;
import io.longrun.shard.Shard;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's place in a sharded run: its {@link Shard} of the global schedule, and the one wall-clock start every
 * shard shares ({@code --start-at}). A shard waits for that instant after its warm-up; one that comes up late
 * passes over the events already due and counts them as {@code missed}, as a resumed run counts those that fell
 * due while no runner was up. Use once per run: it numbers the interval emitters as it is given them.
 */
public final class ShardedRun {
    private final Shard shard;
    private final Optional<Instant> startAt;
    private final List<Skipping> lanes = new ArrayList<>();
    private int intervalSlot;
    private long lateNanos;

    public ShardedRun(Shard shard, Optional<Instant> startAt) {
        this.shard = shard;
        this.startAt = startAt;
    }

    /** A plain run: the whole schedule, starting when it is ready. */
    public static ShardedRun none() {
        return new ShardedRun(Shard.ALL, Optional.empty());
    }

    public Shard shard() {
        return shard;
    }

    public Optional<Instant> startAt() {
        return startAt;
    }

    /** Whether this run is a plain one. */
    boolean plain() {
        return shard.whole() && startAt.isEmpty();
    }

    /** This shard's part of the emitter's traffic; call once per emitter, in the scenario's order. */
    Traffic traffic(Scenario.Emitter e, Traffic whole) {
        int slot = e.interval().isPresent() ? intervalSlot++ : 0;
        return shard.apply(whole, e, slot);
    }

    /** Tells the outcomes which emitters are split by index, so that their settled prefixes count this shard's events. */
    void split(Scenario sc, Outcomes outcomes) {
        if (shard.whole()) return;
        for (int i = 0; i < sc.emitters().size(); i++)
            if (sc.emitters().get(i).interval().isEmpty()) outcomes.split(i, shard.count(), shard.index());
    }

    /** Wraps an emitter's due times so that a late start can pass over what is already due; call once per emitter, in order. */
    DueTimes wrap(DueTimes d) {
        if (startAt.isEmpty()) return d;
        Skipping s = new Skipping(d);
        lanes.add(s);
        return s;
    }

    /**
     * Waits for {@code --start-at} and returns the schedule's time zero in monotonic nanoseconds: that instant, on
     * the monotonic clock. Late, it passes every emitter over the events due before now and files them as missed.
     * Without {@code --start-at}: now.
     */
    long begin(Clock clock, Outcomes outcomes) throws InterruptedException {
        if (startAt.isEmpty()) return clock.nanoTime();
        long mono = clock.nanoTime();
        long ahead = Duration.between(clock.now(), startAt.get()).toNanos();
        if (ahead >= 0) { // up in time: time zero is that instant; what the wait overshoots is caught up, not missed
            clock.parkUntil(mono + ahead);
            return mono + ahead;
        }
        long late = -ahead;
        lateNanos = late;
        if (lateNanos > 0) {
            for (int i = 0; i < lanes.size(); i++) {
                Skipping s = lanes.get(i);
                long missed = s.skipUntil(lateNanos / 1e9);
                if (missed > 0)
                    outcomes.resume(i, new Outcomes.Prior(s.nextIndex(), missed, 0, 0, 0, 0, 0, missed, Map.of(), Map.of(), null, null));
            }
        }
        return mono - late;
    }

    /**
     * {@link #begin} with the dispatcher's first events read again after it: a late shard passes over what fell due,
     * and the first event the dispatcher read before its warm-up must be passed over with them (not sent late).
     */
    long begin(io.longrun.deliver.Dispatcher dispatcher, Clock clock, Outcomes outcomes) throws InterruptedException {
        if (startAt.isEmpty()) return clock.nanoTime();
        long[] start = new long[1];
        InterruptedException[] stopped = new InterruptedException[1];
        dispatcher.rereadFirst(() -> {
            try {
                start[0] = begin(clock, outcomes);
            } catch (InterruptedException e) {
                stopped[0] = e;
            }
        });
        if (stopped[0] != null) throw stopped[0];
        return start[0];
    }

    /** Where the schedule stands when it starts: 0, or how late this shard came up, in nanoseconds. */
    long from() {
        return lateNanos;
    }

    /** Events passed over because this shard came up late. */
    long missed() {
        long n = 0;
        for (Skipping s : lanes) n += s.skipped();
        return n;
    }

    /** The fields run.start carries: which shard, and the shared start. */
    Map<String, Object> startFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!shard.whole()) m.put("shard", Map.of("index", shard.index(), "count", shard.count()));
        startAt.ifPresent(t -> m.put("start_at", t.toString()));
        return m;
    }

    /**
     * The shard.start record: when the shard's schedule started, what it missed by coming up late, and how many
     * events its share holds per emitter ({@code expected}, the area under its schedule: within an event of its
     * count), so that a merged report can name the share of a shard that died.
     */
    Map<String, Object> startRecord(Scenario sc, List<io.longrun.pace.Schedule> schedules) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shard", shard.toString());
        startAt.ifPresent(t -> m.put("start_at", t.toString()));
        m.put("late_s", RunMonitor.round(lateNanos / 1e9, 3));
        m.put("missed", missed());
        if (!sc.duration().equals(Scenario.UNTIL_DONE)) {
            Map<String, Object> expected = new LinkedHashMap<>();
            for (int i = 0; i < schedules.size(); i++)
                expected.put(sc.emitters().get(i).name(), Math.round(schedules.get(i).area(0, schedules.get(i).end())));
            m.put("expected", expected);
        }
        return m;
    }

    /** For the start line: how late the shard came up. */
    String startText() {
        String s = shard.whole() ? "" : "shard " + shard;
        if (startAt.isPresent()) s += (s.isEmpty() ? "" : ", ") + (lateNanos > 0
                ? String.format(java.util.Locale.ROOT, "%.1f s late for --start-at %s: %,d event(s) missed", lateNanos / 1e9, startAt.get(), missed())
                : "started at " + startAt.get());
        return s;
    }
}
