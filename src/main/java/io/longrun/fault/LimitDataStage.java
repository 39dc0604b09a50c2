package io.longrun.fault;

import io.vertx.core.buffer.Buffer;

/**
 * {@code limit_data}: hands on {@code bytes} bytes of this connection's direction (counted from when the toxic
 * took effect), then closes the connection once they are written.
 */
final class LimitDataStage extends Stage {
    private final long limit;
    private long passed;
    private boolean ended;

    LimitDataStage(long limit) {
        this.limit = limit;
    }

    @Override
    void data(Buffer chunk) {
        if (ended) {
            link.discarded(chunk.length());
            return;
        }
        long room = limit - passed;
        if (chunk.length() <= room) {
            passed += chunk.length();
            next.data(chunk);
        } else {
            passed = limit;
            link.discarded(chunk.length() - (int) room);
            if (room > 0) next.data(chunk.slice(0, (int) room));
        }
        if (passed >= limit) finish();
    }

    @Override
    void end() {
        if (!ended) finish();
    }

    private void finish() {
        ended = true;
        next.end(); // the sink closes the connection after the bytes before it are written
    }
}
