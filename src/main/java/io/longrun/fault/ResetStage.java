package io.longrun.fault;

import io.vertx.core.buffer.Buffer;

/**
 * {@code reset_peer}: when data next arrives, wait {@code timeout} ms (0: none), then reset the connection:
 * both sockets close with SO_LINGER 0, which sends a TCP RST, so both peers see "connection reset". The data
 * is held meanwhile, and handed on if the toxic is removed first.
 */
final class ResetStage extends TimedStage {
    private final long afterMs;
    private long timer = -1;

    ResetStage(long afterMs) {
        this.afterMs = afterMs;
    }

    @Override
    void data(Buffer chunk) {
        hold(chunk, FOREVER);
        if (timer != -1) return;
        if (afterMs == 0) link.resetConnection();
        else timer = link.setTimer(afterMs, () -> {
            timer = -1;
            link.resetConnection();
        });
    }

    @Override
    void detach() {
        if (timer != -1) link.cancelTimer(timer);
        timer = -1;
        super.detach();
    }
}
