package io.longrun.criteria;

import io.longrun.scenario.Conditions;
import io.longrun.scenario.Scenario;
import io.longrun.watch.ProbeSample;
import java.time.Duration;

/**
 * duplicate_rows, utc_skew and lost_events: the SQL probe named after the criterion measured a value
 * ({@link io.longrun.watch.Probes}); the rule compares it with the threshold. A probe that failed says nothing.
 */
final class ProbeRule extends BaseRule {
    private final double threshold;

    ProbeRule(Scenario.StopRule spec) {
        super(spec, spec.condition() instanceof Conditions.DuplicateRows d ? d.window() : Duration.ZERO);
        Scenario.Condition c = spec.condition();
        if (c instanceof Conditions.DuplicateRows d) threshold = d.above();
        else if (c instanceof Conditions.UtcSkew u) threshold = u.above().toNanos() / 1e9;
        else threshold = ((Conditions.LostEvents) c).abovePct();
    }

    @Override
    public Reading onProbe(ProbeSample s) {
        if (!s.criterion().equals(spec().name()) || s.error().isPresent()) return null;
        String unit = spec().condition() instanceof Conditions.UtcSkew ? " s" : spec().condition() instanceof Conditions.LostEvents ? "%" : "";
        return new Reading(s.value() > threshold, s.value(), threshold, s.text() + "; threshold: above "
                + io.longrun.scenario.Num.text(threshold) + unit);
    }
}
