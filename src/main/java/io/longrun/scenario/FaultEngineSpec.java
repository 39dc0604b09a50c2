package io.longrun.scenario;

import java.time.Duration;
import java.util.Optional;

/**
 * Which engine applies the network faults: longrun's embedded proxy (the default), or a Toxiproxy server at
 * {@code toxiproxy} (its HTTP API, e.g. {@code http://127.0.0.1:8474}); {@code timeout} bounds every call to it.
 */
public record FaultEngineSpec(Optional<String> toxiproxy, Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final FaultEngineSpec EMBEDDED = new FaultEngineSpec(Optional.empty(), DEFAULT_TIMEOUT);

    public boolean embedded() {
        return toxiproxy.isEmpty();
    }
}
