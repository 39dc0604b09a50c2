package io.longrun.deliver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Counts per emitter of where events ended, and their latency on two clocks: from the intended send time (the
 * due time, so a stalled target's queueing shows: coordinated omission corrected) and from the actual send time
 * (service time). Recording is cheap and thread-safe; {@link #snapshot()} is called by one thread (the tick) and
 * turns the counts since the previous snapshot into per-tick figures, in two phases as Vegeta's metrics do.
 *
 * <p>Memory is fixed when the run starts, whatever its length and its latencies: each latency histogram covers
 * 1 us to {@link Histograms#MAX_LATENCY_MICROS} at 3 significant digits and is allocated once (a longer latency counts as
 * the longest). An auto-resizing histogram reallocates its counts each time a slower request sets a new maximum;
 * by then the old counts had been promoted to the old generation, so each latency spike of a soak left a step in
 * the heap after GC (bench/heap.sh).
 *
 * <p>Just over 400 lines, on purpose: one emitter's counters and histograms are already {@link OutcomeLane}, and format
 * errors {@link FormatErrors}; what stays (recording, snapshots, the resume checkpoint, the shards' histograms) all
 * reads and writes the same lanes under this object's one lock, and splitting it would hand that lock around.
 */
public final class Outcomes {
    /** One emitter's figures over an interval (a tick) or over the whole run. */
    public record Stats(String emitter, long planned, long sent, long accepted, long rejected, long failed, long dropped,
                        Map<String, Long> rejectedBy, Map<String, Long> failedBy, Latency intended, Latency service, long missed) {
        /** Figures without missed events: a run that was not resumed. */
        public Stats(String emitter, long planned, long sent, long accepted, long rejected, long failed, long dropped,
                     Map<String, Long> rejectedBy, Map<String, Long> failedBy, Latency intended, Latency service) {
            this(emitter, planned, sent, accepted, rejected, failed, dropped, rejectedBy, failedBy, intended, service, 0);
        }

        public long errors() {
            return rejected + failed;
        }

        public long completed() {
            return accepted + rejected + failed;
        }
    }

    private final OutcomeLane[] lanes;

    public Outcomes(List<String> emitters) {
        lanes = emitters.stream().map(OutcomeLane::new).toArray(OutcomeLane[]::new);
    }

    private volatile Outcomes warm;

    /**
     * Where the warm-up's completions are recorded: counts and histograms of the same kind, apart from the run's,
     * so that the recording path is compiled before the first event (on this 2-core machine, C2 compiling it at
     * the start of the schedule cost the first second a few percent at 10,000/s). Nobody reads them.
     */
    public Outcomes warm() {
        Outcomes w = warm;
        if (w == null) {
            synchronized (this) {
                if (warm == null) warm = new Outcomes(emitters());
                w = warm;
            }
        }
        return w;
    }

    /**
     * The emitter is split by index over {@code count} shards and this one sends the events {@code e} with
     * {@code e mod count == index}: the settled prefix then counts in those events only (the others never come).
     * Call before the first event.
     */
    public synchronized void split(int emitter, int count, int index) {
        OutcomeLane l = lanes[emitter];
        l.stride = count;
        l.offset = index;
    }

    public void planned(int emitter) {
        lanes[emitter].planned.increment();
    }

    /** Why an event was dropped: {@code max_in_flight} requests were pending for a whole tick. */
    public static final String NO_SLOT = "max_in_flight";
    /** Why an event was dropped: after a stall, the catch-up cap would have sent it more than a tick late. */
    public static final String LATE = "late";

    private final Map<String, LongAdder> droppedBy = new ConcurrentHashMap<>();

    /** Event {@code seq} of an emitter was never sent. */
    public void dropped(int emitter, long seq) {
        dropped(emitter, seq, NO_SLOT);
    }

    /** Event {@code seq} of an emitter was never sent, for {@code reason} ({@link #NO_SLOT} or {@link #LATE}). */
    public void dropped(int emitter, long seq, String reason) {
        droppedBy.computeIfAbsent(reason, k -> new LongAdder()).increment();
        OutcomeLane l = lanes[emitter];
        l.dropped.increment();
        synchronized (l) {
            l.settled.add(l.local(seq), Outcome.DROPPED, null);
        }
        Unaccepted u = unaccepted;
        if (u != null) u.unaccepted(emitter, seq);
    }

    /**
     * Event {@code seq} was dropped by a stream fault (by design) after the dispatcher had counted it sent: it is
     * no longer sent, and in none of accepted, rejected, failed or dropped. {@code planned} = those +
     * missed + the run's {@code chaos.dropped}.
     */
    public void chaosDropped(int emitter, long seq) {
        OutcomeLane l = lanes[emitter];
        l.sent.decrement();
        synchronized (l) {
            l.settled.chaos(l.local(seq));
        }
    }

    /**
     * Event {@code seq} was sent corrupted by a stream fault and has its answer: as a duplicate's copy, its request
     * is not one of the run's events (its answer counts in the run's chaos figures), so it leaves {@code sent} and is
     * in none of accepted, rejected, failed or dropped. {@code planned} = those + missed + the run's
     * {@code chaos.dropped} + {@code chaos.corrupted}.
     */
    public void chaosAnswered(int emitter, long seq) {
        OutcomeLane l = lanes[emitter];
        l.sent.decrement();
        synchronized (l) {
            l.settled.chaos(seq);
        }
    }

    /** Hears every event that ends other than accepted (rejected, failed, dropped by the pacer): emitter and seq. */
    public interface Unaccepted {
        void unaccepted(int emitter, long seq);
    }

    private volatile Unaccepted unaccepted;

    public void onUnaccepted(Unaccepted listener) {
        this.unaccepted = listener;
    }

    /** The user-format errors: per emitter, the format's class, its last message and how many. */
    private final FormatErrors formatErrors = new FormatErrors();

    /** Event of emitter {@code emitter} could not be rendered: its user format threw or returned null. */
    public void formatError(int emitter, String className, String message) {
        formatErrors.add(emitter, className, message);
    }

    /** The user-format errors so far, by emitter name; empty when there were none. */
    public Map<String, FormatErrors.Error> formatErrors() {
        return formatErrors.byName(i -> lanes[i].name);
    }

    /** The events dropped so far in this segment, all emitters, by reason. */
    public Map<String, Long> droppedBy() {
        Map<String, Long> m = new TreeMap<>();
        droppedBy.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    public void sent(int emitter) {
        lanes[emitter].sent.increment();
    }

    /**
     * Records a completed request: event {@code seq} of the emitter.
     *
     * @param reason the status code for a rejection or failure with a status, else a short error reason
     * @param due    the intended send time, monotonic nanoseconds
     * @param start  the actual send time
     * @param end    when the response (or the error) came
     */
    public void completed(int emitter, long seq, Outcome outcome, String reason, long due, long start, long end) {
        OutcomeLane l = lanes[emitter];
        switch (outcome) {
            case ACCEPTED -> l.accepted.increment();
            case REJECTED -> {
                l.rejected.increment();
                l.rejectedBy.computeIfAbsent(reason, k -> new LongAdder()).increment();
            }
            case FAILED -> {
                l.failed.increment();
                l.failedBy.computeIfAbsent(reason, k -> new LongAdder()).increment();
            }
            case DROPPED -> throw new IllegalArgumentException("a completed request is not dropped");
        }
        long intended = Histograms.micros(end - due), service = Histograms.micros(end - start);
        synchronized (l) {
            l.intended.recordValue(intended);
            l.service.recordValue(service);
            l.settled.add(l.local(seq), outcome, reason);
        }
        Unaccepted u = unaccepted;
        if (u != null && outcome != Outcome.ACCEPTED) u.unaccepted(emitter, seq);
        LatencyListener listener = latencyListener;
        if (listener != null) listener.latency(Math.max(0, end - due), Math.max(0, end - start));
    }

    /** Hears every completed request's latency, on both clocks, in nanoseconds (the metrics' histograms). */
    public interface LatencyListener {
        void latency(long intendedNanos, long serviceNanos);
    }

    private volatile LatencyListener latencyListener;

    public void onLatency(LatencyListener listener) {
        this.latencyListener = listener;
    }

    /** The emitters' names, in order. */
    public List<String> emitters() {
        List<String> out = new java.util.ArrayList<>(lanes.length);
        for (OutcomeLane l : lanes) out.add(l.name);
        return out;
    }

    /** A running count for one emitter and outcome, cheap enough for every scrape. */
    public long count(int emitter, Outcome outcome) {
        OutcomeLane l = lanes[emitter];
        return switch (outcome) {
            case ACCEPTED -> l.accepted.sum();
            case REJECTED -> l.rejected.sum();
            case FAILED -> l.failed.sum();
            case DROPPED -> l.dropped.sum();
        };
    }

    /** Requests sent and not yet completed. */
    public long inFlight() {
        long n = 0;
        for (OutcomeLane l : lanes) n += l.sent.sum() - l.accepted.sum() - l.rejected.sum() - l.failed.sum();
        return n;
    }

    /** Per emitter, the figures since the previous snapshot. Called by one thread at a time. */
    public synchronized List<Stats> snapshot() {
        List<Stats> out = new ArrayList<>(lanes.length);
        for (OutcomeLane l : lanes) {
            Histogram i = l.tickIntended, s = l.tickService;
            i.reset();
            s.reset();
            synchronized (l) {
                l.tickIntended = l.intended;
                l.tickService = l.service;
                l.intended = i;
                l.service = s;
            }
            l.totalIntended.add(l.tickIntended);
            l.totalService.add(l.tickService);
            long planned = l.planned.sum(), sent = l.sent.sum(), acc = l.accepted.sum(), rej = l.rejected.sum(),
                    fail = l.failed.sum(), drop = l.dropped.sum();
            out.add(new Stats(l.name, planned - l.pPlanned, sent - l.pSent, acc - l.pAccepted, rej - l.pRejected,
                    fail - l.pFailed, drop - l.pDropped, OutcomeLane.delta(l.rejectedBy, l.pRejectedBy), OutcomeLane.delta(l.failedBy, l.pFailedBy),
                    Latency.of(l.tickIntended), Latency.of(l.tickService)));
            l.pPlanned = planned;
            l.pSent = sent;
            l.pAccepted = acc;
            l.pRejected = rej;
            l.pFailed = fail;
            l.pDropped = drop;
        }
        return out;
    }

    /**
     * Per emitter, the figures of the whole run so far. Counts are current; latencies cover the requests up to the
     * latest {@link #snapshot()}, so take a last one before reading the final totals.
     */
    public synchronized List<Stats> totals() {
        List<Stats> out = new ArrayList<>(lanes.length);
        for (OutcomeLane l : lanes) {
            out.add(new Stats(l.name, l.planned.sum(), l.sent.sum(), l.accepted.sum(), l.rejected.sum(), l.failed.sum(),
                    l.dropped.sum(), OutcomeLane.sums(l.rejectedBy), OutcomeLane.sums(l.failedBy), Latency.of(l.totalIntended), Latency.of(l.totalService), l.missed));
        }
        return out;
    }

    /** All emitters together. */
    public static Stats sum(String name, List<Stats> list, Latency intended, Latency service) {
        long p = 0, s = 0, a = 0, r = 0, f = 0, d = 0, m = 0;
        Map<String, Long> rb = new TreeMap<>(), fb = new TreeMap<>();
        for (Stats x : list) {
            p += x.planned;
            s += x.sent;
            a += x.accepted;
            r += x.rejected;
            f += x.failed;
            d += x.dropped;
            m += x.missed;
            x.rejectedBy.forEach((k, v) -> rb.merge(k, v, Long::sum));
            x.failedBy.forEach((k, v) -> fb.merge(k, v, Long::sum));
        }
        return new Stats(name, p, s, a, r, f, d, rb, fb, intended, service, m);
    }

    /** Latency of all emitters over the whole run. */
    public synchronized Latency[] totalLatency() {
        Histogram i = Histograms.empty(), s = Histograms.empty();
        for (OutcomeLane l : lanes) {
            i.add(l.totalIntended);
            s.add(l.totalService);
        }
        return new Latency[] {Latency.of(i), Latency.of(s)};
    }

    /**
     * A resumed run: the figures of the segments before it, for one emitter. They count in {@link #totals()} and not
     * in the next {@link #snapshot()}; the emitter's events from {@code prior.next()} on are this segment's.
     */
    public synchronized void resume(int emitter, Prior prior) {
        OutcomeLane l = lanes[emitter];
        l.planned.add(prior.planned());
        l.sent.add(prior.sent());
        l.accepted.add(prior.accepted());
        l.rejected.add(prior.rejected());
        l.failed.add(prior.failed());
        l.dropped.add(prior.dropped());
        l.missed = prior.missed();
        prior.rejectedBy().forEach((k, v) -> l.rejectedBy.computeIfAbsent(k, x -> new LongAdder()).add(v));
        prior.failedBy().forEach((k, v) -> l.failedBy.computeIfAbsent(k, x -> new LongAdder()).add(v));
        l.pPlanned = l.planned.sum();
        l.pSent = l.sent.sum();
        l.pAccepted = l.accepted.sum();
        l.pRejected = l.rejected.sum();
        l.pFailed = l.failed.sum();
        l.pDropped = l.dropped.sum();
        l.rejectedBy.forEach((k, v) -> l.pRejectedBy.put(k, v.sum()));
        l.failedBy.forEach((k, v) -> l.pFailedBy.put(k, v.sum()));
        if (prior.intended() != null) l.totalIntended.add(prior.intended());
        if (prior.service() != null) l.totalService.add(prior.service());
        synchronized (l) {
            l.settled = new Settled(l.local(prior.next()));
        }
        l.prior = prior;
    }

    /**
     * What came before a resumed segment, for one emitter: every event below {@code next} is accounted for, as
     * accepted, rejected, failed, dropped or missed. {@code intended} and {@code service} are its latency histograms
     * (microseconds), or null.
     */
    public record Prior(long next, long planned, long sent, long accepted, long rejected, long failed, long dropped, long missed,
                        Map<String, Long> rejectedBy, Map<String, Long> failedBy, Histogram intended, Histogram service) {
        public static final Prior NONE = new Prior(0, 0, 0, 0, 0, 0, 0, 0, Map.of(), Map.of(), null, null);
    }

    /**
     * Per emitter, the settled prefix with what came before this segment: every event below {@code next()} ended,
     * and these are their outcomes, exactly (the run log's checkpoint; a resume starts from it).
     */
    public List<Prior> checkpoint() {
        List<Prior> out = new ArrayList<>(lanes.length);
        for (OutcomeLane l : lanes) {
            Settled.Counts c;
            synchronized (l) {
                c = l.settled.counts();
            }
            Prior p = l.prior;
            Map<String, Long> rb = new TreeMap<>(p.rejectedBy()), fb = new TreeMap<>(p.failedBy());
            c.rejectedBy().forEach((k, v) -> rb.merge(k, v, Long::sum));
            c.failedBy().forEach((k, v) -> fb.merge(k, v, Long::sum));
            long settled = c.next() - l.local(p.next());
            out.add(new Prior(l.global(c.next()), p.planned() + settled, p.sent() + c.accepted() + c.rejected() + c.failed(), p.accepted() + c.accepted(),
                    p.rejected() + c.rejected(), p.failed() + c.failed(), p.dropped() + c.dropped(), p.missed(), rb, fb, null, null));
        }
        return out;
    }

    /**
     * The latency histograms of the latest {@link #snapshot()}'s tick, per emitter: {intended, service}, each in
     * HdrHistogram's compressed encoding, base64 (empty when no request completed). Percentiles of several ticks,
     * segments or shards merge exactly from these. Call from the thread that takes the snapshots.
     */
    public synchronized List<String[]> tickHistograms() {
        List<String[]> out = new ArrayList<>(lanes.length);
        for (OutcomeLane l : lanes) out.add(new String[] {Histograms.encode(l.tickIntended), Histograms.encode(l.tickService)});
        return out;
    }

    /**
     * The service time's histograms of the whole run so far, per emitter, in HdrHistogram's compressed encoding
     * (base64; empty when none completed): up to the latest {@link #snapshot()}. Call from the thread that takes the
     * snapshots.
     */
    public synchronized List<String> totalServiceHistograms() {
        List<String> out = new ArrayList<>(lanes.length);
        for (OutcomeLane l : lanes) out.add(Histograms.encode(l.totalService));
        return out;
    }

    /** The bytes the latency histograms take, all lanes together (for tests: it must not change during a run). */
    synchronized long histogramBytes() {
        long n = 0;
        for (OutcomeLane l : lanes) {
            synchronized (l) {
                for (Histogram h : List.of(l.intended, l.service, l.tickIntended, l.tickService, l.totalIntended, l.totalService))
                    n += h.getEstimatedFootprintInBytes();
            }
        }
        return n;
    }
}
