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

    /** @param accepted events accepted so far, all emitters together, when the sample was taken */
    default Reading onDb(DbSample s, long accepted) {
        return null;
    }

    default Reading onLog(io.longrun.watch.LogSample s) {
        return null;
    }

    default Reading onProbe(io.longrun.watch.ProbeSample s) {
        return null;
    }

    default Reading onTick(TickSample s) {
        return null;
    }

    /** @param runLength how long the run is planned to last (for projections to its end) */
    static Rule of(Scenario.StopRule spec, Duration runLength) {
        Scenario.Condition c = spec.condition();
        if (c instanceof Scenario.HealthFailures h) return h.byShare() ? new HealthShareRule(spec, h) : new HealthFailuresRule(spec, h);
        if (c instanceof io.longrun.scenario.Conditions.ErrorRateRising e) return new ErrorRateRisingRule(spec, e);
        if (c instanceof io.longrun.scenario.Conditions.LogErrors e) return new LogErrorsRule(spec, e);
        if (c instanceof io.longrun.scenario.Conditions.RepeatedException e) return new RepeatedExceptionRule(spec, e);
        if (c instanceof io.longrun.scenario.Conditions.SlowBackend e) return new SlowBackendRule(spec, e);
        if (c instanceof io.longrun.scenario.Conditions.UnexpectedGrowth e) return new UnexpectedGrowthRule(spec, e);
        if (c instanceof io.longrun.scenario.Conditions.Cadence e) return new CadenceRule(spec, e);
        if (c instanceof io.longrun.scenario.Conditions.DbSizeGrowth e) return new DbSizeGrowthRule(spec, e, runLength);
        if (c instanceof io.longrun.scenario.Conditions.DbLoad e) return new DbLoadRule(spec, e);
        if (c instanceof io.longrun.scenario.Conditions.DuplicateRows
                || c instanceof io.longrun.scenario.Conditions.UtcSkew || c instanceof io.longrun.scenario.Conditions.LostEvents)
            return new ProbeRule(spec);
        if (c instanceof Scenario.ErrorRate e) return new ErrorRateRule(spec, e);
        if (c instanceof Scenario.TableGrowth t) return new TableGrowthRule(spec, t);
        if (c instanceof Scenario.ScheduleNotMet n) return new ScheduleNotMetRule(spec, n);
        throw new IllegalArgumentException("no rule for " + c.kind());
    }
}
