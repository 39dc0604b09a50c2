package io.longrun.shard;

import io.longrun.pace.DueTimes;
import io.longrun.pace.Traffic;
import io.longrun.scenario.Scenario;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One share of a run's global schedule, {@code --shard I/N}, as k6's execution segments give equal shares: of an
 * emitter paced by a rate (and of a replay) it sends exactly the events whose index {@code e} satisfies
 * {@code e mod N == I}; of the interval emitters (a pool's members) it runs whole emitters, the k-th of them (in the
 * scenario's order) when {@code k mod N == I}. Every event keeps its global index, so its id is the one a single
 * instance gives it: the N shards together are the single-instance run, id for id, and they need no talking to
 * each other to be exact. Pure: a function of the event's index.
 */
public record Shard(int index, int count) {
    /** The whole schedule: one instance. */
    public static final Shard ALL = new Shard(0, 1);

    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{1,9})\\s*");

    public Shard {
        if (count < 1) throw new IllegalArgumentException("the number of shards must be at least 1");
        if (index < 0 || index >= count) throw new IllegalArgumentException("the shard's index must be from 0 to " + (count - 1));
    }

    /**
     * Reads {@code I/N}: N shards, this one the I-th, counted from 0.
     *
     * @throws IllegalArgumentException with a message in the user's words
     */
    public static Shard parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) throw new IllegalArgumentException("not a shard: '" + text + "' (write I/N, e.g. 0/3, 1/3 and 2/3 for three shards)");
        int i = Integer.parseInt(m.group(1)), n = Integer.parseInt(m.group(2));
        if (n < 1) throw new IllegalArgumentException("'" + text + "': the number of shards (after the /) must be at least 1");
        if (i >= n) throw new IllegalArgumentException("'" + text + "': the shard's index counts from 0, so it must be below " + n
                + " (the shards of " + n + " are 0/" + n + " ... " + (n - 1) + "/" + n + ")");
        return new Shard(i, n);
    }

    /** Whether this is the whole schedule. */
    public boolean whole() {
        return count == 1;
    }

    /** Whether event {@code e} of an emitter split by index is this shard's. */
    public boolean owns(long e) {
        return Math.floorMod(e, count) == index;
    }

    /** Whether the k-th interval emitter (a whole emitter) is this shard's. */
    public boolean ownsEmitter(int k) {
        return Math.floorMod(k, count) == index;
    }

    /**
     * This shard's part of an emitter's traffic. {@code intervalSlot}: for an interval emitter, its place among the
     * scenario's interval emitters (0, 1, ...); ignored for others. The schedule is scaled to the shard's share, so
     * that the plan per tick ({@code eff_eps}) and a schedule_not_met criterion judge what this shard is to send.
     */
    public Traffic apply(Traffic t, Scenario.Emitter e, int intervalSlot) {
        if (whole()) return t;
        if (e.interval().isPresent()) {
            return ownsEmitter(intervalSlot) ? t : new Traffic(t.schedule().scaled(0), NONE);
        }
        return new Traffic(t.schedule().scaled(1.0 / count), new ShardDueTimes(t.dueTimes(), this));
    }

    /** An emitter with nothing to send. */
    private static final DueTimes NONE = new DueTimes() {
        @Override
        public long nextIndex() {
            return 0;
        }

        @Override
        public double nextDue() {
            return Double.POSITIVE_INFINITY;
        }
    };

    /** As the user writes it: {@code 1/3}. */
    @Override
    public String toString() {
        return index + "/" + count;
    }
}
