package io.longrun.fault;

import io.vertx.core.buffer.Buffer;

/**
 * {@code reset_peer}: when data next arrives, wait {@code timeout} ms (0: none), then reset the connection:
 * both sockets close with SO_LINGER 0, which sends a TCP RST, so both peers see "connection reset". The data
 * is held meanwhile, and handed on if the toxic is removed first.
 */
final class ResetStage extends TimedStage {
    private final long afterMs;

    ResetStage(long afterMs) {
        this.afterMs = afterMs;
    }

    @Override
    void data(Buffer chunk) {
        hold(chunk, FOREVER);
        if (afterMs == 0) link.resetConnection();
        else after(afterMs, link::resetConnection);
    }
}
