package io.longrun.run;

import io.longrun.deliver.Outcomes;
import io.longrun.scenario.Durations;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.WatchedTable;
import io.longrun.watch.DbSample;
import io.longrun.watch.HealthSample;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The console's line each tick: time, rates, outcomes so far, in flight, the tick's p95, health and rows. */
final class ProgressLine {
    private ProgressLine() {
    }

    static String text(long elapsed, Duration duration, double target, double actual, List<Outcomes.Stats> tick, Outcomes outcomes,
                       HealthSample lastHealth, DbSample lastDb) {
        Outcomes.Stats sum = Outcomes.sum("all", outcomes.totals(), null, null);
        double p95 = tick.stream().mapToDouble(s -> s.intended().p95()).max().orElse(0);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "[%s/%s] %.1f/%.1f ev/s | acc %d rej %d fail %d drop %d | in-flight %d | p95 %.1f ms",
                Durations.elapsed(Duration.ofSeconds(elapsed / 1_000_000_000L)), duration.equals(Scenario.UNTIL_DONE) ? "replay" : Durations.elapsed(duration),
                actual, target,
                sum.accepted(), sum.rejected(), sum.failed(), sum.dropped(), outcomes.inFlight(), p95));
        if (lastHealth != null) b.append(" | health ").append(lastHealth.describe());
        if (lastDb != null && lastDb.error().isEmpty()) {
            b.append(" |");
            // ≈: an estimate from the statistics
            lastDb.tables().forEach((t, v) -> b.append(' ').append(t).append(' ').append(v.method() == WatchedTable.Counting.STATS ? "≈" : "")
                    .append(v.rows()));
        }
        return b.toString();
    }
}
