package io.longrun.criteria;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.deliver.Latency;
import io.longrun.deliver.Outcomes;
import io.longrun.scenario.Conditions;
import io.longrun.scenario.Scenario;
import io.longrun.scenario.Scenario.Severity;
import io.longrun.watch.DbSample;
import io.longrun.watch.HealthSample;
import io.longrun.watch.LogSample;
import io.longrun.watch.ProbeSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The criteria of seed 003's runbook, fed with samples on a fake timeline: each fires on its condition and not on a blip. */
class RunbookCriteriaTest {
    static final long S = 1_000_000_000L;
    final List<Alert> alerts = new ArrayList<>();
    final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    Criteria criteria(Scenario.Condition c) {
        return new Criteria(List.of(new Scenario.StopRule(c.kind(), Severity.ABORT, Duration.ZERO, c)), 0, Duration.ofHours(1), alerts::add);
    }

    List<String> states() {
        return alerts.stream().map(a -> a.state() + "@" + a.time().getEpochSecond() % 100_000).toList();
    }

    LogSample log(long sec, Map<String, Long> levels, Map<String, Long> exceptions, Map<String, Long> matches) {
        return new LogSample(sec * S, t0.plusSeconds(sec), 0, levels, exceptions, matches, List.of());
    }

    TickSample tick(long sec, long ok, long errors, double serviceP95) {
        Latency service = new Latency(ok + errors, serviceP95 / 2, serviceP95, serviceP95, serviceP95);
        Outcomes.Stats s = new Outcomes.Stats("a", ok + errors, ok + errors, ok, 0, errors, 0, Map.of(), Map.of(), Latency.NONE, service);
        return new TickSample(sec * S, 1, List.of(s));
    }

    DbSample db(long sec, long rows, long dbBytes) {
        return new DbSample(sec * S, t0.plusSeconds(sec), Map.of("events", new DbSample.Table(rows, 8192)), dbBytes, 0, 0, Optional.empty());
    }

