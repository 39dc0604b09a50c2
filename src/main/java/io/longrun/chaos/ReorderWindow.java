package io.longrun.chaos;

import io.longrun.random.SplitMix;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code reorder} fault's window for one emitter: events are held until {@code size} of them are in, and then
 * leave together in a shuffled order. The shuffle is seeded by (seed, the window's first seq), so the same seed
 * shuffles the same events the same way. Not thread-safe: one emitter's window lives on the HTTP client's event loop.
 */
public final class ReorderWindow<T> {
    /** An event in its sending order: {@code movedBy} places from where it came (negative: it left earlier). */
    public record Placed<T>(T item, long seq, int movedBy) {}

    private final int size;
    private final long seed;
    private final List<T> items = new ArrayList<>();
    private final List<Long> seqs = new ArrayList<>();

    public ReorderWindow(int size, long seed) {
        if (size < 2) throw new IllegalArgumentException("a reorder window holds 2 events or more");
        this.size = size;
        this.seed = seed;
    }

    /** Adds an event; returns the window in its sending order once it is full, else an empty list. */
    public List<Placed<T>> add(T item, long seq) {
        items.add(item);
        seqs.add(seq);
        return items.size() >= size ? flush() : List.of();
    }

    /** Whether no event is held. */
    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** The events held, shuffled, and the window emptied (a window cut short by the end of its phase or its wait). */
    public List<Placed<T>> flush() {
        int n = items.size();
        if (n == 0) return List.of();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        // Fisher-Yates from the end: position i takes one of 0..i
        for (int i = n - 1; i > 0; i--) {
            int j = (int) Math.floor(SplitMix.uniform(seed, seqs.get(0), i) * (i + 1));
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<Placed<T>> out = new ArrayList<>(n);
        for (int pos = 0; pos < n; pos++) out.add(new Placed<>(items.get(order[pos]), seqs.get(order[pos]), pos - order[pos]));
        items.clear();
        seqs.clear();
        return out;
    }
}
