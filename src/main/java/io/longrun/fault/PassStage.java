package io.longrun.fault;

import io.vertx.core.buffer.Buffer;

/** A toxic that does not act on this connection (its toxicity draw said no): bytes pass as they come. */
final class PassStage extends Stage {
    @Override
    void data(Buffer chunk) {
        next.data(chunk);
    }
}
