package io.longrun.criteria;

import io.longrun.scenario.Scenario;
import io.longrun.watch.HealthSample;
import java.time.Duration;

/** {@code health_failures: { consecutive: N }}: N health checks in a row did not answer 2xx. */
final class HealthFailuresRule implements Rule {
    private final Scenario.StopRule spec;
    private final int consecutive;
    private int failures;

    HealthFailuresRule(Scenario.StopRule spec, Scenario.HealthFailures c) {
        this.spec = spec;
        this.consecutive = c.consecutive();
    }

    @Override
    public Scenario.StopRule spec() {
        return spec;
    }

    @Override
    public Duration window() {
        return Duration.ZERO;
    }

    @Override
    public Reading onHealth(HealthSample s) {
        failures = s.ok() ? 0 : failures + 1;
        return new Reading(failures >= consecutive, failures, consecutive,
                "health check failed " + failures + " time(s) in a row (last: " + s.describe() + "); threshold: "
                        + consecutive + " consecutive");
    }
}
