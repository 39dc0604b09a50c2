package io.longrun.criteria;

import io.longrun.scenario.Scenario.Severity;
import java.time.Instant;
import java.util.Locale;

/**
 * A criterion changed state: {@code firing} when its condition has held for its window, {@code resolved} when
 * it stopped holding afterwards.
 */
public record Alert(Instant time, String criterion, String kind, Severity severity, String state, double observed,
                    double threshold, String text) {
    public boolean firing() {
        return state.equals("firing");
    }

    /** The console line: {@code ALERT [abort] health_failures firing: ...}. */
    public String line() {
        return "ALERT [" + severity.name().toLowerCase(Locale.ROOT) + "] " + criterion + " " + state + ": " + text;
    }
}
