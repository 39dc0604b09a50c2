package io.longrun.deliver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One emitter's settled prefix: every event below {@link #next()} has its outcome, and the counts here are those
 * events' outcomes, exactly. Outcomes arrive out of order (responses overtake each other); an event that has not
 * come back holds the prefix until it does. A resumed run takes its first segment's figures from the last
 * checkpoint of this prefix, and knows the events above it as the ones whose outcome it cannot know.
 *
 * <p>Pending outcomes wait in a ring indexed by sequence number. Its span is the distance between the oldest event
 * in flight and the newest one settled, at most the rate times the request time-out; the ring doubles when an
 * outcome falls beyond it. Not thread-safe: the caller holds the emitter's lock.
 */
public final class Settled {
    static final int INITIAL = 1 << 12;
    /** The widest span tracked (32 MB of ring): beyond it the prefix stops where it is, and says so. */
    static final int MAX = 1 << 24;
    private boolean overflowed;
    private short[] ring = new short[INITIAL]; // 0: no outcome yet; else 1 + the index of its key in keys
    private long next;
    private final List<String> keys = new ArrayList<>(); // "accepted", "rejected:404", "failed:timeout", "dropped"
    private final Map<String, Integer> keyIndex = new LinkedHashMap<>();
    private long[] counts = new long[8];

    /** Starts the prefix at {@code next}: events below it are another segment's. */
    Settled(long next) {
        this.next = next;
    }

    /** Files event {@code seq}'s outcome; {@code reason} is the status or error reason (null for accepted and dropped). */
    void add(long seq, Outcome outcome, String reason) {
        put(seq, outcome == Outcome.REJECTED || outcome == Outcome.FAILED ? outcome.key() + ":" + reason : outcome.key(),
                outcome == Outcome.REJECTED || outcome == Outcome.FAILED ? outcome.key() + ":other" : outcome.key());
    }

    /** Files event {@code seq} as dropped by a stream fault (by design): settled, and in none of the outcomes' counts. */
    void chaos(long seq) {
        put(seq, CHAOS, CHAOS);
    }

    static final String CHAOS = "chaos";

    private void put(long seq, String k, String other) {
        if (seq < next || overflowed) return; // below: already settled, an outcome is filed once
        long span = seq - next;
        if (span >= MAX) {
            overflowed = true; // an event in flight far longer than the others: the prefix ends at it
            return;
        }
        while (span >= ring.length) grow();
        int code = 1 + key(k);
        if (code > Short.MAX_VALUE) code = 1 + key(other);
        ring[(int) (seq & (ring.length - 1))] = (short) code;
        int mask = ring.length - 1;
        while (true) {
            int slot = (int) (next & mask);
            short c = ring[slot];
            if (c == 0) return;
            counts[c - 1]++;
            ring[slot] = 0;
            next++;
        }
    }

    /** A key's index; its first sighting adds it (through computeIfAbsent: the run's first outcome is no branch of its own). */
    private int key(String k) {
        return keyIndex.computeIfAbsent(k, this::add);
    }

    private int add(String k) {
        int n = keys.size();
        keys.add(k);
        if (n >= counts.length) counts = java.util.Arrays.copyOf(counts, counts.length * 2);
        return n;
    }

    private void grow() {
        short[] bigger = new short[ring.length * 2];
        int mask = ring.length - 1, bigMask = bigger.length - 1;
        for (long s = next; s < next + ring.length; s++) bigger[(int) (s & bigMask)] = ring[(int) (s & mask)];
        ring = bigger;
    }

    /** Whether outcomes came too far ahead of the prefix to be tracked: it stopped at {@link #next()}. */
    boolean overflowed() {
        return overflowed;
    }

    /** The first event without an outcome: every event below it is settled. */
    long next() {
        return next;
    }

    /** The settled events' outcomes: {@code accepted}, {@code rejected}, {@code failed}, {@code dropped} and the reasons. */
    Counts counts() {
        long a = 0, r = 0, f = 0, d = 0;
        Map<String, Long> rb = new TreeMap<>(), fb = new TreeMap<>();
        for (int i = 0; i < keys.size(); i++) {
            long n = counts[i];
            if (n == 0) continue;
            String k = keys.get(i);
            if (k.equals("accepted")) a += n;
            else if (k.equals("dropped")) d += n;
            else if (k.equals(CHAOS)) continue; // dropped by a stream fault: counted in the run's chaos figures
            else if (k.startsWith("rejected:")) {
                r += n;
                rb.merge(k.substring(9), n, Long::sum);
            } else {
                f += n;
                fb.merge(k.substring(7), n, Long::sum);
            }
        }
        return new Counts(next, a, r, f, d, rb, fb);
    }

    /** A settled prefix: the events below {@code next} and how they ended. */
    public record Counts(long next, long accepted, long rejected, long failed, long dropped, Map<String, Long> rejectedBy,
                         Map<String, Long> failedBy) {
        public Counts {
            rejectedBy = Map.copyOf(rejectedBy);
            failedBy = Map.copyOf(failedBy);
        }
    }
}
