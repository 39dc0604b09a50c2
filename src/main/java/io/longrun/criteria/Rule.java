package io.longrun.criteria;

import io.longrun.scenario.Scenario;
import io.longrun.watch.DbSample;
import io.longrun.watch.HealthSample;
import java.time.Duration;

/**
 * A stop criterion's logic: it reads the samples of the signal it watches and says whether its condition holds.
 * The engine ({@link Criteria}) adds what every rule shares: the grace period, the window during which the
 * condition must hold, the severity and the alerts.
 */
interface Rule {
    Scenario.StopRule spec();

    /** How long the condition must hold before the rule fires; zero fires on the first breaching sample. */
    Duration window();

    default Reading onHealth(HealthSample s) {
        return null;
    }

    default Reading onDb(DbSample s) {
        return null;
    }

    default Reading onTick(TickSample s) {
        return null;
    }

    static Rule of(Scenario.StopRule spec) {
        Scenario.Condition c = spec.condition();
        if (c instanceof Scenario.HealthFailures h) return new HealthFailuresRule(spec, h);
        if (c instanceof Scenario.ErrorRate e) return new ErrorRateRule(spec, e);
        if (c instanceof Scenario.TableGrowth t) return new TableGrowthRule(spec, t);
        if (c instanceof Scenario.ScheduleNotMet n) return new ScheduleNotMetRule(spec, n);
        throw new IllegalArgumentException("no rule for " + c.kind());
    }
}
