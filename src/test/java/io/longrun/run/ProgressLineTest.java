package io.longrun.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.deliver.Outcome;
import io.longrun.deliver.Outcomes;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.WatchedTable.Counting;
import io.longrun.watch.DbSample;
import io.longrun.watch.HealthSample;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The console's line per tick, as the README's "Console" describes it. */
class ProgressLineTest {
    static final long MS = 1_000_000L;

    @Test
    void elapsedOfTotalRatesOutcomesInFlightP95HealthAndRowsWithEstimatesMarked() {
        Outcomes o = new Outcomes(List.of("a", "b"));
        for (int i = 0; i < 5; i++) {
            o.planned(i % 2);
            o.sent(i % 2);
        }
        o.completed(0, 0, Outcome.ACCEPTED, "201", 0, 0, 4 * MS);
        o.completed(1, 1, Outcome.ACCEPTED, "201", 0, 0, 12 * MS);
        o.completed(0, 2, Outcome.REJECTED, "400", 0, 0, 1 * MS);
        o.completed(1, 3, Outcome.FAILED, "timeout", 0, 0, 2 * MS); // one still in flight
        List<Outcomes.Stats> tick = o.snapshot();
        HealthSample health = new HealthSample(0, Instant.EPOCH, true, Optional.of(200), 3.2, Optional.empty());
        Map<String, DbSample.Table> tables = new LinkedHashMap<>();
        tables.put("events", new DbSample.Table(1200, 8192, Counting.STATS, false, false));
        tables.put("runs", new DbSample.Table(3, 8192));
        DbSample db = new DbSample(0, Instant.EPOCH, tables, 1 << 20, 1, 0, Optional.empty(), Map.of(), 1.0);

        String line = ProgressLine.text(Duration.ofSeconds(75).toNanos(), Duration.ofMinutes(10), 50, 49.5, tick, o, health, db);

        assertThat(line).isEqualTo("[1m 15s/10m 0s] 49.5/50.0 ev/s | acc 2 rej 1 fail 1 drop 0 | in-flight 1 | p95 12.0 ms"
                + " | health 200 (3 ms) | events ≈1200 runs 3");
    }

    @Test
    void aReplayHasNoTotalAndWithoutWatchersTheLineEndsAtP95() {
        Outcomes o = new Outcomes(List.of("a"));
        String line = ProgressLine.text(Duration.ofSeconds(3).toNanos(), Scenario.UNTIL_DONE, 0, 0, o.snapshot(), o, null, null);
        assertThat(line).startsWith("[3s/replay] 0.0/0.0 ev/s | acc 0 rej 0 fail 0 drop 0 | in-flight 0 | p95 ").endsWith(" ms");
    }
}
