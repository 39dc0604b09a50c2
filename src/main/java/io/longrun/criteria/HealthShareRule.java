package io.longrun.criteria;

import io.longrun.scenario.Durations;
import io.longrun.scenario.Num;
import io.longrun.scenario.Scenario;
import io.longrun.watch.HealthSample;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * {@code health_failures: { share_pct: X, for: W }}: more than X% of the health checks of the last W failed. It
 * says nothing until the checks span W, so one failed check at the start is not half of two.
 */
final class HealthShareRule extends BaseRule {
    private final Scenario.HealthFailures c;
    private final ArrayDeque<long[]> checks = new ArrayDeque<>(); // {at, failed}
    private long first = Long.MIN_VALUE;

    HealthShareRule(Scenario.StopRule spec, Scenario.HealthFailures c) {
        super(spec, Duration.ZERO);
        this.c = c;
    }

    @Override
    public Reading onHealth(HealthSample s) {
        if (first == Long.MIN_VALUE) first = s.at();
        checks.addLast(new long[] {s.at(), s.ok() ? 0 : 1});
        while (s.at() - checks.peekFirst()[0] > c.window().toNanos()) checks.removeFirst();
        if (s.at() - first < c.window().toNanos()) return null;
        long failed = checks.stream().mapToLong(x -> x[1]).sum();
        double pct = 100.0 * failed / checks.size();
        return new Reading(pct > c.sharePct(), pct, c.sharePct(), String.format(Locale.ROOT,
                "%d of %d health checks failed over the last %s (%.0f%%; last: %s); threshold: above %s%%", failed, checks.size(),
                Durations.format(c.window()), pct, s.describe(), Num.text(c.sharePct())));
    }
}
