package io.longrun.fault;

import io.vertx.core.buffer.Buffer;

/**
 * {@code bandwidth}: at most {@code rate} kB/s (1 kB = 1000 bytes, as Toxiproxy's {@code rate}) on this
 * connection and direction. A chunk is cut into pieces of 100 ms' worth, and piece i goes on when the
 * pieces before it would have finished: t_i = max(arrival, t_(i-1)) + bytes_i / (rate * 1000) s.
 */
final class BandwidthStage extends TimedStage {
    private final double bytesPerNano;
    private final int piece;
    private long busyUntil = Long.MIN_VALUE;

    BandwidthStage(double kbPerSecond) {
        this.bytesPerNano = kbPerSecond * 1000 / 1e9;
        this.piece = (int) Math.max(1, Math.min(1 << 20, kbPerSecond * 100)); // 100 ms of data
    }

    @Override
    void data(Buffer chunk) {
        for (int from = 0; from < chunk.length(); from += piece) {
            Buffer part = chunk.slice(from, Math.min(chunk.length(), from + piece));
            busyUntil = Math.max(link.now(), busyUntil) + Math.round(part.length() / bytesPerNano);
            hold(part, busyUntil);
        }
    }
}
