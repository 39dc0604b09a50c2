package io.longrun.fault;

import io.vertx.core.buffer.Buffer;

/**
 * {@code timeout}: no byte gets through; after {@code timeout} ms the connection is closed, and with 0 it is
 * held until the toxic is removed. The bytes are held, not dropped (Toxiproxy drops them): on a real network
 * they would be sent again once the path came back, so after removal they go on. The link stops reading once
 * its back-pressure limit is held, so the sender's TCP window fills as it would.
 */
final class TimeoutStage extends TimedStage {
    private final long timeoutMs;

    TimeoutStage(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    @Override
    void attached() {
        if (timeoutMs > 0) after(timeoutMs, link::closeConnection);
    }

    @Override
    void data(Buffer chunk) {
        hold(chunk, FOREVER);
    }

    @Override
    void end() {
        hold(null, FOREVER);
    }
}
