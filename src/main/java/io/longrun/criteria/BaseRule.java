package io.longrun.criteria;

import io.longrun.scenario.Scenario;
import java.time.Duration;

/** What every rule keeps: its spec and the window its condition must hold for. */
abstract class BaseRule implements Rule {
    private final Scenario.StopRule spec;
    private final Duration window;

    BaseRule(Scenario.StopRule spec, Duration window) {
        this.spec = spec;
        this.window = window;
    }

    @Override
    public final Scenario.StopRule spec() {
        return spec;
    }

    @Override
    public final Duration window() {
        return window;
    }
}
