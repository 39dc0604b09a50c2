package io.longrun.watch;

import java.time.Instant;
import java.util.Optional;

/**
 * One health check: when (monotonic and wall clock), whether it passed (a 2xx), the status when there was one,
 * the latency, and the error when there was no answer.
 */
public record HealthSample(long at, Instant time, boolean ok, Optional<Integer> status, double latencyMs, Optional<String> error) {
    /** A short human text: "200 (3 ms)", "503 (2 ms)", "connect (1001 ms)". */
    public String describe() {
        return status.map(String::valueOf).orElse(error.orElse("?")) + " (" + Math.round(latencyMs) + " ms)";
    }
}
