package io.longrun.fault;

import io.longrun.scenario.FaultSpec;
import java.time.Instant;
import java.util.List;

/**
 * A fault that is on, as its engine confirmed it: the fault, the toxics that carry it (none for {@code down}),
 * and when the confirmation came (the fault's start, for the time to first impact).
 */
public record FaultHandle(long id, FaultSpec fault, List<String> toxics, Instant confirmedAt) {
    public FaultHandle {
        toxics = List.copyOf(toxics);
    }
}
