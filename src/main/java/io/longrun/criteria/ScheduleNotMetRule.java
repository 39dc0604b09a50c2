package io.longrun.criteria;

import io.longrun.deliver.Outcomes;
import io.longrun.scenario.Durations;
import io.longrun.scenario.Num;
import io.longrun.scenario.Scenario;
import java.util.Locale;

/**
 * {@code schedule_not_met: { dropped_pct_above: X, for: W }}: in every tick of W, more than X% of the events that
 * came due were dropped (longrun could not send them within a tick of their due time: {@code max_in_flight}
 * requests were pending). k6 users asked for this and did not get it (grafana/k6#2837). A tick in which nothing
 * came due keeps the previous tick's state.
 */
final class ScheduleNotMetRule extends BaseRule {
    private final Scenario.ScheduleNotMet c;
    private boolean last;

    ScheduleNotMetRule(Scenario.StopRule spec, Scenario.ScheduleNotMet c) {
        super(spec, c.window());
        this.c = c;
    }

    @Override
    public Reading onTick(TickSample s) {
        long planned = 0, dropped = 0;
        for (Outcomes.Stats e : s.emitters()) {
            planned += e.planned();
            dropped += e.dropped();
        }
        double pct = planned == 0 ? 0 : 100.0 * dropped / planned;
        if (planned > 0) last = pct > c.droppedPctAbove();
        return new Reading(last, pct, c.droppedPctAbove(), String.format(Locale.ROOT,
                "%.1f%% of due events dropped (%d of %d this tick); threshold: above %s%% for %s",
                pct, dropped, planned, Num.text(c.droppedPctAbove()), Durations.format(c.window())));
    }
}
