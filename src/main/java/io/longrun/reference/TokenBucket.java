package io.longrun.reference;

import io.longrun.pace.Clock;

/** Fault rate_limit: at most {@code rate} requests a second (a bucket of one second's tokens); 0 means no limit. */
final class TokenBucket {
    private final double rate;
    private final Clock clock;
    private double tokens;
    private long last;

    TokenBucket(double ratePerSecond, Clock clock) {
        this.rate = ratePerSecond;
        this.clock = clock;
        this.tokens = ratePerSecond;
        this.last = clock.nanoTime();
    }

    double rate() {
        return rate;
    }

    synchronized boolean tryTake() {
        if (rate <= 0) return true;
        long now = clock.nanoTime();
        tokens = Math.min(rate, tokens + (now - last) / 1e9 * rate);
        last = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
