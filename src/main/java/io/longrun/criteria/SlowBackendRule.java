package io.longrun.criteria;

import io.longrun.deliver.Outcomes;
import io.longrun.scenario.Conditions;
import io.longrun.scenario.Durations;
import io.longrun.scenario.Scenario;
import io.longrun.watch.HealthSample;
import java.util.Locale;

/**
 * {@code slow_backend: { p95_above: X, for: W, source: delivery|health }}: the service time's p95 of each tick's
 * deliveries (the slowest emitter), or each health check's latency, stayed above X throughout W. A tick in which
 * nothing completed says nothing (a hung backend is caught by the error and health criteria, and its time-outs
 * are slow answers when they come).
 */
final class SlowBackendRule extends BaseRule {
    private final Conditions.SlowBackend c;
    private final double limitMs;

    SlowBackendRule(Scenario.StopRule spec, Conditions.SlowBackend c) {
        super(spec, c.window());
        this.c = c;
        this.limitMs = c.p95Above().toNanos() / 1e6;
    }

    @Override
    public Reading onTick(TickSample s) {
        if (!c.source().equals("delivery")) return null;
        double p95 = -1;
        for (Outcomes.Stats e : s.emitters()) if (e.completed() > 0) p95 = Math.max(p95, e.service().p95());
        if (p95 < 0) return null;
        return reading(p95, "delivery p95 (service time) " + String.format(Locale.ROOT, "%.1f", p95) + " ms this tick");
    }

    @Override
    public Reading onHealth(HealthSample s) {
        if (!c.source().equals("health")) return null;
        return reading(s.latencyMs(), "health check took " + s.describe());
    }

    private Reading reading(double ms, String what) {
        return new Reading(ms > limitMs, ms, limitMs, what + "; threshold: above " + Durations.format(c.p95Above()) + " for "
                + Durations.format(c.window()));
    }
}
