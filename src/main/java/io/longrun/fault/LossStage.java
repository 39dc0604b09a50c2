package io.longrun.fault;

import io.longrun.random.SplitMix;
import io.vertx.core.buffer.Buffer;

/**
 * {@code loss}, emulated. A TCP proxy cannot drop packets: the kernel's TCP below it retransmits them. What an
 * application sees of packet loss is the retransmission's wait, so that is what this stage makes.
 *
 * <p>Each chunk counts as ceil(bytes / 1460) segments (one per write for small request/response messages, where
 * too few packets are in flight for fast retransmit: a loss then costs a retransmission timeout). Each segment is
 * lost with probability p, and so is each retransmission; the k-th loss in a row costs
 * RTO_k = min(200 ms * 2^k, 120 s) (Linux: TCP_RTO_MIN 200 ms, doubling, TCP_RTO_MAX 120 s). A chunk goes on
 * after the sum of its segments' waits, and never before the chunk ahead of it. A segment lost 16 times in a row
 * (the first send and tcp_retries2 = 15 retransmissions, 924.6 s) makes the connection time out: it is reset.
 * So 100 % loss is a connection that hangs, for about 15 minutes, as with a real kernel.
 *
 * <p>The draws are a pure function of (seed, toxic, connection, segment number, attempt), so the same seed and
 * the same traffic give the same stalls.
 */
final class LossStage extends TimedStage {
    static final int SEGMENT = 1460;
    static final int RETRIES = 15;
    static final long RTO_MIN_NANOS = 200_000_000L, RTO_MAX_NANOS = 120_000_000_000L;

    private final double p;
    private final long rtoNanos;
    private final long seed, stream;
    private long segment;

    LossStage(double percent, double rtoMs, long seed, long stream) {
        this.p = percent / 100;
        this.rtoNanos = Math.round(rtoMs * 1e6);
        this.seed = seed;
        this.stream = stream;
    }

    @Override
    void data(Buffer chunk) {
        long segments = Math.max(1, (chunk.length() + SEGMENT - 1) / SEGMENT);
        long stall = 0;
        for (long i = 0; i < segments; i++) {
            long s = stall(seed, stream, segment++, p, rtoNanos);
            if (s < 0) {
                hold(chunk, FOREVER);
                after(-s / 1_000_000, link::resetConnection);
                return;
            }
            stall += s;
        }
        hold(chunk, link.now() + stall);
    }

    /**
     * The wait before segment {@code n} gets through: the sum of RTO_k over its losses in a row, or minus the
     * total wait when it is lost RETRIES + 1 times (the connection times out).
     */
    static long stall(long seed, long stream, long n, double p, long rto) {
        long wait = 0;
        for (int attempt = 0; attempt <= RETRIES; attempt++) {
            if (SplitMix.uniform(seed, stream, n * 32 + attempt) >= p) return wait;
            wait += Math.min(rto << Math.min(attempt, 20), RTO_MAX_NANOS);
        }
        return -wait;
    }
}
