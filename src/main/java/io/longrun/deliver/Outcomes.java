package io.longrun.deliver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counts per emitter of where events ended, and their latency on two clocks: from the intended send time (the
 * due time, so a stalled target's queueing shows: coordinated omission corrected) and from the actual send time
 * (service time). Recording is cheap and thread-safe; {@link #snapshot()} is called by one thread (the tick) and
 * turns the counts since the previous snapshot into per-tick figures, in two phases as Vegeta's metrics do.
 */
public final class Outcomes {
    /** One emitter's figures over an interval (a tick) or over the whole run. */
    public record Stats(String emitter, long planned, long sent, long accepted, long rejected, long failed, long dropped,
                        Map<String, Long> rejectedBy, Map<String, Long> failedBy, Latency intended, Latency service) {
        public long errors() {
            return rejected + failed;
        }

        public long completed() {
            return accepted + rejected + failed;
        }
    }

    private static final class Lane {
        final String name;
        final LongAdder planned = new LongAdder(), sent = new LongAdder(), dropped = new LongAdder();
        final LongAdder accepted = new LongAdder(), rejected = new LongAdder(), failed = new LongAdder();
        final Map<String, LongAdder> rejectedBy = new ConcurrentHashMap<>(), failedBy = new ConcurrentHashMap<>();
        final Recorder intended = new Recorder(3), service = new Recorder(3);
        final Histogram totalIntended = new Histogram(3), totalService = new Histogram(3);
        Histogram tickIntended, tickService;
        // values at the previous snapshot
        long pPlanned, pSent, pAccepted, pRejected, pFailed, pDropped;
        final Map<String, Long> pRejectedBy = new TreeMap<>(), pFailedBy = new TreeMap<>();

        Lane(String name) {
            this.name = name;
        }
    }

    private final Lane[] lanes;

    public Outcomes(List<String> emitters) {
        lanes = emitters.stream().map(Lane::new).toArray(Lane[]::new);
    }

    public void planned(int emitter) {
        lanes[emitter].planned.increment();
    }

    public void dropped(int emitter) {
        lanes[emitter].dropped.increment();
    }

    public void sent(int emitter) {
        lanes[emitter].sent.increment();
    }

    /**
     * Records a completed request.
     *
     * @param reason the status code for a rejection or failure with a status, else a short error reason
     * @param due    the intended send time, monotonic nanoseconds
     * @param start  the actual send time
     * @param end    when the response (or the error) came
     */
    public void completed(int emitter, Outcome outcome, String reason, long due, long start, long end) {
        Lane l = lanes[emitter];
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
        l.intended.recordValue(Math.max(0, (end - due) / 1000));
        l.service.recordValue(Math.max(0, (end - start) / 1000));
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
        for (Lane l : lanes) out.add(l.name);
        return out;
    }

    /** A running count for one emitter and outcome, cheap enough for every scrape. */
    public long count(int emitter, Outcome outcome) {
        Lane l = lanes[emitter];
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
        for (Lane l : lanes) n += l.sent.sum() - l.accepted.sum() - l.rejected.sum() - l.failed.sum();
        return n;
    }

    /** Per emitter, the figures since the previous snapshot. Called by one thread at a time. */
    public synchronized List<Stats> snapshot() {
        List<Stats> out = new ArrayList<>(lanes.length);
        for (Lane l : lanes) {
            l.tickIntended = l.intended.getIntervalHistogram(l.tickIntended);
            l.tickService = l.service.getIntervalHistogram(l.tickService);
            l.totalIntended.add(l.tickIntended);
            l.totalService.add(l.tickService);
            long planned = l.planned.sum(), sent = l.sent.sum(), acc = l.accepted.sum(), rej = l.rejected.sum(),
                    fail = l.failed.sum(), drop = l.dropped.sum();
            out.add(new Stats(l.name, planned - l.pPlanned, sent - l.pSent, acc - l.pAccepted, rej - l.pRejected,
                    fail - l.pFailed, drop - l.pDropped, delta(l.rejectedBy, l.pRejectedBy), delta(l.failedBy, l.pFailedBy),
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

    private static Map<String, Long> delta(Map<String, LongAdder> now, Map<String, Long> before) {
        Map<String, Long> d = new TreeMap<>();
        now.forEach((k, v) -> {
            long cur = v.sum();
            long diff = cur - before.getOrDefault(k, 0L);
            if (diff != 0) d.put(k, diff);
            before.put(k, cur);
        });
        return d;
    }

    /**
     * Per emitter, the figures of the whole run so far. Counts are current; latencies cover the requests up to the
     * latest {@link #snapshot()}, so take a last one before reading the final totals.
     */
    public synchronized List<Stats> totals() {
        List<Stats> out = new ArrayList<>(lanes.length);
        for (Lane l : lanes) {
            out.add(new Stats(l.name, l.planned.sum(), l.sent.sum(), l.accepted.sum(), l.rejected.sum(), l.failed.sum(),
                    l.dropped.sum(), sums(l.rejectedBy), sums(l.failedBy), Latency.of(l.totalIntended), Latency.of(l.totalService)));
        }
        return out;
    }

    /** All emitters together. */
    public static Stats sum(String name, List<Stats> list, Latency intended, Latency service) {
        long p = 0, s = 0, a = 0, r = 0, f = 0, d = 0;
        Map<String, Long> rb = new TreeMap<>(), fb = new TreeMap<>();
        for (Stats x : list) {
            p += x.planned;
            s += x.sent;
            a += x.accepted;
            r += x.rejected;
            f += x.failed;
            d += x.dropped;
            x.rejectedBy.forEach((k, v) -> rb.merge(k, v, Long::sum));
            x.failedBy.forEach((k, v) -> fb.merge(k, v, Long::sum));
        }
        return new Stats(name, p, s, a, r, f, d, rb, fb, intended, service);
    }

    /** Latency of all emitters over the whole run. */
    public synchronized Latency[] totalLatency() {
        Histogram i = new Histogram(3), s = new Histogram(3);
        for (Lane l : lanes) {
            i.add(l.totalIntended);
            s.add(l.totalService);
        }
        return new Latency[] {Latency.of(i), Latency.of(s)};
    }

    private static Map<String, Long> sums(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