    @Test
    void logErrorsFiresWhenTheRateHoldsThroughTheWindowNotOnABurst() {
        Criteria c = criteria(new Conditions.LogErrors(10, Duration.ofSeconds(30), List.of("ERROR", "WARN")));
        // a burst of 30 errors in one second, then quiet: the per-minute count stays above 10 for 59 s only
        c.onLog(log(1, Map.of("ERROR", 30L), Map.of(), Map.of()));
        for (long s = 2; s <= 120; s++) c.onLog(log(s, Map.of(), Map.of(), Map.of()));
        assertThat(alerts).extracting(Alert::state).containsExactly("firing", "resolved");
        alerts.clear();
        // a steady 1 ERROR + 1 WARN per 5 s is 24/min: fires once the window of 30 s has passed
        Criteria d = criteria(new Conditions.LogErrors(10, Duration.ofSeconds(30), List.of("ERROR", "WARN")));
        for (long s = 0; s <= 80; s += 5) d.onLog(log(s, Map.of("ERROR", 1L, "WARN", 1L, "INFO", 50L), Map.of(), Map.of()));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.firing()).isTrue();
            assertThat(a.observed()).isGreaterThan(10);
            assertThat(a.text()).contains("ERROR/WARN");
        });
    }

    @Test
    void logErrorsIgnoresAShortBlip() {
        Criteria c = criteria(new Conditions.LogErrors(10, Duration.ofMinutes(3), List.of("ERROR")));
        c.onLog(log(1, Map.of("ERROR", 50L), Map.of(), Map.of()));
        for (long s = 2; s <= 300; s++) c.onLog(log(s, Map.of(), Map.of(), Map.of()));
        assertThat(alerts).isEmpty();
    }

    @Test
    void repeatedExceptionCountsTheSameFirstLineWithinItsWindow() {
        Criteria c = criteria(new Conditions.RepeatedException(5, Duration.ofMinutes(1)));
        String boom = "java.lang.IllegalStateException: rule # failed";
        // four times a minute apart never makes five within a minute
        for (long s = 0; s < 4 * 70; s += 70) c.onLog(log(s, Map.of(), Map.of(boom, 1L), Map.of()));
        assertThat(alerts).isEmpty();
        // other exceptions do not add up with it
        c.onLog(log(300, Map.of(), Map.of(boom, 2L, "java.io.IOException: disk", 2L), Map.of()));
        assertThat(alerts).isEmpty();
        c.onLog(log(310, Map.of(), Map.of(boom, 3L), Map.of()));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.observed()).isEqualTo(5);
            assertThat(a.text()).contains(boom);
        });
    }

    @Test
    void errorRateRisingFiresOnARiseThatDoesNotSettleOnly() {
        // rising from 0% to 20% over 10 minutes: fires once the window is full
        Criteria c = criteria(new Conditions.ErrorRateRising(Duration.ofMinutes(10), 1));
        for (long s = 0; s <= 660; s++) {
            long errors = Math.round(s / 600.0 * 20);
            c.onTick(tick(s, 100 - errors, errors, 5), t0.plusSeconds(s));
        }
        assertThat(alerts).extracting(Alert::state).first().isEqualTo("firing");
        alerts.clear();
        // a step to 10% that then stays flat has settled: no alert (error_rate judges the level)
        Criteria d = criteria(new Conditions.ErrorRateRising(Duration.ofMinutes(10), 1));
        for (long s = 0; s <= 1200; s++) {
            long errors = s < 400 ? s / 40 : 10;
            d.onTick(tick(s, 100 - errors, errors, 5), t0.plusSeconds(s));
        }
        assertThat(alerts).isEmpty();
        // noise around a constant 5% is not a rise
        Criteria e = criteria(new Conditions.ErrorRateRising(Duration.ofMinutes(10), 1));
        java.util.Random r = new java.util.Random(7);
        for (long s = 0; s <= 1200; s++) {
            long errors = 5 + r.nextInt(5) - 2;
            e.onTick(tick(s, 100 - errors, errors, 5), t0.plusSeconds(s));
        }
        assertThat(alerts).isEmpty();
    }

    @Test
    void slowBackendNeedsTheWholeWindowAboveTheThreshold() {
        Criteria c = criteria(new Conditions.SlowBackend(Duration.ofMillis(500), Duration.ofSeconds(10), "delivery"));
        for (long s = 0; s < 5; s++) c.onTick(tick(s, 100, 0, 900), t0.plusSeconds(s)); // 5 s slow: a blip
        c.onTick(tick(5, 100, 0, 20), t0.plusSeconds(5));
        c.onTick(tick(6, 0, 0, 0), t0.plusSeconds(6));                                    // nothing completed: no reading
        assertThat(alerts).isEmpty();
        for (long s = 7; s <= 18; s++) c.onTick(tick(s, 100, 0, 900), t0.plusSeconds(s));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.time()).isEqualTo(t0.plusSeconds(17));
            assertThat(a.observed()).isEqualTo(900);
            assertThat(a.threshold()).isEqualTo(500);
        });
    }

    @Test
    void slowBackendOnHealthLatency() {
        Criteria c = criteria(new Conditions.SlowBackend(Duration.ofMillis(300), Duration.ZERO, "health"));
        c.onHealth(new HealthSample(S, t0, true, Optional.of(200), 120, Optional.empty()));
        assertThat(alerts).isEmpty();
        c.onHealth(new HealthSample(2 * S, t0, true, Optional.of(200), 800, Optional.empty()));
        assertThat(alerts).singleElement().extracting(Alert::observed).isEqualTo(800.0);
    }

    @Test
    void unexpectedGrowthHoldsRowsToAcceptedEvents() {
        Criteria c = criteria(new Conditions.UnexpectedGrowth("events", 1, 2, Duration.ZERO));
        c.onDb(db(0, 1000, 0), 0);
        c.onDb(db(10, 3000, 0), 2010);    // 2000 rows for 2010 accepted: within 2%
        assertThat(alerts).isEmpty();
        c.onDb(db(20, 4000, 0), 4010);    // 1000 rows for 2000 accepted: half of them missing
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.observed()).isEqualTo(0.5);
            assertThat(a.text()).contains("1000 rows for 2000 accepted events");
        });
    }

    @Test
    void unexpectedGrowthOfAStaticTable() {
        Criteria c = criteria(new Conditions.UnexpectedGrowth("events", 0, 0, Duration.ZERO));
        c.onDb(db(0, 10, 0), 0);
        c.onDb(db(10, 10, 0), 500);
        assertThat(alerts).isEmpty();
        c.onDb(db(20, 11, 0), 900);
        assertThat(alerts).singleElement().extracting(Alert::text).asString().contains("expected static");
    }

    @Test
    void cadenceCatchesAHotLoopAndAStoppedScheduler() {
        Criteria c = criteria(new Conditions.Cadence(Optional.of("scheduler tick"), Optional.empty(), 2, 1, Duration.ZERO));
        for (long s = 0; s <= 180; s += 30) c.onLog(log(s, Map.of(), Map.of(), Map.of("scheduler tick", 1L))); // every 30 s: 2/min
        assertThat(alerts).isEmpty();
        for (long s = 181; s <= 190; s++) c.onLog(log(s, Map.of(), Map.of(), Map.of("scheduler tick", 1L)));   // every second
        assertThat(alerts).extracting(Alert::state).containsExactly("firing");
        for (long s = 191; s <= 400; s++) c.onLog(log(s, Map.of(), Map.of(), Map.of()));                        // stopped
        assertThat(alerts).extracting(Alert::state).containsExactly("firing", "resolved", "firing");
        assertThat(alerts.get(2).text()).contains("0 log lines matching /scheduler tick/");
    }

    @Test
    void dbSizeGrowthBySlopeAndByProjectionToTheLimit() {
        Criteria c = criteria(new Conditions.DbSizeGrowth(500, Optional.empty(), Duration.ofMinutes(5), Duration.ZERO));
        long mb = 1 << 20;
        // 100 MB/h: quiet
        for (long s = 0; s <= 600; s += 10) c.onDb(db(s, 0, 100 * mb + s * 100 * mb / 3600), 0);
        assertThat(alerts).isEmpty();
        // 1,200 MB/h: fires
        Criteria d = criteria(new Conditions.DbSizeGrowth(500, Optional.empty(), Duration.ofMinutes(5), Duration.ZERO));
        for (long s = 0; s <= 600; s += 10) d.onDb(db(s, 0, 100 * mb + s * 1200 * mb / 3600), 0);
        assertThat(alerts).first().satisfies(a -> assertThat(a.observed()).isCloseTo(1200, org.assertj.core.data.Offset.offset(1.0)));
        alerts.clear();
        // 100 MB/h with an hour to go passes a 150 MB limit
        Criteria e = criteria(new Conditions.DbSizeGrowth(Double.POSITIVE_INFINITY, Optional.of(150.0), Duration.ofMinutes(5), Duration.ZERO));
        for (long s = 0; s <= 300; s += 10) e.onDb(db(s, 0, 100 * mb + s * 100 * mb / 3600), 0);
        assertThat(alerts).first().extracting(Alert::text).asString().contains("projected at the run's end");
    }

    @Test
    void dbLoadFromPgStatActivity() {
        Criteria c = criteria(new Conditions.DbLoad(50, 0, Duration.ofSeconds(30), Duration.ZERO));
        c.onDb(new DbSample(S, t0, Map.of(), 1, 12, 0, Optional.empty()), 0);
        assertThat(alerts).isEmpty();
        c.onDb(new DbSample(2 * S, t0, Map.of(), 1, 12, 1, Optional.empty()), 0);
        assertThat(alerts).singleElement().extracting(Alert::text).asString().contains("1 quer(ies) running over 30s");
    }

    @Test
    void healthShareJudgesOnlyAFullWindow() {
        Criteria c = criteria(new Scenario.HealthFailures(0, 50, Duration.ofSeconds(20)));
        c.onHealth(new HealthSample(0, t0, false, Optional.empty(), 1, Optional.of("connect")));
        c.onHealth(new HealthSample(2 * S, t0, true, Optional.of(200), 1, Optional.empty()));
        assertThat(alerts).isEmpty(); // 1 of 2 failed, but the window is not full yet
        for (long s = 4; s <= 20; s += 2) c.onHealth(new HealthSample(s * S, t0, s % 6 != 0, Optional.of(200), 1, Optional.empty()));
        assertThat(alerts).isEmpty(); // 30-40% failed
        for (long s = 22; s <= 40; s += 2) c.onHealth(new HealthSample(s * S, t0, false, Optional.empty(), 1, Optional.of("timeout")));
        assertThat(alerts).first().satisfies(a -> assertThat(a.observed()).isGreaterThan(50));
    }

    @Test
    void probeRulesCompareTheirOwnProbesValue() {
        Scenario.Condition lost = new Conditions.LostEvents("events", "id", 0, Optional.empty(), Duration.ofSeconds(5), "id");
        Criteria c = criteria(lost);
        c.onProbe(new ProbeSample(S, t0, "other", 50, 10, "x", Optional.empty(), false));
        c.onProbe(new ProbeSample(S, t0, "lost_events", 0, 10, "0 of 10", Optional.empty(), false));
        c.onProbe(new ProbeSample(2 * S, t0, "lost_events", 0, 0, "failed", Optional.of("connection refused"), false));
        assertThat(alerts).isEmpty();
        c.onProbe(new ProbeSample(3 * S, t0, "lost_events", 10, 10, "1 of 10 sampled accepted event(s) not in events", Optional.empty(), false));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.observed()).isEqualTo(10);
            assertThat(a.threshold()).isEqualTo(0);
        });
    }
}
