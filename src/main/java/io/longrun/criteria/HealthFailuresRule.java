package io.longrun.criteria;

import io.longrun.scenario.Scenario;
import io.longrun.watch.HealthSample;
import java.time.Duration;

/** {@code health_failures: { consecutive: N }}: N health checks in a row did not answer 2xx. */
final class HealthFailuresRule extends BaseRule {
    private final int consecutive;
    private int failures;

    HealthFailuresRule(Scenario.StopRule spec, Scenario.HealthFailures c) {
        super(spec, Duration.ZERO);
        this.consecutive = c.consecutive();
    }

    @Override
    public Reading onHealth(HealthSample s) {
        failures = s.ok() ? 0 : failures + 1;
        return new Reading(failures >= consecutive, failures, consecutive,
                "health check failed " + failures + " time(s) in a row (last: " + s.describe() + "); threshold: "
                        + consecutive + " consecutive");
    }
}
