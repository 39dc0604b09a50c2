package io.longrun.criteria;

import io.longrun.scenario.Conditions;
import io.longrun.scenario.Durations;
import io.longrun.scenario.Num;
import io.longrun.scenario.Scenario;
import io.longrun.watch.LogSample;
import java.util.Locale;

/**
 * {@code log_errors: { above_per_min: N, for: W, levels: [ERROR, WARN] }}: the watched logs had more than N lines of
 * those levels in the last minute, at every poll throughout W.
 */
final class LogErrorsRule extends BaseRule {
    private final Conditions.LogErrors c;
    private final Windowed minute = new Windowed(60_000_000_000L);

    LogErrorsRule(Scenario.StopRule spec, Conditions.LogErrors c) {
        super(spec, c.window());
        this.c = c;
    }

    @Override
    public Reading onLog(LogSample s) {
        long n = 0;
        for (String l : c.levels()) n += s.level(l);
        long perMin = minute.add(s.at(), n);
        return new Reading(perMin > c.abovePerMin(), perMin, c.abovePerMin(), String.format(Locale.ROOT,
                "%d %s line(s) in the watched logs in the last minute; threshold: above %s/min for %s", perMin,
                String.join("/", c.levels()), Num.text(c.abovePerMin()), Durations.format(c.window())));
    }
}
