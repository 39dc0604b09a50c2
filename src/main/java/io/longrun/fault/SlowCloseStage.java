package io.longrun.fault;

import io.vertx.core.buffer.Buffer;

/** {@code slow_close}: bytes pass at once; the end (the close) goes on {@code delay} ms late. */
final class SlowCloseStage extends TimedStage {
    private final long delayNanos;

    SlowCloseStage(long delayMs) {
        this.delayNanos = delayMs * 1_000_000;
    }

    @Override
    void data(Buffer chunk) {
        hold(chunk, link.now());
    }

    @Override
    void end() {
        hold(null, link.now() + delayNanos);
    }
}
