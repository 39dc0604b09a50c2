package io.longrun.criteria;

import io.longrun.scenario.Durations;
import io.longrun.scenario.Num;
import io.longrun.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * {@code error_rate: { above_pct: X, for: W }}: in every tick of the last W, more than X% of the deliveries that
 * completed were rejected or failed. A tick in which nothing completed carries the previous tick's state: a
 * hung target whose requests all time out must not reset the window. Memory is bounded by the ticks in W.
 */
final class ErrorRateRule extends BaseRule {
    private final Scenario.ErrorRate c;
    private final ArrayDeque<long[]> window = new ArrayDeque<>(); // {at, errors, completed}
    private Boolean last;

    ErrorRateRule(Scenario.StopRule spec, Scenario.ErrorRate c) {
        super(spec, c.window());
        this.c = c;
    }

    @Override
    public Reading onTick(TickSample s) {
        long completed = s.completed(), errors = s.errors();
        window.addLast(new long[] {s.at(), errors, completed});
        while (!window.isEmpty() && s.at() - window.peekFirst()[0] > c.window().toNanos()) window.removeFirst();
        long we = 0, wc = 0;
        for (long[] w : window) {
            we += w[1];
            wc += w[2];
        }
        double windowPct = wc == 0 ? 0 : 100.0 * we / wc;
        double tickPct = completed == 0 ? 0 : 100.0 * errors / completed;
        boolean breached = completed == 0 ? last != null && last : tickPct > c.abovePct();
        last = breached;
        return new Reading(breached, windowPct, c.abovePct(), String.format(Locale.ROOT,
                "error rate %.1f%% over the last %s (%d of %d deliveries rejected or failed); threshold: above %s%% for %s",
                windowPct, c.window().isZero() ? Durations.elapsed(Duration.ofNanos(Math.round(s.seconds() * 1e9))) : Durations.format(c.window()),
                we, wc, Num.text(c.abovePct()), Durations.format(c.window())));
    }
}
