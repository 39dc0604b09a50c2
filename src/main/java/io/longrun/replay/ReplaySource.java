package io.longrun.replay;

import io.longrun.pace.DueTimes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The due times of a replay, and the records behind them. It streams: one reader per file, the files merged by
 * timestamp through a queue that holds one record per file, and a short queue of records handed out but not yet
 * rendered. A 5 GB recording replays in the memory of a few records.
 *
 * <p>Pacing: with a fixed {@code rate}, record i is due at i / rate. Otherwise it is due when the one before it
 * was, plus their recorded gap divided by {@code speed}, capped at {@code max_wait}. A record older than the one
 * before it (out of order) goes at once: it is counted, and it never stalls the replay. With {@code loop} N the
 * recordings play N times, each pass right after the one before.
 */
public final class ReplaySource implements DueTimes {
    private record Head(ReplayRecord record, int file) implements Comparable<Head> {
        public int compareTo(Head o) {
            int c = record.time().compareTo(o.record.time());
            return c != 0 ? c : Integer.compare(file, o.file);
        }
    }

    private record Pending(long seq, ReplayRecord record) {}

    static final int MAX_PENDING = 10_000;
    private final ReplaySpec spec;
    private final Skips skips;
    private final List<RecordingReader> readers = new ArrayList<>();
    private final PriorityQueue<Head> heads = new PriorityQueue<>();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private int pass;
    private long index;
    private Instant prevTime;
    private double prevDue;
    private Instant first; // the first record's time, for --rebase now

    public ReplaySource(ReplaySpec spec, Skips skips) {
        this.spec = spec;
        this.skips = skips;
    }

    private void open() {
        try {
            for (int i = 0; i < spec.files().size(); i++) {
                Path f = spec.files().get(i);
                RecordingReader r = new RecordingReader(f, spec.timestampField(), skips, false, spec.rebaseNow() || spec.newIds());
                readers.add(r);
                pull(r, i);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pass++;
    }

    private void pull(RecordingReader r, int file) {
        try {
            ReplayRecord rec = r.next();
            if (rec != null) heads.add(new Head(rec, file));
            else r.close();
        } catch (IOException e) {
            skips.add("io_error", spec.files().get(file) + ": " + e.getMessage());
        } catch (RecordingReader.BadRecording e) {
            throw new IllegalStateException(e); // not with strict=false
        }
    }

    @Override
    public long nextIndex() {
        return index;
    }

    @Override
    public double nextDue() {
        if (pass == 0) open();
        if (heads.isEmpty() && pass < spec.loop()) {
            readers.clear();
            prevTime = null; // a new pass starts right after the last one
            open();
        }
        Head h = heads.poll();
        if (h == null) return Double.POSITIVE_INFINITY;
        pull(readers.get(h.file), h.file);
        ReplayRecord rec = h.record;
        if (first == null) first = rec.time();
        double due;
        if (spec.rate().isPresent()) {
            due = index / spec.rate().get();
        } else if (prevTime == null) {
            due = index == 0 ? 0 : prevDue;
        } else {
            double gap = Duration.between(prevTime, rec.time()).toNanos() / 1e9;
            if (gap < 0) {
                skips.add("out_of_order", rec.file() + ":" + rec.line() + ": earlier than the record before it, sent at once");
                gap = 0;
            }
            gap /= spec.speed();
            if (spec.maxWait().isPresent()) gap = Math.min(gap, spec.maxWait().get().toNanos() / 1e9);
            due = prevDue + gap;
        }
        if (prevTime == null || !rec.time().isBefore(prevTime)) prevTime = rec.time();
        prevDue = due;
        pending.addLast(new Pending(index, rec));
        // A run renders each record within a batch of asking for it (at most a few hundred ahead); one that never
        // renders (a dry run) must not hold the recording in memory.
        if (pending.size() > MAX_PENDING) pending.pollFirst();
        index++;
        return due;
    }

    /** The record of event {@code seq}; records before it that were never asked for (dropped) are let go. */
    ReplayRecord take(long seq) {
        while (!pending.isEmpty() && pending.peekFirst().seq() < seq) pending.pollFirst();
        if (pending.isEmpty() || pending.peekFirst().seq() != seq) return null;
        return pending.pollFirst().record();
    }

    /** The next record to be rendered, left in place (for a warm-up render), or null. */
    ReplayRecord peek() {
        Pending p = pending.peekFirst();
        return p == null ? null : p.record();
    }

    /** The time of the first record, the origin of --rebase now. */
    Instant first() {
        return first;
    }

    /** The lines this replay could not send, so far. */
    public Skips skips() {
        return skips;
    }

    public ReplaySpec spec() {
        return spec;
    }

    /**
     * Reads every file once through, with {@code --strict}: the first line that cannot be replayed is an error
     * naming its file and line, before anything is sent.
     */
    public static void check(ReplaySpec spec) throws RecordingReader.BadRecording, IOException {
        for (Path f : spec.files()) {
            try (RecordingReader r = new RecordingReader(f, spec.timestampField(), new Skips(), true)) {
                while (r.next() != null) {
                    // reading is the check
                }
            }
        }
    }
}
