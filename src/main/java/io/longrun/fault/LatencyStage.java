package io.longrun.fault;

import io.longrun.random.SplitMix;
import io.vertx.core.buffer.Buffer;

/**
 * {@code latency}: each chunk goes on {@code latency ± jitter} ms after it arrived (jitter uniform, seeded), and
 * never before the chunk ahead of it, as on a real path. (Toxiproxy sleeps per chunk in turn, so a burst of
 * chunks adds up their delays; here a burst is delayed once.)
 */
final class LatencyStage extends TimedStage {
    private final long latencyNanos, jitterNanos;
    private final SplitMix.Stream draws;

    LatencyStage(double latencyMs, double jitterMs, SplitMix.Stream draws) {
        this.latencyNanos = Math.round(latencyMs * 1e6);
        this.jitterNanos = Math.round(jitterMs * 1e6);
        this.draws = draws;
    }

    @Override
    void data(Buffer chunk) {
        hold(chunk, link.now() + delay());
    }

    @Override
    void end() {
        hold(null, link.now() + delay());
    }

    /** latency + jitter * (2u - 1), u uniform in [0, 1); never below 0. */
    private long delay() {
        if (jitterNanos == 0) return latencyNanos;
        return Math.max(0, latencyNanos + Math.round(jitterNanos * (2 * draws.nextDouble() - 1)));
    }
}
