package io.longrun.deliver;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * One emitter's figures inside {@link Outcomes}: its running counts, the settled prefix of its events, its share
 * of a sharded emitter, what came before a resumed segment, and its six latency histograms (two phases and totals).
 */
final class OutcomeLane {
    final String name;
    final LongAdder planned = new LongAdder(), sent = new LongAdder(), dropped = new LongAdder();
    final LongAdder accepted = new LongAdder(), rejected = new LongAdder(), failed = new LongAdder();
    long missed; // events of an earlier segment that fell due while no runner was up (set once, at a resume)
    Settled settled = new Settled(0); // under the lane's lock
    // A shard sends every stride-th event of the emitter, from offset: its settled prefix counts in its own events
    int stride = 1, offset = 0;

    /** The shard's own events below global index {@code seq}: its local index, when it is one of them. */
    long local(long seq) {
        return stride == 1 ? seq : -Math.floorDiv(offset - seq, stride); // ceil((seq - offset) / stride)
    }

    long global(long local) {
        return stride == 1 ? local : local * stride + offset;
    }
    volatile Outcomes.Prior prior = Outcomes.Prior.NONE;
    final Map<String, LongAdder> rejectedBy = new ConcurrentHashMap<>(), failedBy = new ConcurrentHashMap<>();
    // Latency in two phases: completions record into the current pair, under the lane's lock; the tick swaps it
    // with the other pair (the previous tick's, cleared), then reads the tick's figures and adds them to the
    // totals without the lock. Six histograms a lane, none ever reallocated.
    Histogram intended = Histograms.empty(), service = Histograms.empty();
    Histogram tickIntended = Histograms.empty(), tickService = Histograms.empty();
    final Histogram totalIntended = Histograms.empty(), totalService = Histograms.empty();
    // values at the previous snapshot
    long pPlanned, pSent, pAccepted, pRejected, pFailed, pDropped;
    final Map<String, Long> pRejectedBy = new TreeMap<>(), pFailedBy = new TreeMap<>();

    OutcomeLane(String name) {
        this.name = name;
    }

    /** The counts since {@code before}, and {@code before} moved on to now. */
    static Map<String, Long> delta(Map<String, LongAdder> now, Map<String, Long> before) {
        Map<String, Long> d = new TreeMap<>();
        now.forEach((k, v) -> {
            long cur = v.sum();
            long diff = cur - before.getOrDefault(k, 0L);
            if (diff != 0) d.put(k, diff);
            before.put(k, cur);
        });
        return d;
    }

    /** The counts, read. */
    static Map<String, Long> sums(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
